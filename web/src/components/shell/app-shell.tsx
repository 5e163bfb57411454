import { NavLink, Outlet } from 'react-router';
import { hasScope } from '../../api/auth-types';
import { useHealth } from '../../hooks/system-hooks';
import { useOptionalSession } from './auth-gate';
import { useSlashShortcut } from './use-slash-shortcut';
import { useTheme } from './use-theme';

type NavItem = { to: string; label: string; sub?: boolean; end?: boolean };

const NAV: NavItem[] = [
  { to: '/', label: 'Overview', end: true },
  { to: '/explore', label: 'Explore' },
  { to: '/topics', label: 'Topics' },
  { to: '/groups', label: 'Consumer groups', sub: true },
  { to: '/alerts', label: 'Alerts' },
  { to: '/silences', label: 'Silences', sub: true },
  { to: '/rules', label: 'Rules' },
  { to: '/hosts', label: 'Hosts' },
];
/** Tokens and accounts: shown to administrators only (the API refuses the others anyway). */
const ADMIN_NAV: NavItem[] = [{ to: '/access', label: 'Access' }];

/** Navigation, theme switch and server health around every page. */
export function AppShell() {
  const [theme, toggleTheme] = useTheme();
  const health = useHealth({ refreshMs: 10_000 });
  useSlashShortcut();
  const up = health.data?.status === 'ok' && !health.error;
  const auth = useOptionalSession();
  const nav = auth && hasScope(auth.session, 'admin') ? [...NAV, ...ADMIN_NAV] : NAV;
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          sl<span>ui</span>ce
        </div>
        {nav.map((item) => (
          <NavLink key={item.to} to={item.to} end={item.end} className={({ isActive }) => `nav-link${item.sub ? ' sub' : ''}${isActive ? ' active' : ''}`}>
            {item.label}
          </NavLink>
        ))}
        <div className="sidebar-foot">
          <div title={health.error ? health.error.message : 'GET /healthz'}>
            <span className={`health-dot ${health.loading ? '' : up ? 'ok' : 'down'}`} />
            <span className="health-text">{health.loading ? 'checking…' : up ? 'server up' : 'server unreachable'}</span>
          </div>
          {auth?.session.authEnabled && (
            <div className="row" style={{ gap: 6 }}>
              <span className="health-text" title={`scopes: ${auth.session.scopes.join(', ')}`}>
                {auth.session.name}
              </span>
              <button className="btn small" onClick={() => void auth.logout()}>
                Log out
              </button>
            </div>
          )}
          <button className="btn small" onClick={toggleTheme} aria-label="Switch colour theme">
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
        </div>
      </nav>
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}
