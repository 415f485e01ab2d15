import { z } from 'zod';

/** The call stages, in order, with the names the editor shows. */
export const STAGES = [
  { id: 'opening', label: 'Opening' },
  { id: 'discovery', label: 'Discovery' },
  { id: 'pitch', label: 'Pitch' },
  { id: 'objection_handling', label: 'Objection handling' },
  { id: 'close', label: 'Close' },
] as const;

export const URGENCIES = ['low', 'medium', 'high'] as const;

export const StageKeyQuestionSchema = z.object({
  primary: z.string(),
  alternatives: z.array(z.string()).default([]),
  context: z.string().default(''),
});

export const StageObjectiveSchema = z.object({ id: z.string(), text: z.string(), triggers: z.array(z.string()).default([]) });

/** One stage's playbook guidance: focus, objectives (ticked by their triggers), key questions, talking points. */
export const StageGuidanceSchema = z.object({
  stage: z.string(),
  focus: z.object({ what: z.string(), why: z.string().default(''), urgency: z.enum(URGENCIES).catch('medium') }),
  objectives: z.array(StageObjectiveSchema).default([]),
  key_questions: z.array(StageKeyQuestionSchema).default([]),
  talking_points: z.array(z.string()).default([]),
});
export type StageGuidance = z.infer<typeof StageGuidanceSchema>;

/** A slug id for a new objective from its text, unique among the stage's ids. */
export function objectiveId(text: string, taken: Set<string>): string {
  const base = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'objective';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}
