import type { Connection } from '../model/live-call-reducer';

const LABEL: Record<Connection, string> = {
  idle: 'Not started',
  connecting: 'Connecting…',
  live: 'Live',
  degraded: 'Degraded',
  reconnecting: 'Reconnecting…',
  ended: 'Ended',
  interrupted: 'Interrupted',
  failed: 'Stopped',
};

const REASON: Record<string, string> = {
  coach_unavailable: 'AI coach unavailable, playbook only',
  llm_unavailable: 'AI coach unavailable, playbook only',
  transcriber_unavailable: 'Speech recognition is reconnecting; audio is kept',
};

export function ConnectionBadge({ connection, reason }: { connection: Connection; reason: string | null }) {
  const detail = reason ? (REASON[reason] ?? reason) : null;
  return (
    <div className={`conn conn-${connection}`} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden="true" />
      <strong>{LABEL[connection]}</strong>
      {detail ? <span className="conn-reason">: {detail}</span> : null}
    </div>
  );
}
