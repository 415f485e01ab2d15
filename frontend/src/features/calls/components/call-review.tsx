import { ReviewSchema } from '../api/calls-api';

const OUTCOME_LABEL: Record<string, string> = {
  won: 'Won',
  lost: 'Lost',
  follow_up: 'Follow-up',
  no_decision: 'No decision',
};

function Items({ title, items }: { title: string; items: string[] }) {
  if (!items.length) return null;
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <ul>
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ul>
    </section>
  );
}

/** What worked, the missed opportunities with what to do instead, tips and the call's outcome. */
export function CallReview({ review: raw }: { review: unknown }) {
  const parsed = raw ? ReviewSchema.safeParse(raw) : null;
  if (!parsed?.success) return null;
  const review = parsed.data;
  const outcome = review.outcome;
  return (
    <section aria-label="Call review" className="call-review">
      <h3>
        Review <span className={`badge origin-${review.origin}`}>{review.origin === 'llm' ? 'AI' : 'Rules'}</span>
      </h3>
      {outcome ? (
        <p className="review-outcome">
          Outcome: <strong>{OUTCOME_LABEL[outcome.label] ?? outcome.label}</strong>
          {outcome.reason ? ` (${outcome.reason})` : null}
        </p>
      ) : null}
      <Items title="What worked" items={review.what_worked} />
      {review.missed_opportunities.length ? (
        <section aria-label="Missed opportunities">
          <h3>Missed opportunities</h3>
          <ul className="missed">
            {review.missed_opportunities.map((missed, i) => (
              <li key={i}>
                {missed.moment}
                {missed.instead ? <p className="instead">Instead: {missed.instead}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Items title="Tips to improve" items={review.tips} />
    </section>
  );
}
