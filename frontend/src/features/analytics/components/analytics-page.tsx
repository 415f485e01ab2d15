import { useState } from 'react';

import { ErrorBoundary } from '@/components/errors/error-boundary';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { EmptyState, ErrorMessage, Spinner } from '@/components/ui/status';
import { formatDuration, formatPercent, toDateInput } from '@/utils/format';

import { type Analytics, type Range, useAnalytics } from '../api/analytics-api';

import { RepsChart, WeeklyChart } from './analytics-charts';

/** The last 30 days, today included (the server counts both days, in the viewer's zone). */
function defaultRange(): Range {
  const to = new Date();
  const from = new Date(to.getFullYear(), to.getMonth(), to.getDate() - 29);
  return { from: toDateInput(from), to: toDateInput(to) };
}

function RepsTable({ reps, onSelect }: { reps: Analytics['reps']; onSelect: (id: string) => void }) {
  return (
    <table className="table">
      <thead>
        <tr>
          {['Rep', 'Calls', 'Talk time', 'Talk ratio', 'Questions / call', 'Checklist', 'Suggestions used'].map((h) => (
            <th key={h} scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {reps.map((r) => (
          <tr key={r.user_id}>
            <td>
              <button type="button" className="link" onClick={() => onSelect(r.user_id)}>{r.name}</button>
            </td>
            <td>{r.calls}</td>
            <td>{formatDuration(r.talk_time_s)}</td>
            <td>{formatPercent(r.avg_talk_ratio)}</td>
            <td>{r.questions_per_call === null ? '–' : r.questions_per_call.toFixed(1)}</td>
            <td>{formatPercent(r.checklist_coverage)}</td>
            <td>{r.suggestions_used} / {r.suggestions_shown}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Objections({ objections }: { objections: Analytics['objections'] }) {
  if (!objections.length) return null;
  return (
    <section aria-label="Objections met">
      <h2>Objections met</h2>
      <ul>
        {objections.map((o) => (
          <li key={o.kind_name}>{o.kind_name}: {o.count} times, suggestion used {o.used} times</li>
        ))}
      </ul>
    </section>
  );
}

export function AnalyticsPage() {
  const [range, setRange] = useState<Range>(defaultRange);
  const [repId, setRepId] = useState<string | null>(null);
  const analytics = useAnalytics(range, repId);
  const data = analytics.data;
  return (
    <div>
      <h1>Analytics</h1>
      <div className="filters" role="group" aria-label="Date range">
        <TextField label="From" type="date" value={range.from} max={range.to} onChange={(e) => setRange({ ...range, from: e.target.value })} />
        <TextField label="To" type="date" value={range.to} min={range.from} onChange={(e) => setRange({ ...range, to: e.target.value })} />
        {repId ? <Button variant="secondary" onClick={() => setRepId(null)}>Back to the whole team</Button> : null}
      </div>
      {analytics.isPending ? <Spinner /> : null}
      <ErrorMessage error={analytics.error} />
      {data && data.reps.length === 0 && data.weekly.length === 0 ? <EmptyState title="No calls in this period." /> : null}
      {data ? (
        <ErrorBoundary fallback={() => <p className="error-message">The charts could not be drawn.</p>}>
          {data.weekly.length ? <WeeklyChart weekly={data.weekly} /> : null}
          {data.reps.length ? <RepsChart reps={data.reps} /> : null}
          {data.reps.length ? <RepsTable reps={data.reps} onSelect={setRepId} /> : null}
          <Objections objections={data.objections} />
        </ErrorBoundary>
      ) : null}
    </div>
  );
}
