import { useObservedCall } from '../hooks/use-observed-call';

import { LiveCallBoard } from './live-call-board';

/** Read-only live view for a coach; whispers are composed next to it by the app layer. */
export function ObservedCall({ callId }: { callId: string }) {
  const state = useObservedCall(callId);
  return <LiveCallBoard state={state} observer />;
}
