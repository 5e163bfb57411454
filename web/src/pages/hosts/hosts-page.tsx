import { Page } from '../../components/page';

export function HostsPage() {
  return (
    <Page title="HostsPage">
      <div className="state">Coming.</div>
    </Page>
  );
}
