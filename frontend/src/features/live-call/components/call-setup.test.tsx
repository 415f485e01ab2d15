import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { CallSetup } from './call-setup';

describe('CallSetup', () => {
  it('starts the call with the goal, the prospect and the notes', async () => {
    const onStart = vi.fn();
    const user = userEvent.setup();
    render(<CallSetup onStart={onStart} busy={false} />);
    await user.type(screen.getByLabelText('Goal of the call'), 'Book a demo');
    await user.type(screen.getByLabelText('Prospect name'), 'Dana Scully');
    await user.type(screen.getByLabelText('Company'), 'Globex');
    await user.type(screen.getByLabelText('Notes for the call'), 'Met at the fair');
    await user.click(screen.getByRole('button', { name: 'Start call' }));
    expect(onStart).toHaveBeenCalledWith(
      expect.objectContaining({
        setup: { goal: 'Book a demo', prospect_name: 'Dana Scully', prospect_company: 'Globex', notes: 'Met at the fair' },
      }),
    );
  });
});
