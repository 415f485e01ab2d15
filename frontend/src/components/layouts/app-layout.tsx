import { NavLink, Outlet } from 'react-router';

import { OfflineBanner } from '@/components/ui/offline-banner';
import { hasRole, useLogout, useUser } from '@/lib/auth';
import type { Role } from '@/types/api';

const NAV: Array<{ to: string; label: string; roles?: Role[] }> = [
  { to: '/live', label: 'Live call' },
  { to: '/coach', label: 'Coach room', roles: ['coach', 'admin'] },
  { to: '/calls', label: 'Calls' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/toolkit', label: 'Toolkit' },
  { to: '/admin', label: 'Admin', roles: ['admin'] },
  { to: '/settings', label: 'Settings' },
];

export function AppLayout() {
  const user = useUser().data;
  const logout = useLogout();
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Sales Coach</span>
        <nav aria-label="Main">
          {NAV.filter((item) => !item.roles || hasRole(user, item.roles)).map((item) => (
            <NavLink key={item.to} to={item.to} className={({ isActive }) => (isActive ? 'active' : undefined)}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <span className="whoami">
          {user ? `${user.name} (${user.role})` : null}
          <button type="button" className="btn btn-ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Log out
          </button>
        </span>
      </header>
      <OfflineBanner />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export function AuthLayout({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="auth-shell">
      <OfflineBanner />
      <main id="main" className="auth-card">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
