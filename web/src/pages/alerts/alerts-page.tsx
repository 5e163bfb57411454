import { Page } from '../../components/page';

export function AlertsPage() {
  return (
    <Page title="AlertsPage">
      <div className="state">Coming.</div>
    </Page>
  );
}
