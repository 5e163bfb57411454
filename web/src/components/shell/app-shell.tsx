import { NavLink, Outlet } from 'react-router';
import { useHealth } from '../../hooks/system-hooks';
import { useSlashShortcut } from './use-slash-shortcut';
import { useTheme } from './use-theme';

const NAV: { to: string; label: string; sub?: boolean; end?: boolean }[] = [
  { to: '/', label: 'Overview', end: true },
  { to: '/explore', label: 'Explore' },
  { to: '/topics', label: 'Topics' },
  { to: '/groups', label: 'Consumer groups', sub: true },
  { to: '/alerts', label: 'Alerts' },
  { to: '/silences', label: 'Silences', sub: true },
  { to: '/rules', label: 'Rules' },
  { to: '/hosts', label: 'Hosts' },
];

/** Navigation, theme switch and server health around every page. */
export function AppShell() {
  const [theme, toggleTheme] = useTheme();
  const health = useHealth({ refreshMs: 10_000 });
  useSlashShortcut();
  const up = health.data?.status === 'ok' && !health.error;
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          sl<span>ui</span>ce
        </div>
        {NAV.map((item) => (
          <NavLink key={item.to} to={item.to} end={item.end} className={({ isActive }) => `nav-link${item.sub ? ' sub' : ''}${isActive ? ' active' : ''}`}>
            {item.label}
          </NavLink>
        ))}
        <div className="sidebar-foot">
          <div title={health.error ? health.error.message : 'GET /healthz'}>
            <span className={`health-dot ${health.loading ? '' : up ? 'ok' : 'down'}`} />
            <span className="health-text">{health.loading ? 'checking…' : up ? 'server up' : 'server unreachable'}</span>
          </div>
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
