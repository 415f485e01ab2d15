import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import type { Analytics } from '../api/analytics-api';

const pct = (v: number) => Math.round(v * 100);

export function WeeklyChart({ weekly }: { weekly: Analytics['weekly'] }) {
  const data = weekly.map((w) => ({ ...w, talk: pct(w.avg_talk_ratio), coverage: pct(w.checklist_coverage) }));
  return (
    <figure aria-label="Weekly trend">
      <figcaption>Weekly trend: calls, talk ratio (%), questions per call, checklist coverage (%)</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="week" />
          <YAxis />
          <Tooltip />
          <Legend />
          <Line type="monotone" dataKey="calls" name="Calls" stroke="#2563eb" />
          <Line type="monotone" dataKey="talk" name="Talk ratio %" stroke="#dc2626" />
          <Line type="monotone" dataKey="questions_per_call" name="Questions / call" stroke="#16a34a" />
          <Line type="monotone" dataKey="coverage" name="Checklist %" stroke="#9333ea" />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function RepsChart({ reps }: { reps: Analytics['reps'] }) {
  const data = reps.map((r) => ({ name: r.name, talk: pct(r.avg_talk_ratio), questions: r.questions_per_call }));
  return (
    <figure aria-label="Reps compared">
      <figcaption>Talk ratio (%) and questions per call by rep</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" />
          <YAxis />
          <Tooltip />
          <Legend />
          <Bar dataKey="talk" name="Talk ratio %" fill="#dc2626" />
          <Bar dataKey="questions" name="Questions / call" fill="#16a34a" />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
