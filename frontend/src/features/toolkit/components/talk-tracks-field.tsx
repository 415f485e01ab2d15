import { Button } from '@/components/ui/button';
import { TextAreaField, TextField } from '@/components/ui/field';

import type { TalkTrack } from '../api/toolkit-api';

interface Props {
  value: TalkTrack[];
  onChange: (tracks: TalkTrack[]) => void;
  error?: string;
}

/** As many as the server accepts per entry. */
const MAX_TALK_TRACKS = 20;

/** Several ways to answer one moment, each with a note on when it fits; the first is the card body. */
export function TalkTracksField({ value, onChange, error }: Props) {
  const update = (index: number, patch: Partial<TalkTrack>) => onChange(value.map((track, i) => (i === index ? { ...track, ...patch } : track)));
  return (
    <fieldset className="talk-tracks-field">
      <legend>Talk tracks</legend>
      {value.map((track, i) => (
        <div key={i} className="talk-track-row">
          <TextAreaField
            label={`Talk track ${i + 1}${i === 0 ? ' (card body)' : ''}`}
            value={track.text}
            rows={2}
            maxLength={4000}
            onChange={(e) => update(i, { text: e.target.value })}
          />
          <TextField label={`When to use ${i + 1}`} value={track.when_to_use} maxLength={500} onChange={(e) => update(i, { when_to_use: e.target.value })} />
          {value.length > 1 ? (
            <Button variant="secondary" onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={`Remove talk track ${i + 1}`}>
              Remove
            </Button>
          ) : null}
        </div>
      ))}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {value.length < MAX_TALK_TRACKS ? (
        <Button variant="secondary" onClick={() => onChange([...value, { text: '', when_to_use: '' }])}>
          Add a talk track
        </Button>
      ) : null}
    </fieldset>
  );
}
