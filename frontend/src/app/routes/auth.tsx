import { LoginPage, SetupPage } from '@/features/auth/components/auth-pages';

export const LoginRoute = LoginPage;
export const SetupRoute = SetupPage;
