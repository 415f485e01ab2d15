import { ToolkitPage } from '@/features/toolkit/components/toolkit-page';
import { hasRole, useUser } from '@/lib/auth';

export function Component() {
  const user = useUser().data;
  return <ToolkitPage editable={hasRole(user, ['admin'])} />;
}
