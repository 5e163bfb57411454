import { Page } from '../../components/page';

export function OverviewPage() {
  return (
    <Page title="OverviewPage">
      <div className="state">Coming.</div>
    </Page>
  );
}
