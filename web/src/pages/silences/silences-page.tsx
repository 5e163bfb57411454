import { Page } from '../../components/page';

export function SilencesPage() {
  return (
    <Page title="SilencesPage">
      <div className="state">Coming.</div>
    </Page>
  );
}
