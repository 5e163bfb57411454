import { useState, type FormEvent } from 'react';
import type { Scope, User } from '../../api/auth-types';
import { Dialog } from '../../components/dialog';
import { InertText } from '../../components/inert-text';
import { ErrorState, RequestView } from '../../components/states';
import { useUsers } from '../../hooks/auth-hooks';
import { useAction } from '../../hooks/use-action';
import { formatDateTime } from '../../lib/time-range';
import { ScopePicker } from './scope-picker';
import { DataTable } from '../../components/data-table';

/** The web UI's local accounts: add and delete (one's own account cannot be deleted while logged in with it). */
export function UsersSection({ self }: { self: string | null }) {
  const users = useUsers();
  const [adding, setAdding] = useState(false);
  const remove = useAction((c, username: string) => c.auth.deleteUser(username));
  return (
    <section className="card" aria-label="Accounts">
      <div className="row">
        <h2>Accounts</h2>
        <div className="spacer" />
        <button className="btn" onClick={() => setAdding(true)}>
          Add account
        </button>
      </div>
      {remove.error && <ErrorState error={remove.error} what="the account" />}
      <RequestView state={users} what="accounts" isEmpty={(list) => list.length === 0} empty="No accounts yet.">
        {(list) => (
          <DataTable
            label="Accounts"
            head={
              <>
                <th>User</th>
                <th>Scopes</th>
                <th>Created</th>
                <th />
              </>
            }
          >
            {list.map((u: User) => (
              <tr key={u.id}>
                <td>
                  <InertText text={u.username} links={false} />
                  {u.username === self && <span className="muted"> (you)</span>}
                </td>
                <td>{u.scopes.join(', ')}</td>
                <td className="nowrap">{formatDateTime(u.createdAt)}</td>
                <td>
                  {u.username !== self && (
                    <button
                      className="btn small danger"
                      aria-label={`Delete ${u.username}`}
                      disabled={remove.pending}
                      onClick={async () => {
                        await remove.run(u.username);
                        users.reload();
                      }}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </RequestView>
      {adding && (
        <AddUserDialog
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            users.reload();
          }}
        />
      )}
    </section>
  );
}

function AddUserDialog({ onClose, onAdded }: { onClose: () => void; onAdded: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const add = useAction((c, u: string, p: string, s: Scope[]) => c.auth.addUser(u, p, s));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await add.run(username, password, scopes)) onAdded();
  };
  return (
    <Dialog title="Add account" onClose={onClose}>
      <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
        <label className="field">
          User name
          <input className="input" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          Password (at least 10 characters)
          <input className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ScopePicker value={scopes} onChange={setScopes} />
        {add.error && <ErrorState error={add.error} what="the account" />}
        <div className="row">
          <div className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={username === '' || password.length < 10 || scopes.length === 0 || add.pending}>
            {add.pending ? 'Adding…' : 'Add'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
