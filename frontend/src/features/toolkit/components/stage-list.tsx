import { useState } from 'react';

import { Button } from '@/components/ui/button';

import { STAGES, type StageGuidance } from '../api/stages-api';

import { StageForm } from './stage-form';

function StageCard({ stage, label, editable, onEdit }: { stage: StageGuidance; label: string; editable: boolean; onEdit: () => void }) {
  return (
    <article className="card" aria-label={`${label} stage`}>
      <h3>{label}</h3>
      <p>
        <strong>{stage.focus.what}</strong>
        {stage.focus.why ? <span className="muted"> · {stage.focus.why}</span> : null}
      </p>
      {stage.objectives.length ? <p className="muted">Objectives: {stage.objectives.map((o) => o.text).join(' · ')}</p> : null}
      {stage.key_questions.length ? (
        <ul className="stage-questions">
          {stage.key_questions.map((q, i) => (
            <li key={i}>
              {q.primary}
              {q.alternatives.length ? <span className="muted"> (+{q.alternatives.length} other ways)</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {editable ? (
        <Button variant="secondary" onClick={onEdit} aria-label={`Edit the ${label} stage`}>
          Edit
        </Button>
      ) : null}
    </article>
  );
}

/** The guidance of each call stage: what the live guidance panel starts from. */
export function StageList({ stages, editable }: { stages: StageGuidance[]; editable: boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  if (stages.length === 0) return null;
  const label = (id: string) => STAGES.find((s) => s.id === id)?.label ?? id;
  return (
    <section aria-label="Stages">
      <h2 className="kind-heading">Stages</h2>
      {stages.map((stage) =>
        editing === stage.stage ? (
          <StageForm key={stage.stage} stage={stage} label={label(stage.stage)} onDone={() => setEditing(null)} />
        ) : (
          <StageCard key={stage.stage} stage={stage} label={label(stage.stage)} editable={editable} onEdit={() => setEditing(stage.stage)} />
        ),
      )}
    </section>
  );
}
