interface Props {
  /** What is muted, e.g. "your mic" or "the meeting tab". */
  label: string;
  muted: boolean;
  onChange: (muted: boolean) => void;
}

/** Mute one source of the call: nothing of it is sent or transcribed until unmuted. */
export function MuteButton({ label, muted, onChange }: Props) {
  return (
    <button
      type="button"
      className={`btn btn-secondary mute${muted ? ' is-muted' : ''}`}
      aria-pressed={muted}
      aria-label={`Mute ${label}`}
      onClick={() => onChange(!muted)}
    >
      {muted ? 'Unmute' : 'Mute'}
    </button>
  );
}
