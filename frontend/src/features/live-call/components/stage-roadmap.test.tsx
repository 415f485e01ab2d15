import { render, screen } from '@testing-library/react';

import type { LiveGuidance } from '../model/guidance-state';

import { StageRoadmap } from './stage-roadmap';

const guidance: LiveGuidance = {
  stage: 'objection_handling',
  stage_confidence: 0.65,
  time_in_stage_s: 75,
  focus: null,
  key_questions: [],
  talking_points: [],
  objectives: [],
  origin: 'playbook',
  status: 'final',
  receivedAt: Date.now() + 3_600_000, // the clock has not moved on since: exactly time_in_stage_s
};

describe('StageRoadmap', () => {
  it("marks the guidance's stage as current with its confidence and time in stage, earlier stages done", () => {
    render(<StageRoadmap stage="discovery" guidance={guidance} />);
    const current = screen.getByRole('listitem', { current: 'step' });
    expect(current).toHaveTextContent('Objections');
    expect(current).toHaveTextContent('65% sure');
    expect(current).toHaveTextContent('Time in stage 1:15');
    expect(screen.getByText('Pitch')).toHaveClass('done');
    expect(screen.getByText('Close')).not.toHaveClass('done');
  });

  it('falls back to the metrics stage without guidance', () => {
    render(<StageRoadmap stage="discovery" />);
    expect(screen.getByRole('listitem', { current: 'step' })).toHaveTextContent('Discovery');
  });
});
