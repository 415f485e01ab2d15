import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { ErrorMessage, Spinner } from '@/components/ui/status';
import type { Evidence, Item, ScoreCard } from '@/lib/api/types.gen';
import { SCORE_RANGE } from '@/lib/protocol.generated';

import { type Analysis, useAnalysis, useOverrideScores, useRerunAnalysis } from '../api/calls-api';

import { CallReview } from './call-review';

const STATUS_TEXT: Record<Analysis['status'], string> = {
  not_started: 'Not analysed yet.',
  pending: 'Queued: the analysis starts in a moment.',
  running: 'Analysing the call…',
  done: 'Done.',
  failed: 'The analysis failed; re-run it.',
};

function ItemList({ title, items }: { title: string; items: Item[] | undefined }) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      {items?.length ? (
        <ul>
          {items.map((item, i) => (
            <li key={i}>
              {item.at ? <span className="line-time">{item.at}</span> : null} {item.text}
              {item.owner ? <span className="muted"> ({item.owner})</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None found in this call.</p>
      )}
    </section>
  );
}

function Quotes({ evidence }: { evidence: Evidence[] }) {
  return evidence.map((e, i) => (
    <blockquote key={i}>
      {e.at ? <span className="line-time">{e.at}</span> : null} {e.quote}
    </blockquote>
  ));
}

function ScoreCell({ card, analysis }: { card: ScoreCard; analysis: Analysis }) {
  const override = analysis.overrides[card.criterion];
  const final = analysis.scores[card.criterion] ?? card.score;
  return (
    <td>
      <strong>
        {final} / {SCORE_RANGE.MAX}
      </strong>
      {override ? <span className="muted"> (coach; AI: {card.score})</span> : null}
    </td>
  );
}

function Scorecard({ callId, analysis, canOverride }: { callId: string; analysis: Analysis; canOverride: boolean }) {
  const override = useOverrideScores(callId);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const scorecard = analysis.scorecard ?? [];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const scores = Object.fromEntries(
      Object.entries(draft)
        .filter(([, value]) => value !== '')
        .map(([criterion, value]) => [criterion, Number(value)]),
    );
    if (Object.keys(scores).length) override.mutate(scores, { onSuccess: () => setDraft({}) });
  };

  return (
    <form onSubmit={onSubmit} aria-label="Scorecard">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Score</th>
            <th scope="col">Why</th>
            {canOverride ? <th scope="col">Coach score</th> : null}
          </tr>
        </thead>
        <tbody>
          {scorecard.map((card) => (
            <tr key={card.criterion}>
              <th scope="row">{card.title}</th>
              <ScoreCell card={card} analysis={analysis} />
              <td>
                <p>{card.rationale}</p>
                <Quotes evidence={card.evidence} />
              </td>
              {canOverride ? (
                <td>
                  <input
                    type="number"
                    min={SCORE_RANGE.MIN}
                    max={SCORE_RANGE.MAX}
                    step={1}
                    aria-label={`Coach score for ${card.title}`}
                    value={draft[card.criterion] ?? ''}
                    onChange={(e) => setDraft({ ...draft, [card.criterion]: e.target.value })}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorMessage error={override.error} />
      {canOverride ? (
        <Button type="submit" busy={override.isPending}>
          Save scores
        </Button>
      ) : null}
      {override.isSuccess ? <span role="status"> Scores saved.</span> : null}
    </form>
  );
}

export function AnalysisPanel({ callId, canOverride }: { callId: string; canOverride: boolean }) {
  const analysis = useAnalysis(callId);
  const rerun = useRerunAnalysis(callId);
  if (analysis.isPending) return <Spinner />;
  if (analysis.isError) return <ErrorMessage error={analysis.error} />;
  const data = analysis.data;
  return (
    <section aria-label="Analysis" className="analysis">
      <p role="status">
        <span className="muted">Analysis:</span> {STATUS_TEXT[data.status]}{' '}
        {canOverride ? (
          <Button variant="secondary" busy={rerun.isPending} onClick={() => rerun.mutate()}>
            Re-run analysis
          </Button>
        ) : null}
      </p>
      <ErrorMessage error={rerun.error} />
      {data.status === 'done' ? (
        <>
          <section aria-label="Summary">
            <h3>Summary</h3>
            <p className="summary">{data.summary}</p>
          </section>
          <ItemList title="Action items" items={data.action_items} />
          <ItemList title="Next steps" items={data.next_steps} />
          <div className="analysis-columns">
            {data.scorecard?.length ? <Scorecard callId={callId} analysis={data} canOverride={canOverride} /> : null}
            <CallReview review={data.review} />
          </div>
        </>
      ) : null}
    </section>
  );
}
