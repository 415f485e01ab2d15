import { render, screen, within } from '@testing-library/react';

import { ReviewSchema } from '../api/calls-api';

import { CallReview } from './call-review';

describe('CallReview', () => {
  it('shows what worked, missed opportunities with what to do instead, tips and the outcome', () => {
    const review = ReviewSchema.parse({
      what_worked: ['You asked about their current process'],
      missed_opportunities: [{ moment: 'They mentioned a budget review', instead: 'Ask who signs off and when' }],
      tips: ['Pause after a question'],
      outcome: { label: 'follow_up', reason: 'They asked for a proposal' },
      origin: 'llm',
    });
    render(<CallReview review={review} />);
    expect(screen.getByText('Follow-up')).toBeInTheDocument();
    expect(screen.getByText(/They asked for a proposal/)).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'What worked' })).getByText('You asked about their current process')).toBeInTheDocument();
    const missed = screen.getByRole('region', { name: 'Missed opportunities' });
    expect(within(missed).getByText('They mentioned a budget review')).toBeInTheDocument();
    expect(within(missed).getByText('Instead: Ask who signs off and when')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Tips to improve' })).getByText('Pause after a question')).toBeInTheDocument();
    expect(screen.getByText('AI')).toBeInTheDocument();
  });

  it('renders nothing for an analysis without a review', () => {
    const { container } = render(<CallReview review={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});
