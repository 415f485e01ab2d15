import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';

import { TranscriptList } from '@/components/transcript/transcript-list';
import { Button } from '@/components/ui/button';
import { SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { EmptyState, ErrorMessage, Spinner } from '@/components/ui/status';
import { hasRole, useUser } from '@/lib/auth';
import type { Call } from '@/types/api';
import { consentSummary } from '@/types/consent';
import { formValues } from '@/utils/form';
import { formatDateTime, formatDuration } from '@/utils/format';

import { downloadExport, type ExportFormat, useCall, useCallSuggestions, useDeleteCall, useTranscript, useUpdateCall } from '../api/calls-api';

import { AnalysisPanel } from './analysis-panel';
import { CallSetupSummary } from './call-setup-summary';

/** The outcomes the server accepts (CallUpdateSchema); '' clears the outcome. */
const OUTCOMES = [
  { value: '', label: 'Not set' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
  { value: 'follow_up', label: 'Follow-up' },
  { value: 'no_decision', label: 'No decision' },
  { value: 'other', label: 'Other' },
];

function CallEditor({ call }: { call: Call }) {
  const update = useUpdateCall(call.id);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { title, outcome, notes, goal, prospect_name, prospect_company } = formValues(event.currentTarget);
    update.mutate({
      title: title || undefined,
      outcome: outcome || null,
      notes: notes || null,
      goal: goal || null,
      prospect_name: prospect_name || null,
      prospect_company: prospect_company || null,
    });
  };
  return (
    <form onSubmit={onSubmit} aria-label="Call details" className="call-editor">
      <TextField label="Title" name="title" defaultValue={call.title ?? ''} maxLength={200} />
      <TextField label="Goal" name="goal" defaultValue={call.goal ?? ''} maxLength={500} />
      <TextField label="Prospect name" name="prospect_name" defaultValue={call.prospect_name ?? ''} maxLength={200} />
      <TextField label="Company" name="prospect_company" defaultValue={call.prospect_company ?? ''} maxLength={200} />
      <SelectField label="Outcome" name="outcome" defaultValue={call.outcome ?? ''} options={OUTCOMES} />
      <TextAreaField label="Notes" name="notes" defaultValue={call.notes ?? ''} rows={3} />
      <ErrorMessage error={update.error} />
      <Button type="submit" busy={update.isPending}>
        Save
      </Button>
      {update.isSuccess ? <span role="status"> Saved.</span> : null}
    </form>
  );
}

function Exports({ callId }: { callId: string }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      await downloadExport(callId, format);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="exports" role="group" aria-label="Export">
      {(['json', 'csv', 'pdf'] as const).map((format) => (
        <Button key={format} variant="secondary" busy={busy === format} onClick={() => void run(format)}>
          Export {format.toUpperCase()}
        </Button>
      ))}
      <ErrorMessage error={error} />
    </div>
  );
}

function Transcript({ callId }: { callId: string }) {
  const transcript = useTranscript(callId);
  if (transcript.isPending) return <Spinner />;
  if (transcript.isError) return <ErrorMessage error={transcript.error} />;
  if (!transcript.data.items.length) return <EmptyState title="No transcript was stored for this call." />;
  return <TranscriptList lines={transcript.data.items} speakerNames={{ rep: 'Rep' }} />;
}

function Suggestions({ callId }: { callId: string }) {
  const suggestions = useCallSuggestions(callId);
  if (suggestions.isPending) return <Spinner />;
  if (suggestions.isError) return <ErrorMessage error={suggestions.error} />;
  if (!suggestions.data.items.length) return <EmptyState title="No suggestions were shown." />;
  return (
    <ul className="suggestion-history">
      {suggestions.data.items.map((s) => (
        <li key={s.suggestion_id}>
          <span className="badge">{s.kind}</span> <strong>{s.title}</strong> {s.body}
          <span className="muted"> — {s.feedback ?? 'no feedback'}</span>
        </li>
      ))}
    </ul>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function CallDetailPage({ callId }: { callId: string }) {
  const call = useCall(callId);
  const user = useUser().data;
  const remove = useDeleteCall();
  const navigate = useNavigate();
  if (call.isPending) return <Spinner />;
  if (call.isError) return <ErrorMessage error={call.error} />;
  const data = call.data;
  const onDelete = () => {
    if (window.confirm('Delete this call and its transcript for good?')) {
      remove.mutate(callId, { onSuccess: () => navigate('/calls', { replace: true }) });
    }
  };
  return (
    <div className="call-detail">
      <h1>{data.title || 'Untitled call'}</h1>
      <p className="muted">
        {data.user?.name ?? 'Unknown rep'} · {formatDateTime(data.started_at)} · {formatDuration(data.duration_s)} · {data.state} ·{' '}
        {plural(data.utterance_count, 'utterance')} · {plural(data.suggestion_count, 'suggestion')}
      </p>
      <p className="consent-line">{consentSummary(data.consent)}</p>
      <CallSetupSummary call={data} />
      <Exports callId={callId} />
      <CallEditor call={data} />
      <section aria-label="Transcript">
        <h2>Transcript</h2>
        <Transcript callId={callId} />
      </section>
      <section aria-label="Suggestions">
        <h2>Suggestions</h2>
        <Suggestions callId={callId} />
      </section>
      <h2>Analysis</h2>
      <AnalysisPanel callId={callId} canOverride={hasRole(user, ['coach', 'admin'])} />
      <p>
        <Button variant="danger" busy={remove.isPending} onClick={onDelete}>
          Delete call
        </Button>
      </p>
      <ErrorMessage error={remove.error} />
    </div>
  );
}
