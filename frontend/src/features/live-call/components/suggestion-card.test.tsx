import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { LiveSuggestion } from '../model/live-call-reducer';

import { SuggestionCard } from './suggestion-card';

const base: LiveSuggestion = {
  suggestion_id: 's1',
  kind: 'objection',
  title: 'Price objection',
  body: 'Ask what they compare it with.',
  origin: 'playbook',
  status: 'final',
  trigger_utterance_id: 'u1',
  latency_ms: 120,
};

describe('SuggestionCard', () => {
  it('renders server text as text, never as HTML', () => {
    const body = '<img src=x onerror="alert(1)"><b>bold</b>';
    const { container } = render(<SuggestionCard suggestion={{ ...base, title: '<script>x</script>', body }} />);
    expect(screen.getByText(body)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: '<script>x</script>' })).toBeInTheDocument();
    expect(container.querySelector('img, b, script')).toBeNull();
  });

  it('marks a streaming card as busy and labels its origin', () => {
    render(<SuggestionCard suggestion={{ ...base, status: 'partial', origin: 'llm' }} />);
    expect(screen.getByRole('article')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText('AI')).toBeInTheDocument();
    expect(screen.getByText('writing…')).toBeInTheDocument();
  });

  it('reports used / dismissed feedback and shows the pressed state', async () => {
    const onFeedback = vi.fn();
    render(<SuggestionCard suggestion={{ ...base, feedback: 'used' }} onFeedback={onFeedback} />);
    expect(screen.getByRole('button', { name: 'Used it' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(onFeedback).toHaveBeenCalledWith('s1', 'dismissed');
  });

  it('has no feedback buttons in the read-only coach view', () => {
    render(<SuggestionCard suggestion={base} />);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
