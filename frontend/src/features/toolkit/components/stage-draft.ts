import { objectiveId, type StageGuidance } from '../api/stages-api';

/** The stage editor's working copy: lists the rep types one per line are kept as text. */
export interface StageDraft {
  focus: StageGuidance['focus'];
  objectives: Array<{ id: string | null; text: string; triggers: string }>;
  key_questions: Array<{ primary: string; alternatives: string; context: string }>;
  talking_points: string;
}

const lines = (raw: string) =>
  raw
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

const phrases = (raw: string) =>
  raw
    .split(/[\n,]/)
    .map((phrase) => phrase.trim())
    .filter(Boolean);

export function toDraft(stage: StageGuidance): StageDraft {
  return {
    focus: stage.focus,
    objectives: stage.objectives.map((o) => ({ id: o.id, text: o.text, triggers: o.triggers.join(', ') })),
    key_questions: stage.key_questions.map((q) => ({ primary: q.primary, alternatives: q.alternatives.join('\n'), context: q.context })),
    talking_points: stage.talking_points.join('\n'),
  };
}

/** Back to the API's shape: empty rows dropped, new objectives given a unique slug id. */
export function fromDraft(stage: string, draft: StageDraft): StageGuidance {
  const taken = new Set(draft.objectives.map((o) => o.id).filter((id): id is string => Boolean(id)));
  const objectives = draft.objectives
    .filter((o) => o.text.trim())
    .map((o) => {
      const id = o.id ?? objectiveId(o.text, taken);
      taken.add(id);
      return { id, text: o.text.trim(), triggers: phrases(o.triggers) };
    });
  return {
    stage,
    focus: { what: draft.focus.what.trim(), why: draft.focus.why.trim(), urgency: draft.focus.urgency },
    objectives,
    key_questions: draft.key_questions
      .filter((q) => q.primary.trim())
      .map((q) => ({ primary: q.primary.trim(), alternatives: lines(q.alternatives), context: q.context.trim() })),
    talking_points: lines(draft.talking_points),
  };
}
