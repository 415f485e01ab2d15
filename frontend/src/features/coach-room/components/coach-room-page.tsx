import { Link } from 'react-router';

import { EmptyState, ErrorMessage, Spinner } from '@/components/ui/status';
import { formatDateTime } from '@/utils/format';

import { useLiveCalls } from '../api/coach-api';

export function CoachRoomPage() {
  const calls = useLiveCalls();
  return (
    <div>
      <h1>Coach room</h1>
      <p className="muted">Join a rep's live call to follow along and whisper tips only they can see.</p>
      {calls.isPending ? <Spinner /> : null}
      <ErrorMessage error={calls.error} />
      {calls.data && calls.data.items.length === 0 ? <EmptyState title="No live calls right now." /> : null}
      <ul className="live-calls">
        {calls.data?.items.map((call) => (
          <li key={call.id} className="card">
            <strong>{call.title || 'Untitled call'}</strong> — {call.user?.name ?? 'Unknown rep'}
            <span className="muted"> since {formatDateTime(call.started_at)}</span>{' '}
            <Link to={`/coach/${encodeURIComponent(call.id)}`} aria-label={`Join ${call.title || 'call'} of ${call.user?.name ?? 'rep'}`}>
              Join
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
