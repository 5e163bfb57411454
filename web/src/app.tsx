import { BrowserRouter, Route, Routes } from 'react-router';
import { AppShell } from './components/shell/app-shell';
import { AuthGate } from './components/shell/auth-gate';
import { AccessPage } from './pages/access/access-page';
import { Page } from './components/page';
import { AlertsPage } from './pages/alerts/alerts-page';
import { ExplorePage } from './pages/explore/explore-page';
import { GroupPage } from './pages/groups/group-page';
import { GroupsPage } from './pages/groups/groups-page';
import { HostsPage } from './pages/hosts/hosts-page';
import { OverviewPage } from './pages/overview/overview-page';
import { RulesPage } from './pages/rules/rules-page';
import { SilencesPage } from './pages/silences/silences-page';
import { PartitionPage } from './pages/topics/partition-page';
import { TopicPage } from './pages/topics/topic-page';
import { TopicsPage } from './pages/topics/topics-page';

/** Every view is a URL, so it can be bookmarked and shared. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppShell />}>
        <Route index element={<OverviewPage />} />
        <Route path="explore" element={<ExplorePage />} />
        <Route path="topics" element={<TopicsPage />} />
        <Route path="topics/:topic" element={<TopicPage />} />
        <Route path="topics/:topic/partitions/:partition" element={<PartitionPage />} />
        <Route path="groups" element={<GroupsPage />} />
        <Route path="groups/:group" element={<GroupPage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="silences" element={<SilencesPage />} />
        <Route path="rules" element={<RulesPage />} />
        <Route path="hosts" element={<HostsPage />} />
        <Route path="access" element={<AccessPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AuthGate>
        <AppRoutes />
      </AuthGate>
    </BrowserRouter>
  );
}

function NotFoundPage() {
  return (
    <Page title="Not found">
      <div className="state">There is no page at this address.</div>
    </Page>
  );
}
