import { useState } from 'react';
import type { ApiToken, CreatedToken } from '../../api/auth-types';
import { InertText } from '../../components/inert-text';
import { ErrorState, RequestView } from '../../components/states';
import { useApiTokens } from '../../hooks/auth-hooks';
import { useAction } from '../../hooks/use-action';
import { formatDateTime } from '../../lib/time-range';
import { CreateTokenDialog } from './create-token-dialog';
import { DataTable } from '../../components/data-table';

/** The API tokens: who made them, what they may do, when they were last used; create and revoke. */
export function TokensSection() {
  const tokens = useApiTokens();
  const [creating, setCreating] = useState(false);
  const revoke = useAction((c, id: string) => c.auth.revokeToken(id));
  const [created, setCreated] = useState<CreatedToken | null>(null);
  return (
    <section className="card" aria-label="API tokens">
      <div className="row">
        <h2>API tokens</h2>
        <div className="spacer" />
        <button className="btn primary" onClick={() => setCreating(true)}>
          Create token
        </button>
      </div>
      {revoke.error && <ErrorState error={revoke.error} what="the revocation" />}
      <RequestView state={tokens} what="tokens" isEmpty={(list) => list.length === 0} empty="No API tokens yet.">
        {(list) => (
          <DataTable
            label="API tokens"
            head={
              <>
                <th>Name</th>
                <th>ID</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
                <th />
              </>
            }
          >
            {list.map((t: ApiToken) => (
              <tr key={t.id}>
                <td>
                  <InertText text={t.name} links={false} />
                </td>
                <td className="mono">{t.id}</td>
                <td>{t.scopes.join(', ')}</td>
                <td className="nowrap">
                  {formatDateTime(t.createdAt)}
                  {t.createdBy && (
                    <span className="muted">
                      {' '}
                      by <InertText text={t.createdBy} links={false} />
                    </span>
                  )}
                </td>
                <td className="nowrap">{t.lastUsedAt === null ? <span className="muted">never</span> : formatDateTime(t.lastUsedAt)}</td>
                <td>{t.revokedAt === null ? <span className="badge ok">active</span> : <span className="badge">revoked {formatDateTime(t.revokedAt)}</span>}</td>
                <td>
                  {t.revokedAt === null && (
                    <button
                      className="btn small danger"
                      aria-label={`Revoke ${t.name}`}
                      disabled={revoke.pending}
                      onClick={async () => {
                        if (await revoke.run(t.id)) tokens.reload();
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </RequestView>
      {creating && (
        <CreateTokenDialog
          onClose={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
            tokens.reload();
          }}
        />
      )}
      {created && <CreatedTokenNotice token={created} onDismiss={() => setCreated(null)} />}
    </section>
  );
}

/** The token text, shown once: the server keeps only its hash. */
function CreatedTokenNotice({ token, onDismiss }: { token: CreatedToken; onDismiss: () => void }) {
  return (
    <div className="state" role="status" aria-label="New token">
      <div>
        Token <strong>{token.name}</strong> created. Copy it now: it is not shown again.
      </div>
      <input className="input mono" style={{ width: '100%', marginTop: 6 }} readOnly value={token.token} aria-label="Token value" onFocus={(e) => e.currentTarget.select()} />
      <button className="btn small" style={{ marginTop: 6 }} onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}
