import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import type { Analytics } from '../api/analytics-api';

type Week = Analytics['weekly'][number];
type Rep = Analytics['reps'][number];

/** One measure per chart, each with its own axis and unit (small multiples). */
interface Measure<T> {
  key: string;
  title: string;
  unit: string;
  value: (row: T) => number | null;
  /** Fixed axis range for shares (0-100 %); counts scale to the data. */
  domain?: [number, number];
  color: string;
}

const percent = (v: number | null) => (v === null ? null : Math.round(v * 100));
const oneDecimal = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

const WEEK_MEASURES: Measure<Week>[] = [
  { key: 'calls', title: 'Calls', unit: '', value: (w) => w.calls, color: '#2563eb' },
  { key: 'talk', title: 'Rep talk ratio', unit: '%', value: (w) => percent(w.avg_talk_ratio), domain: [0, 100], color: '#dc2626' },
  { key: 'questions', title: 'Questions per call', unit: '', value: (w) => oneDecimal(w.questions_per_call), color: '#16a34a' },
  { key: 'coverage', title: 'Checklist coverage', unit: '%', value: (w) => percent(w.checklist_coverage), domain: [0, 100], color: '#9333ea' },
];

const REP_MEASURES: Measure<Rep>[] = [
  { key: 'calls', title: 'Calls', unit: '', value: (r) => r.calls, color: '#2563eb' },
  { key: 'talk', title: 'Rep talk ratio', unit: '%', value: (r) => percent(r.avg_talk_ratio), domain: [0, 100], color: '#dc2626' },
  { key: 'questions', title: 'Questions per call', unit: '', value: (r) => oneDecimal(r.questions_per_call), color: '#16a34a' },
  { key: 'coverage', title: 'Checklist coverage', unit: '%', value: (r) => percent(r.checklist_coverage), domain: [0, 100], color: '#9333ea' },
];

/** "Nov 24", or "Nov 24, 25" when the weeks shown span more than one year. */
function weekLabel(week: string, withYear: boolean): string {
  const date = new Date(`${week}T00:00:00`);
  if (Number.isNaN(date.getTime())) return week;
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', ...(withYear ? { year: '2-digit' } : {}) });
}

function SmallChart({ title, children }: { title: string; children: ReactElement }) {
  return (
    <figure className="small-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={160}>
        {children}
      </ResponsiveContainer>
    </figure>
  );
}

export function WeeklyChart({ weekly }: { weekly: Analytics['weekly'] }) {
  return (
    <section aria-label="Weekly trend" className="chart-grid">
      <h2>Week by week</h2>
      {WEEK_MEASURES.map((m) => {
        const withYear = weekly.length > 0 && weekly[0]!.week.slice(0, 4) !== weekly[weekly.length - 1]!.week.slice(0, 4);
        const data = weekly.map((w) => ({ week: weekLabel(w.week, withYear), value: m.value(w) }));
        return (
          <SmallChart key={m.key} title={m.title}>
            <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="week" fontSize={12} />
              <YAxis domain={m.domain ?? [0, 'auto']} unit={m.unit} allowDecimals={m.unit === ''} fontSize={12} />
              <Tooltip formatter={(v) => [`${String(v)}${m.unit}`, m.title]} />
              <Line type="linear" dataKey="value" stroke={m.color} strokeWidth={2} dot connectNulls isAnimationActive={false} />
            </LineChart>
          </SmallChart>
        );
      })}
    </section>
  );
}

export function RepsChart({ reps }: { reps: Analytics['reps'] }) {
  return (
    <section aria-label="Reps compared" className="chart-grid">
      <h2>Reps compared</h2>
      {REP_MEASURES.map((m) => {
        const data = reps.map((r) => ({ name: r.name, value: m.value(r) }));
        return (
          <SmallChart key={m.key} title={m.title}>
            <BarChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" fontSize={12} />
              <YAxis domain={m.domain ?? [0, 'auto']} unit={m.unit} fontSize={12} />
              <Tooltip formatter={(v) => [`${String(v)}${m.unit}`, m.title]} />
              <Bar dataKey="value" fill={m.color} isAnimationActive={false} />
            </BarChart>
          </SmallChart>
        );
      })}
    </section>
  );
}
