import { AdminPage } from '@/features/admin/components/admin-page';

import { RequireRole } from './guards';

export function Component() {
  return (
    <RequireRole roles={['admin']}>
      <AdminPage />
    </RequireRole>
  );
}
