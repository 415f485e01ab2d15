import { LiveCallPage } from '@/features/live-call/components/live-call-page';

export function Component() {
  return <LiveCallPage />;
}
