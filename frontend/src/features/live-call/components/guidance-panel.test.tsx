import { render, screen, within } from '@testing-library/react';

import type { LiveGuidance } from '../model/guidance-state';

import { GuidancePanel } from './guidance-panel';

const guidance: LiveGuidance = {
  stage: 'discovery',
  stage_confidence: 0.8,
  time_in_stage_s: 12,
  focus: { what: 'Uncover the pain', why: 'No pain, no deal', urgency: 'high' },
  key_questions: [
    { primary: 'What is the cost of doing nothing?', alternatives: ['What happens if this waits a year?', 'Who feels it most?'], context: 'Once they name a problem' },
    { primary: 'How do you handle it today?', alternatives: ['Walk me through today.'], context: '' },
  ],
  talking_points: ['Others cut onboarding by half'],
  objectives: [
    { id: 'pain', text: 'Name one pain', done: true },
    { id: 'owner', text: 'Find the budget owner', done: false },
  ],
  origin: 'llm',
  status: 'final',
  receivedAt: 0,
};

describe('GuidancePanel', () => {
  it('shows the focus with why and urgency, each key question with its alternatives and when to use it', () => {
    render(<GuidancePanel guidance={guidance} />);
    const focus = screen.getByRole('region', { name: 'Focus' });
    expect(within(focus).getByText('Uncover the pain')).toBeInTheDocument();
    expect(within(focus).getByText('Why: No pain, no deal')).toBeInTheDocument();
    expect(within(focus).getByText('high urgency')).toBeInTheDocument();
    const questions = within(screen.getByRole('region', { name: 'Key questions' })).getAllByRole('listitem').filter((li) => li.classList.contains('key-question'));
    expect(questions).toHaveLength(2);
    expect(within(questions[0]!).getByText('When: Once they name a problem')).toBeInTheDocument();
    expect(within(questions[0]!).getByText('2 other ways to ask')).toBeInTheDocument();
    expect(within(questions[0]!).getByText('Who feels it most?')).toBeInTheDocument();
    expect(within(questions[1]!).getByText('1 other way to ask')).toBeInTheDocument();
    expect(screen.getByText('Others cut onboarding by half')).toBeInTheDocument();
  });

  it('shows the stage objectives done and remaining', () => {
    render(<GuidancePanel guidance={guidance} />);
    const objectives = screen.getByRole('region', { name: 'Stage objectives' });
    expect(within(objectives).getByText('1 of 2 done')).toBeInTheDocument();
    expect(within(objectives).getByText('(done)', { exact: false }).closest('li')).toHaveTextContent('Name one pain');
    expect(within(objectives).getByText('(remaining)', { exact: false }).closest('li')).toHaveTextContent('Find the budget owner');
  });

  it('marks streaming guidance as updating and says where it comes from', () => {
    const { container } = render(<GuidancePanel guidance={{ ...guidance, status: 'partial' }} />);
    expect(screen.getByText('AI')).toBeInTheDocument();
    expect(screen.getByText('updating…')).toBeInTheDocument();
    expect(container.querySelector('.guidance')).toHaveAttribute('aria-busy', 'true');
  });

  it('says the brief is coming before the first guidance arrives', () => {
    render(<GuidancePanel guidance={null} />);
    expect(screen.getByText(/brief appears here/)).toBeInTheDocument();
  });
});
