import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { ErrorMessage, Spinner } from '@/components/ui/status';
import { formatOffset } from '@/utils/format';

import { type Analysis, useAnalysis, useOverrideScores, useRerunAnalysis } from '../api/calls-api';

import { CallReview } from './call-review';

function List({ title, items }: { title: string; items: string[] | null | undefined }) {
  if (!items?.length) return null;
  return (
    <section>
      <h3>{title}</h3>
      <ul>
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ul>
    </section>
  );
}

function Scorecard({ callId, scorecard, canOverride }: { callId: string; scorecard: NonNullable<Analysis['scorecard']>; canOverride: boolean }) {
  const override = useOverrideScores(callId);
  const [draft, setDraft] = useState<Record<string, string>>({});

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
            <th scope="col">Evidence</th>
            {canOverride ? <th scope="col">Coach score</th> : null}
          </tr>
        </thead>
        <tbody>
          {scorecard.map((row) => (
            <tr key={row.criterion}>
              <td>{row.criterion}</td>
              <td>
                {row.override_score ?? row.score} / {row.max_score}
                {row.override_score !== null && row.override_score !== undefined ? <span className="muted"> (AI: {row.score})</span> : null}
              </td>
              <td>
                {row.evidence.map((e, i) => (
                  <blockquote key={i}>
                    {e.start_ms !== null && e.start_ms !== undefined ? <span className="line-time">{formatOffset(e.start_ms)}</span> : null} {e.quote}
                  </blockquote>
                ))}
              </td>
              {canOverride ? (
                <td>
                  <input
                    type="number"
                    min={0}
                    max={row.max_score}
                    step={1}
                    aria-label={`Coach score for ${row.criterion}`}
                    value={draft[row.criterion] ?? ''}
                    onChange={(e) => setDraft({ ...draft, [row.criterion]: e.target.value })}
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
    <section aria-label="Analysis">
      <p role="status">
        Analysis: <strong>{data.status}</strong>{' '}
        {canOverride ? (
          <Button variant="secondary" busy={rerun.isPending} onClick={() => rerun.mutate()}>
            Re-run analysis
          </Button>
        ) : null}
      </p>
      <ErrorMessage error={rerun.error} />
      {data.summary ? <p className="summary">{data.summary}</p> : null}
      <List title="Action items" items={data.action_items} />
      <List title="Next steps" items={data.next_steps} />
      <div className="analysis-columns">
        {data.scorecard?.length ? <Scorecard callId={callId} scorecard={data.scorecard} canOverride={canOverride} /> : null}
        <CallReview review={data.review} />
      </div>
    </section>
  );
}
