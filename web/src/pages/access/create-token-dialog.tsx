import { useState, type FormEvent } from 'react';
import type { CreatedToken, Scope } from '../../api/auth-types';
import { Dialog } from '../../components/dialog';
import { ErrorState } from '../../components/states';
import { useAction } from '../../hooks/use-action';
import { ScopePicker } from './scope-picker';

export function CreateTokenDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (token: CreatedToken) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['ingest']);
  const create = useAction((c, n: string, s: Scope[]) => c.auth.createToken(n, s));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const token = await create.run(name.trim(), scopes);
    if (token) onCreated(token);
  };
  return (
    <Dialog title="Create API token" onClose={onClose}>
      <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
        <label className="field">
          Name (what or who it is for)
          <input className="input" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} placeholder="agent web-1" />
        </label>
        <ScopePicker value={scopes} onChange={setScopes} />
        {create.error && <ErrorState error={create.error} what="the token" />}
        <div className="row">
          <div className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={name.trim() === '' || scopes.length === 0 || create.pending}>
            {create.pending ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
