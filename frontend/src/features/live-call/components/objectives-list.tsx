import type { Objective } from '../api/events';

/** The current stage's objectives, done and remaining. */
export function ObjectivesList({ objectives }: { objectives: Objective[] }) {
  if (objectives.length === 0) return null;
  const done = objectives.filter((objective) => objective.done).length;
  return (
    <section aria-label="Stage objectives" className="objectives">
      <h3>
        Objectives <span className="muted">{done} of {objectives.length} done</span>
      </h3>
      <ul className="checklist">
        {objectives.map((objective) => (
          <li key={objective.id} className={objective.done ? 'done' : undefined}>
            <span aria-hidden="true">{objective.done ? '✓' : '○'}</span> {objective.text}
            <span className="visually-hidden">{objective.done ? ' (done)' : ' (remaining)'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
