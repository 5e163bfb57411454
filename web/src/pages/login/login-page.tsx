import { useEffect, useState, type FormEvent } from 'react';
import type { Session } from '../../api/auth-types';
import { ErrorState } from '../../components/states';
import { useAction } from '../../hooks/use-action';
import './login.css';

/** Shown in place of every page while nobody is logged in. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: (session: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useAction((c, u: string, p: string) => c.auth.login(u, p));
  useEffect(() => {
    document.title = 'Log in · Sluice';
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const session = await login.run(username, password);
    if (session) onLoggedIn(session);
  };

  return (
    <div className="login-screen">
      <form className="card login-card" onSubmit={submit} aria-label="Log in">
        <div className="brand">
          sl<span>ui</span>ce
        </div>
        <label className="field">
          User name
          <input className="input" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          Password
          <input className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {login.error && <ErrorState error={login.error} what="the login" />}
        <button type="submit" className="btn primary" disabled={login.pending || username === '' || password === ''}>
          {login.pending ? 'Logging in…' : 'Log in'}
        </button>
        <div className="hint">
          First start? Open the setup link the server printed. Accounts are added by an administrator, or with <code>sluice users add</code>.
        </div>
      </form>
    </div>
  );
}
