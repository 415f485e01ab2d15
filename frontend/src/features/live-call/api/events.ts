import { z } from 'zod';

import { CallStateSchema, SourceSchema, SuggestionSchema } from '@/types/api';

/** Schemas of the server → client events; anything that fails to parse is ignored. */
const id = z.union([z.string(), z.number()]).transform(String);

export const TranscriptEventSchema = z.object({
  call_id: id,
  utterance_id: id,
  source: SourceSchema,
  text: z.string(),
  is_final: z.boolean(),
  start_ms: z.number().default(0),
  end_ms: z.number().default(0),
  confidence: z.number().nullish(),
});
export type TranscriptEvent = z.infer<typeof TranscriptEventSchema>;

export const SuggestionEventSchema = SuggestionSchema.extend({ call_id: id });
export type SuggestionEvent = z.infer<typeof SuggestionEventSchema>;

export const StageSchema = z.enum(['opening', 'discovery', 'pitch', 'objection_handling', 'close']);

export const MetricsEventSchema = z.object({
  call_id: id,
  talk_ratio: z.number().default(0),
  rep_wpm: z.number().default(0),
  current_monologue_s: z.number().default(0),
  longest_monologue_s: z.number().default(0),
  questions_asked: z.number().default(0),
  prospect_questions: z.number().default(0),
  filler_words: z.number().default(0),
  elapsed_s: z.number().default(0),
  stage: StageSchema.nullish(),
  checklist: z.array(z.object({ name: z.string(), title: z.string(), done: z.boolean() })).default([]),
});
export type MetricsEvent = z.infer<typeof MetricsEventSchema>;

export const NudgeEventSchema = z.object({ call_id: id, kind: z.string(), message: z.string() });
export type NudgeEvent = z.infer<typeof NudgeEventSchema>;

export const StatusEventSchema = z.object({ call_id: id, state: CallStateSchema, reason: z.string().nullish() });
export type StatusEvent = z.infer<typeof StatusEventSchema>;

export const WhisperEventSchema = z.object({ call_id: id, from: z.string(), text: z.string() });
export type WhisperEvent = z.infer<typeof WhisperEventSchema>;

export const PresenceEventSchema = z.object({
  call_id: id,
  coaches: z.array(z.object({ id: z.union([z.string(), z.number()]), name: z.string() })),
});
export type PresenceEvent = z.infer<typeof PresenceEventSchema>;

const text = z.string().default('');

export const KeyQuestionSchema = z.object({
  primary: z.string(),
  alternatives: z.array(z.string()).default([]),
  context: text,
});
export type KeyQuestion = z.infer<typeof KeyQuestionSchema>;

export const ObjectiveSchema = z.object({ id: id, text: z.string(), done: z.boolean().default(false) });
export type Objective = z.infer<typeof ObjectiveSchema>;

/** What to achieve now, why, and the questions to get there (the brief at call start, then updates). */
export const GuidanceEventSchema = z.object({
  call_id: id,
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
