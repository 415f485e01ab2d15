import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/status';

import { useSendWhisper } from '../api/coach-api';

const MAX_WHISPER = 500;

/** A short tip delivered to the rep only. */
export function WhisperForm({ callId }: { callId: string }) {
  const [text, setText] = useState('');
  const [sent, setSent] = useState<string[]>([]);
  const whisper = useSendWhisper(callId);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    whisper.mutate(value, {
      onSuccess: () => {
        setSent((previous) => [...previous.slice(-19), value]);
        setText('');
      },
    });
  };

  return (
    <section aria-label="Whisper to the rep" className="whisper-form">
      <form onSubmit={onSubmit}>
        <TextField label="Whisper to the rep" value={text} maxLength={MAX_WHISPER} onChange={(e) => setText(e.target.value)} />
        <Button type="submit" busy={whisper.isPending} disabled={!text.trim()}>
          Send
        </Button>
      </form>
      <ErrorMessage error={whisper.error} />
      {sent.length ? (
        <ul className="muted" aria-label="Sent whispers">
          {sent.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
