import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';

import { EmptyState, ErrorMessage, Spinner } from '@/components/ui/status';
import { onSessionExpired } from '@/lib/api-client';
import { hasRole, useUser } from '@/lib/auth';
import type { Role } from '@/types/api';

/** Signed-in users only; others go to /login and come back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const user = useUser();
  const location = useLocation();
  const navigate = useNavigate();

  useEffect(
    () => onSessionExpired(() => navigate(`/login?redirectTo=${encodeURIComponent(location.pathname)}`, { replace: true })),
    [navigate, location.pathname],
  );

  if (user.isPending) return <Spinner />;
  if (user.isError) return <ErrorMessage error={user.error} />;
  if (!user.data) return <Navigate to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`} replace />;
  return <>{children}</>;
}

export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const user = useUser().data;
  if (!hasRole(user, roles)) {
    return <EmptyState title="You do not have access to this page." />;
  }
  return <>{children}</>;
}
