import { correctSpeaker } from '@/lib/speaker';

import { useObservedCall } from '../hooks/use-observed-call';

import { LiveCallBoard } from './live-call-board';

/** Read-only live view for a coach; whispers are composed next to it by the app layer. */
export function ObservedCall({ callId }: { callId: string }) {
  const state = useObservedCall(callId);
  const flip = (line: { utterance_id: string }, source: 'rep' | 'prospect') =>
    void correctSpeaker(callId, line.utterance_id, source).catch(() => undefined);
  return <LiveCallBoard state={state} observer onFlip={flip} />;
}
