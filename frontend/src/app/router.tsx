import { useMemo } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';

import { RouteError } from '@/components/errors/route-error';
import { AppLayout } from '@/components/layouts/app-layout';
import { Spinner } from '@/components/ui/status';

import { RequireAuth } from './routes/guards';

/** Each route area is its own lazily loaded chunk with its own error boundary. */
export function createAppRouter() {
  return createBrowserRouter([
    { path: '/setup', lazy: () => import('./routes/auth').then((m) => ({ Component: m.SetupRoute })), errorElement: <RouteError />, hydrateFallbackElement: <Spinner /> },
    { path: '/login', lazy: () => import('./routes/auth').then((m) => ({ Component: m.LoginRoute })), errorElement: <RouteError />, hydrateFallbackElement: <Spinner /> },
    {
      path: '/',
      element: (
        <RequireAuth>
          <AppLayout />
        </RequireAuth>
      ),
      errorElement: <RouteError />,
      hydrateFallbackElement: <Spinner />,
      children: [
        { index: true, element: <Navigate to="/live" replace /> },
        { path: 'live', lazy: () => import('./routes/live'), errorElement: <RouteError /> },
        { path: 'coach', lazy: () => import('./routes/coach-room'), errorElement: <RouteError /> },
        { path: 'coach/:callId', lazy: () => import('./routes/coach-call'), errorElement: <RouteError /> },
        { path: 'calls', lazy: () => import('./routes/calls'), errorElement: <RouteError /> },
        { path: 'calls/:callId', lazy: () => import('./routes/call-detail'), errorElement: <RouteError /> },
        { path: 'analytics', lazy: () => import('./routes/analytics'), errorElement: <RouteError /> },
        { path: 'toolkit', lazy: () => import('./routes/toolkit'), errorElement: <RouteError /> },
        { path: 'admin', lazy: () => import('./routes/admin'), errorElement: <RouteError /> },
        { path: 'settings', lazy: () => import('./routes/settings'), errorElement: <RouteError /> },
        { path: '*', element: <p>Page not found.</p> },
      ],
    },
  ]);
}

export function AppRouter() {
  const router = useMemo(() => createAppRouter(), []);
  return <RouterProvider router={router} />;
}
