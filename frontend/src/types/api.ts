import { z } from 'zod';

/** Schemas of the entities several features share (the server contract in docs/api.md). */
export const RoleSchema = z.enum(['rep', 'coach', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

export const UserSchema = z.object({
  id: z.union([z.string(), z.number()]),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  active: z.boolean().default(true),
  team: z.object({ id: z.union([z.string(), z.number()]), name: z.string() }).nullish(),
});
export type User = z.infer<typeof UserSchema>;

export const SourceSchema = z.enum(['rep', 'prospect', 'unknown']).catch('unknown');
export type Source = z.infer<typeof SourceSchema>;

export const CallStateSchema = z.enum(['live', 'degraded', 'reconnecting', 'ended', 'interrupted']);
export type CallStateValue = z.infer<typeof CallStateSchema>;

export const UtteranceSchema = z.object({
  utterance_id: z.union([z.string(), z.number()]).transform(String),
  source: SourceSchema,
  text: z.string(),
  start_ms: z.number().default(0),
  end_ms: z.number().default(0),
  confidence: z.number().nullish(),
});
export type Utterance = z.infer<typeof UtteranceSchema>;

export const FeedbackSchema = z.enum(['used', 'dismissed']).nullable();
export type Feedback = z.infer<typeof FeedbackSchema>;

export const SuggestionSchema = z.object({
  suggestion_id: z.union([z.string(), z.number()]).transform(String),
  kind: z.string().default('tip'),
  title: z.string().default(''),
  body: z.string().default(''),
  origin: z.enum(['playbook', 'llm']).catch('playbook'),
  trigger_utterance_id: z.union([z.string(), z.number()]).nullish(),
  status: z.enum(['partial', 'final']).default('final'),
  latency_ms: z.number().nullish(),
  feedback: FeedbackSchema.optional(),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const CallSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  title: z.string().nullish(),
  state: CallStateSchema,
  user: z.object({ id: z.union([z.string(), z.number()]), name: z.string() }).nullish(),
  started_at: z.string().nullish(),
  ended_at: z.string().nullish(),
  duration_s: z.number().nullish(),
  outcome: z.string().nullish(),
  notes: z.string().nullish(),
  goal: z.string().nullish(),
  prospect_name: z.string().nullish(),
  prospect_company: z.string().nullish(),
  utterance_count: z.number().default(0),
  suggestion_count: z.number().default(0),
  transcriber: z.string().nullish(),
  coach: z.string().nullish(),
  snippet: z.string().nullish(),
});
export type Call = z.infer<typeof CallSchema>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number(),
    page: z.number(),
    per_page: z.number(),
  });
}

export function itemsOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}
