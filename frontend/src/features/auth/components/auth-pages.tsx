import { Navigate, useNavigate, useSearchParams } from 'react-router';

import { AuthLayout } from '@/components/layouts/app-layout';
import { Spinner } from '@/components/ui/status';
import { useUser } from '@/lib/auth';

import { useSetupStatus } from '../api/auth-api';

import { LoginForm } from './login-form';
import { SetupForm } from './setup-form';

function safeRedirect(target: string | null): string {
  return target && target.startsWith('/') && !target.startsWith('//') ? target : '/live';
}

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const setupStatus = useSetupStatus();
  const user = useUser();
  const redirectTo = safeRedirect(params.get('redirectTo'));

  if (setupStatus.isPending || user.isPending) return <Spinner />;
  if (setupStatus.data?.needed) return <Navigate to="/setup" replace />;
  if (user.data) return <Navigate to={redirectTo} replace />;
  return (
    <AuthLayout title="Log in to Sales Coach">
      <LoginForm onSuccess={() => navigate(redirectTo, { replace: true })} />
    </AuthLayout>
  );
}

export function SetupPage() {
  const navigate = useNavigate();
  const setupStatus = useSetupStatus();
  if (setupStatus.isPending) return <Spinner />;
  if (setupStatus.data && !setupStatus.data.needed) return <Navigate to="/login" replace />;
  return (
    <AuthLayout title="Welcome: set up Sales Coach">
      <p>Create your team and its first admin account. You can invite reps and coaches afterwards.</p>
      <SetupForm onSuccess={() => navigate('/live', { replace: true })} />
    </AuthLayout>
  );
}
