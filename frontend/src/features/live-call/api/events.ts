/**
 * Server → client events as the live call reads them. The validators are generated from
 * the server's payload schemas (app/schemas/events.py → src/lib/api/zod.gen.ts); ids are the
 * strings the server sends. An event that fails to parse is reported (server-events.ts).
 */
export {
  zJoinSnapshot as CallJoinAckSchema,
  zCallStartAck as CallStartAckSchema,
  zCallStatusEvent as StatusEventSchema,
  zMetricsEvent as MetricsEventSchema,
  zNudgeEvent as NudgeEventSchema,
  zPresenceEvent as PresenceEventSchema,
  zSuggestionEvent as SuggestionEventSchema,
  zSuggestionWithdrawnEvent as SuggestionWithdrawnEventSchema,
  zTranscriptEvent as TranscriptEventSchema,
  zCorrectedLine as CorrectedEventSchema,
  zWhisperEvent as WhisperEventSchema,
} from '@/lib/api/zod.gen';

import { z } from 'zod';

import type { MetricsEvent } from '@/lib/api/types.gen';

export type {
  CallStatusEvent as StatusEvent,
  MetricsEvent,
  NudgeEvent,
  PresenceEvent,
  SuggestionEvent,
  SuggestionWithdrawnEvent,
  TranscriptEvent,
  WhisperEvent,
  CorrectedLine as CorrectedEvent,
} from '@/lib/api/types.gen';

export type Stage = NonNullable<MetricsEvent['stage']>;

const text = z.string().default('');

export const KeyQuestionSchema = z.object({
  primary: z.string(),
  alternatives: z.array(z.string()).default([]),
  context: text,
});
export type KeyQuestion = z.infer<typeof KeyQuestionSchema>;

export const ObjectiveSchema = z.object({ id: z.string(), text: z.string(), done: z.boolean().default(false) });
export type Objective = z.infer<typeof ObjectiveSchema>;

/**
 * What to achieve now, why, and the questions to get there (the brief at call start, then
 * updates). Lenient on purpose: the brief also comes inside the `call:start` ack and the
 * join snapshot, where a field may be missing while the playbook has no guidance yet.
 */
export const GuidanceEventSchema = z.object({
  call_id: z.string(),
  stage: z.string().nullish(),
  stage_confidence: z.number().min(0).max(1).nullish(),
  time_in_stage_s: z.number().min(0).default(0),
  focus: z
    .object({ what: text, why: text, urgency: z.enum(['low', 'medium', 'high']).catch('medium') })
    .nullish(),
  key_questions: z.array(KeyQuestionSchema).default([]),
  talking_points: z.array(z.string()).default([]),
  objectives: z.array(ObjectiveSchema).default([]),
  origin: z.enum(['playbook', 'llm']).catch('playbook'),
  status: z.enum(['partial', 'final']).default('final'),
});
export type GuidanceEvent = z.infer<typeof GuidanceEventSchema>;
