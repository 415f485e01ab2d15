import { LiveCallPage } from '@/features/live-call/components/live-call-page';
import { ToolkitPanel } from '@/features/toolkit/components/toolkit-panel';

export function Component() {
  return <LiveCallPage toolkit={<ToolkitPanel />} />;
}
