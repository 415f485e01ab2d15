import { formatDuration, formatPercent } from '@/utils/format';

import type { MetricsEvent } from '../api/events';

export function TalkRatioBar({ ratio }: { ratio: number }) {
  const rep = Math.round(Math.min(1, Math.max(0, ratio)) * 100);
  return (
    <div className="talk-ratio" role="img" aria-label={`You talk ${rep}% of the time, the prospect ${100 - rep}%`}>
      <div className={`talk-rep${rep > 65 ? ' warn' : ''}`} style={{ width: `${rep}%` }}>You {rep}%</div>
      <div className="talk-prospect" style={{ width: `${100 - rep}%` }}>Prospect {100 - rep}%</div>
    </div>
  );
}

export function MetricsPanel({ metrics }: { metrics: MetricsEvent | null }) {
  if (!metrics) return <p className="muted">Delivery metrics appear once you start talking.</p>;
  return (
    <section aria-label="Delivery metrics" className="metrics">
      <TalkRatioBar ratio={metrics.talk_ratio} />
      <dl className="stats">
        <div className={metrics.rep_wpm > 170 ? 'warn' : undefined}>
          <dt>Pace</dt>
          <dd>{Math.round(metrics.rep_wpm)} wpm</dd>
        </div>
        <div className={metrics.current_monologue_s > 60 ? 'warn' : undefined}>
          <dt>Monologue</dt>
          <dd>{formatDuration(metrics.current_monologue_s)}</dd>
        </div>
        <div>
          <dt>Longest</dt>
          <dd>{formatDuration(metrics.longest_monologue_s)}</dd>
        </div>
        <div>
          <dt>Your questions</dt>
          <dd>{metrics.questions_asked}</dd>
        </div>
        <div>
          <dt>Their questions</dt>
          <dd>{metrics.prospect_questions}</dd>
        </div>
        <div>
          <dt>Filler words</dt>
          <dd>{metrics.filler_words}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd>{formatDuration(metrics.elapsed_s)}</dd>
        </div>
        <div>
          <dt>Talk ratio</dt>
          <dd>{formatPercent(metrics.talk_ratio)}</dd>
        </div>
      </dl>
    </section>
  );
}

export function Checklist({ items }: { items: MetricsEvent['checklist'] }) {
  if (items.length === 0) return null;
  return (
    <section aria-label="Checklist">
      <h3>Checklist</h3>
      <ul className="checklist">
        {items.map((item) => (
          <li key={item.name} className={item.done ? 'done' : undefined}>
            <span aria-hidden="true">{item.done ? '✓' : '○'}</span> {item.title}
            <span className="visually-hidden">{item.done ? ' (done)' : ' (to do)'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
