import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/status';

import { type StageGuidance, URGENCIES } from '../api/stages-api';
import { useSaveStage } from '../api/toolkit-api';

import { fromDraft, type StageDraft, toDraft } from './stage-draft';

type Objectives = StageDraft['objectives'];
type Questions = StageDraft['key_questions'];

function replaceAt<T>(list: T[], index: number, patch: Partial<T>): T[] {
  return list.map((item, i) => (i === index ? { ...item, ...patch } : item));
}

function ObjectivesEditor({ value, onChange }: { value: Objectives; onChange: (v: Objectives) => void }) {
  return (
    <fieldset>
      <legend>Objectives</legend>
      {value.map((objective, i) => (
        <div key={i} className="editor-row">
          <TextField label={`Objective ${i + 1}`} value={objective.text} maxLength={200} onChange={(e) => onChange(replaceAt(value, i, { text: e.target.value }))} />
          <TextField
            label={`Ticked when someone says ${i + 1}`}
            hint="Phrases, comma separated"
            value={objective.triggers}
            onChange={(e) => onChange(replaceAt(value, i, { triggers: e.target.value }))}
          />
          <Button variant="secondary" aria-label={`Remove objective ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            Remove
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={() => onChange([...value, { id: null, text: '', triggers: '' }])}>
        Add an objective
      </Button>
    </fieldset>
  );
}

function QuestionsEditor({ value, onChange }: { value: Questions; onChange: (v: Questions) => void }) {
  return (
    <fieldset>
      <legend>Key questions</legend>
      {value.map((question, i) => (
        <div key={i} className="editor-row">
          <TextField label={`Question ${i + 1}`} value={question.primary} maxLength={300} onChange={(e) => onChange(replaceAt(value, i, { primary: e.target.value }))} />
          <TextAreaField
            label={`Other ways to ask ${i + 1}`}
            hint="One per line"
            rows={3}
            value={question.alternatives}
            onChange={(e) => onChange(replaceAt(value, i, { alternatives: e.target.value }))}
          />
          <TextField label={`When to ask ${i + 1}`} value={question.context} maxLength={300} onChange={(e) => onChange(replaceAt(value, i, { context: e.target.value }))} />
          <Button variant="secondary" aria-label={`Remove question ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            Remove
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={() => onChange([...value, { primary: '', alternatives: '', context: '' }])}>
        Add a question
      </Button>
    </fieldset>
  );
}

/** Edit one stage's guidance: focus, objectives, key questions with alternatives, talking points. */
export function StageForm({ stage, label, onDone }: { stage: StageGuidance; label: string; onDone: () => void }) {
  const [draft, setDraft] = useState(() => toDraft(stage));
  const [error, setError] = useState<string | null>(null);
  const save = useSaveStage();
  const set = (patch: Partial<StageDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const setFocus = (patch: Partial<StageDraft['focus']>) => set({ focus: { ...draft.focus, ...patch } });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body = fromDraft(stage.stage, draft);
    setError(body.focus.what ? null : 'Say what the rep should achieve in this stage');
    if (body.focus.what) save.mutate(body, { onSuccess: onDone });
  };

  return (
    <form onSubmit={onSubmit} aria-label={`Edit the ${label} stage`} className="card stage-form" noValidate>
      <TextField label="Focus: what to achieve" value={draft.focus.what} maxLength={200} error={error} onChange={(e) => setFocus({ what: e.target.value })} />
      <TextField label="Why it matters" value={draft.focus.why} maxLength={500} onChange={(e) => setFocus({ why: e.target.value })} />
      <SelectField
        label="Urgency"
        value={draft.focus.urgency}
        options={URGENCIES.map((u) => ({ value: u, label: u }))}
        onChange={(e) => setFocus({ urgency: e.target.value as StageDraft['focus']['urgency'] })}
      />
      <ObjectivesEditor value={draft.objectives} onChange={(objectives) => set({ objectives })} />
      <QuestionsEditor value={draft.key_questions} onChange={(key_questions) => set({ key_questions })} />
      <TextAreaField label="Talking points" hint="One per line" rows={3} value={draft.talking_points} onChange={(e) => set({ talking_points: e.target.value })} />
      <ErrorMessage error={save.error} />
      <Button type="submit" busy={save.isPending}>
        Save stage
      </Button>{' '}
      <Button variant="secondary" onClick={onDone}>
        Cancel
      </Button>
    </form>
  );
}
