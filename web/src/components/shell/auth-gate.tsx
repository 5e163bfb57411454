import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { isApiError } from '../../api/api-error';
import { useApiClient } from '../../api/api-context';
import type { Session } from '../../api/auth-types';
import { useSessionRequest } from '../../hooks/auth-hooks';
import { LoginPage } from '../../pages/login/login-page';
import { SetupPage } from '../../pages/login/setup-page';
import { ErrorState, Loading } from '../states';

interface SessionState {
  session: Session;
  /** Ends the session on the server, then shows the login page. */
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** The current session; only inside <AuthGate>. */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside <AuthGate>');
  return state;
}

/** The session when there is a gate above (the shell also renders without one, in tests). */
export function useOptionalSession(): SessionState | null {
  return useContext(SessionContext);
}

/**
 * Shows the app only to someone logged in (or to everyone when the server runs with auth off). Any
 * 401 from any request (the session expired, or was ended elsewhere) brings the login page back;
 * /setup is the first-start page, reachable without a session.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const client = useApiClient();
  const location = useLocation();
  const request = useSessionRequest();
  const [session, setSession] = useState<Session | null>(null);
  const [loggedOut, setLoggedOut] = useState(false);

  useEffect(() => client.onUnauthenticated(() => setLoggedOut(true)), [client]);
  useEffect(() => {
    if (request.data) {
      setSession(request.data);
      setLoggedOut(false);
    }
  }, [request.data]);

  const signedIn = (next: Session) => {
    setSession(next);
    setLoggedOut(false);
  };

  if (location.pathname === '/setup') return <SetupPage onDone={signedIn} />;
  const refused = request.error !== undefined && isApiError(request.error) && request.error.status === 401;
  if (loggedOut || (session === null && refused)) return <LoginPage onLoggedIn={signedIn} />;
  if (session === null) {
    if (request.error) return <ErrorState error={request.error} what="the session" retry={request.reload} />;
    return <Loading what="Loading" />;
  }
  const logout = async () => {
    try {
      await client.auth.logout();
    } finally {
      setSession(null);
      setLoggedOut(true);
    }
  };
  return <SessionContext.Provider value={{ session, logout }}>{children}</SessionContext.Provider>;
}
