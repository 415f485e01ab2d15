import type { KeyQuestion } from '../api/events';
import type { LiveGuidance } from '../model/guidance-state';

import { ObjectivesList } from './objectives-list';

function Focus({ focus }: { focus: NonNullable<LiveGuidance['focus']> }) {
  const urgency = focus.urgency.toLowerCase();
  return (
    <section aria-label="Focus" className={`focus focus-${urgency || 'unknown'}`}>
      <h3>
        Focus now{urgency ? <span className={`badge urgency urgency-${urgency}`}>{urgency} urgency</span> : null}
      </h3>
      <p className="focus-what">{focus.what}</p>
      {focus.why ? <p className="focus-why">Why: {focus.why}</p> : null}
    </section>
  );
}

function Question({ question, open }: { question: KeyQuestion; open: boolean }) {
  const count = question.alternatives.length;
  return (
    <li className="key-question">
      <p className="kq-primary">{question.primary}</p>
      {question.context ? <p className="kq-context">When: {question.context}</p> : null}
      {count ? (
        <details open={open}>
          <summary>
            {count} other way{count === 1 ? '' : 's'} to ask
          </summary>
          <ul className="kq-alternatives">
            {question.alternatives.map((alternative, i) => (
              <li key={i}>{alternative}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}

/** Direction, not a script: what to achieve now, why, and questions to ask (with other phrasings). */
export function GuidancePanel({ guidance }: { guidance: LiveGuidance | null }) {
  if (!guidance) return <p className="muted">Your brief appears here when the call starts.</p>;
  const streaming = guidance.status === 'partial';
  return (
    <div className="guidance" aria-busy={streaming || undefined}>
      <p className="guidance-origin">
        <span className={`badge origin-${guidance.origin}`}>{guidance.origin === 'llm' ? 'AI' : 'Playbook'}</span>
        {streaming ? <span className="badge badge-pending">updating…</span> : null}
      </p>
      {guidance.focus?.what ? <Focus focus={guidance.focus} /> : null}
      {guidance.key_questions.length ? (
        <section aria-label="Key questions">
          <h3>Key questions</h3>
          <ol className="key-questions">
            {guidance.key_questions.map((question, i) => (
              <Question key={`${i}-${question.primary}`} question={question} open={i === 0} />
            ))}
          </ol>
        </section>
      ) : null}
      {guidance.talking_points.length ? (
        <section aria-label="Talking points">
          <h3>Talking points</h3>
          <ul className="talking-points">
            {guidance.talking_points.map((point, i) => (
              <li key={i}>{point}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <ObjectivesList objectives={guidance.objectives} />
    </div>
  );
}
