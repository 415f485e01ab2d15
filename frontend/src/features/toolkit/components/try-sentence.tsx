import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/status';

import { useTrySentence } from '../api/toolkit-api';

const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`);

/** Type what a prospect might say and see which entry would fire, and how sure the match is. */
export function TrySentence() {
  const [text, setText] = useState('');
  const attempt = useTrySentence();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (text.trim()) attempt.mutate(text.trim());
  };
  const result = attempt.data;
  return (
    <form onSubmit={onSubmit} aria-label="Test the toolkit" className="card" noValidate>
      <TextField label="Try a sentence" name="try" value={text} onChange={(event) => setText(event.target.value)} hint="As the prospect would say it." />
      <Button type="submit" busy={attempt.isPending}>Try</Button>
      <ErrorMessage error={attempt.error} />
      {result ? (
        <div role="status" aria-label="Try result">
          <p>
            {result.fired
              ? `Fires "${result.fired.title}" (${result.fired.by === 'phrase' ? 'trigger phrase' : `by meaning, ${percent(result.fired.score)} ≥ ${percent(result.fired.threshold)}`})`
              : 'No card would fire.'}
          </p>
          {result.closest.length ? (
            <ul className="muted">
              {result.closest.map((row) => (
                <li key={row.name}>
                  {row.title}: {percent(row.score)} (threshold {percent(row.threshold)})
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
