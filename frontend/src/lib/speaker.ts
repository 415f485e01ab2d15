import { ClientEvent } from '@/lib/protocol.generated';
import { emitWithAck, getAudioSocket } from '@/lib/socket';

/** Tell the server who really said a line of a one-microphone call; the room hears it. */
export async function correctSpeaker(callId: string, utteranceId: string, source: 'rep' | 'prospect'): Promise<void> {
  await emitWithAck(getAudioSocket(), ClientEvent.TRANSCRIPT_CORRECT, { call_id: callId, utterance_id: utteranceId, source });
}
