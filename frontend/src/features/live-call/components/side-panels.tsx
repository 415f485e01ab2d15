import { useEffect } from 'react';

import type { LiveCallState, Toast } from '../model/live-call-reducer';

const TOAST_MS = 8000;

function NudgeToast({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = window.setTimeout(() => onDismiss(toast.id), TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [toast.id, onDismiss]);
  return (
    <div className={`toast toast-${toast.kind}`} role="status">
      <span>{toast.message}</span>
      <button type="button" aria-label="Dismiss tip" onClick={() => onDismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}

/** Delivery nudges (monologue, pace, no questions) as self-dismissing toasts. */
export function NudgeToasts({ nudges, onDismiss }: { nudges: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" aria-live="polite" aria-label="Tips">
      {nudges.map((toast) => (
        <NudgeToast key={toast.id} toast={toast} onDismiss={onDismiss} />
      ))}
    </div>
  );
}

export function WhisperList({ whispers }: { whispers: LiveCallState['whispers'] }) {
  if (whispers.length === 0) return null;
  return (
    <section aria-label="Whispers from your coach" className="whispers">
      <h3>Coach whispers</h3>
      <ul aria-live="polite">
        {whispers.map((whisper, index) => (
          <li key={index}>
            <strong>{whisper.from}:</strong> {whisper.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function PresenceList({ coaches }: { coaches: LiveCallState['coaches'] }) {
  if (coaches.length === 0) return null;
  return (
    <p className="presence" role="status">
      Listening in: {coaches.map((coach) => coach.name).join(', ')}
    </p>
  );
}
