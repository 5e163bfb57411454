import { Page } from '../../components/page';

export function RulesPage() {
  return (
    <Page title="RulesPage">
      <div className="state">Coming.</div>
    </Page>
  );
}
