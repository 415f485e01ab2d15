import { CallsListPage } from '@/features/calls/components/calls-list-page';

export function Component() {
  return <CallsListPage />;
}
