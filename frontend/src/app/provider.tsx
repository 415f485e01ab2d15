import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';

import { ErrorBoundary } from '@/components/errors/error-boundary';
import { createQueryClient } from '@/lib/react-query';

function AppCrashed() {
  return (
    <div className="route-error" role="alert">
      <h1>Sales Coach stopped working</h1>
      <button type="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <ErrorBoundary fallback={() => <AppCrashed />}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ErrorBoundary>
  );
}
