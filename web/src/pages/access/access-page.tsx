import { Page } from '../../components/page';
import { useSession } from '../../components/shell/auth-gate';
import { TokensSection } from './tokens-section';
import { UsersSection } from './users-section';

/** /access: API tokens (for agents, log shippers, Grafana, scripts) and the web UI's accounts. Admin only. */
export function AccessPage() {
  const { session } = useSession();
  return (
    <Page title="Access">
      {!session.authEnabled && (
        <div className="state" role="note">
          This server runs with authentication off: nobody needs a token or a login. Tokens and accounts made here take effect when auth is turned on.
        </div>
      )}
      <TokensSection />
      <UsersSection self={session.kind === 'user' ? session.name : null} />
    </Page>
  );
}
