import type { Call } from '@/types/api';

/** What the rep set up before the call: its goal and who it was with. */
export function CallSetupSummary({ call }: { call: Call }) {
  const prospect = [call.prospect_name, call.prospect_company].filter(Boolean).join(', ');
  if (!call.goal && !prospect) return null;
  return (
    <dl className="call-setup-summary" aria-label="Call setup">
      {call.goal ? (
        <div>
          <dt>Goal</dt>
          <dd>{call.goal}</dd>
        </div>
      ) : null}
      {prospect ? (
        <div>
          <dt>Prospect</dt>
          <dd>{prospect}</dd>
        </div>
      ) : null}
    </dl>
  );
}
