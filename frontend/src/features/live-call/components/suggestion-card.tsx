import { memo } from 'react';

import type { LiveSuggestion } from '../model/live-call-reducer';

interface Props {
  suggestion: LiveSuggestion;
  onFeedback?: (suggestionId: string, action: 'used' | 'dismissed') => void;
}

/** One coaching card; every server string is rendered as plain text. */
export const SuggestionCard = memo(function SuggestionCard({ suggestion, onFeedback }: Props) {
  const { suggestion_id: id, status, feedback } = suggestion;
  const headingId = `suggestion-${id}`;
  return (
    <article
      className={`card suggestion suggestion-${suggestion.kind}${feedback === 'dismissed' ? ' is-dismissed' : ''}`}
      aria-labelledby={headingId}
      aria-busy={status === 'partial' || undefined}
    >
      <header>
        <span className="badge">{suggestion.kind}</span>
        <span className={`badge origin-${suggestion.origin}`}>{suggestion.origin === 'llm' ? 'AI' : 'Playbook'}</span>
        {status === 'partial' ? <span className="badge badge-pending">writing…</span> : null}
      </header>
      <h3 id={headingId}>{suggestion.title}</h3>
      <p className="suggestion-body">{suggestion.body}</p>
      {onFeedback ? (
        <div className="card-actions">
          <button type="button" aria-pressed={feedback === 'used'} onClick={() => onFeedback(id, 'used')}>
            Used it
          </button>
          <button type="button" aria-pressed={feedback === 'dismissed'} onClick={() => onFeedback(id, 'dismissed')}>
            Dismiss
          </button>
        </div>
      ) : feedback ? (
        <p className="muted">Rep marked: {feedback}</p>
      ) : null}
    </article>
  );
});

export function SuggestionList({ suggestions, onFeedback }: { suggestions: LiveSuggestion[]; onFeedback?: Props['onFeedback'] }) {
  if (suggestions.length === 0) {
    return <p className="muted">Suggestions appear here when the prospect raises an objection or a buying signal.</p>;
  }
  return (
    <div className="suggestion-list" aria-live="polite">
      {suggestions.map((s) => (
        <SuggestionCard key={s.suggestion_id} suggestion={s} onFeedback={onFeedback} />
      ))}
    </div>
  );
}
