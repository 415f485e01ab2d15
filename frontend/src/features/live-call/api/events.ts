/**
 * Server → client events as the live call reads them. The validators are generated from
 * the server's payload schemas (app/schemas/events.py → src/lib/api/zod.gen.ts); anything
 * that fails to parse is ignored.
 */
export {
  zJoinSnapshot as CallJoinAckSchema,
  zCallStartAck as CallStartAckSchema,
  zCallStatusEvent as StatusEventSchema,
  zMetricsEvent as MetricsEventSchema,
  zNudgeEvent as NudgeEventSchema,
  zPresenceEvent as PresenceEventSchema,
  zSuggestionEvent as SuggestionEventSchema,
  zTranscriptEvent as TranscriptEventSchema,
  zCorrectedLine as CorrectedEventSchema,
  zWhisperEvent as WhisperEventSchema,
} from '@/lib/api/zod.gen';

import type { MetricsEvent } from '@/lib/api/types.gen';

export type {
  CallStatusEvent as StatusEvent,
  MetricsEvent,
  NudgeEvent,
  PresenceEvent,
  SuggestionEvent,
  TranscriptEvent,
  WhisperEvent,
  CorrectedLine as CorrectedEvent,
} from '@/lib/api/types.gen';

export type Stage = NonNullable<MetricsEvent['stage']>;
