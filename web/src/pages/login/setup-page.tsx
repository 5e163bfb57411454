import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { Session } from '../../api/auth-types';
import { ErrorState } from '../../components/states';
import { useAction } from '../../hooks/use-action';
import './login.css';

const MIN_PASSWORD = 10;

/** /setup?token=…: the link a first start prints; creates the administrator account and logs in. */
export function SetupPage({ onDone }: { onDone: (session: Session) => void }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [setupToken, setSetupToken] = useState(params.get('token') ?? '');
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const setup = useAction((c, t: string, u: string, p: string) => c.auth.setup(t, u, p));
  useEffect(() => {
    document.title = 'Set up · Sluice';
  }, []);
  const mismatch = repeat !== '' && repeat !== password;
  const ready = setupToken !== '' && username !== '' && password.length >= MIN_PASSWORD && repeat === password;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const session = await setup.run(setupToken, username, password);
    if (session) {
      onDone(session);
      navigate('/', { replace: true });
    }
  };

  return (
    <div className="login-screen">
      <form className="card login-card" onSubmit={submit} aria-label="Create the administrator">
        <div className="brand">
          sl<span>ui</span>ce
        </div>
        <div>Create the administrator account. The setup link works once.</div>
        {!params.get('token') && (
          <label className="field">
            Setup token (from the server&apos;s log)
            <input className="input mono" value={setupToken} onChange={(e) => setSetupToken(e.target.value.trim())} />
          </label>
        )}
        <label className="field">
          User name
          <input className="input" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          Password (at least {MIN_PASSWORD} characters)
          <input className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label className="field">
          Password again
          <input className={`input${mismatch ? ' invalid' : ''}`} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </label>
        {setup.error && <ErrorState error={setup.error} what="the account" />}
        <button type="submit" className="btn primary" disabled={!ready || setup.pending}>
          {setup.pending ? 'Creating…' : 'Create administrator'}
        </button>
      </form>
    </div>
  );
}
