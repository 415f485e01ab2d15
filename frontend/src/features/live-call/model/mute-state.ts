import type { TranscriptGap } from '@/components/transcript/transcript-list';
import type { Utterance } from '@/types/api';

interface GapCapable extends Utterance {
  isFinal: boolean;
  gap?: TranscriptGap;
}

export type MutableSource = 'rep' | 'prospect';

export interface MuteState {
  /** Sources muted right now, with the id of their gap line in the transcript. */
  muted: Partial<Record<MutableSource, string>>;
  nextGapId: number;
}

export const initialMuteState: MuteState = { muted: {}, nextGapId: 1 };

/**
 * The gap line shown in the transcript while (and after) a source is muted. It sorts after
 * the source's last words so far (transcript times run on the audio, which stops while muted).
 */
export function gapLine(id: string, source: MutableSource, lines: GapCapable[], fromS: number): GapCapable {
  const at = Math.max(0, ...lines.filter((line) => line.source === source && !line.gap).map((line) => line.end_ms));
  return { utterance_id: id, source, text: '', start_ms: at, end_ms: at, confidence: 1, isFinal: true, gap: { from_s: fromS, to_s: null } };
}

export function closeGap<T extends GapCapable>(finals: T[], id: string, toS: number): T[] {
  return finals.map((line) => (line.utterance_id === id && line.gap ? { ...line, gap: { ...line.gap, to_s: toS } } : line));
}
