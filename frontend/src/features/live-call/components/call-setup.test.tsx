import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { CallSetup } from './call-setup';

describe('CallSetup', () => {
  it('starts the call with the goal, the prospect and the notes', async () => {
    const onStart = vi.fn();
    const user = userEvent.setup();
    render(<CallSetup onStart={onStart} busy={false} />);
    await user.click(screen.getByLabelText('Goal of the call'));
    await user.paste('Book a demo');
    await user.click(screen.getByLabelText('Prospect name'));
    await user.paste('Dana Scully');
    await user.click(screen.getByLabelText('Company'));
    await user.paste('Globex');
    await user.click(screen.getByLabelText('Notes for the call'));
    await user.paste('Met at the fair');
    await user.click(screen.getByRole('button', { name: 'Start call' }));
    expect(onStart).toHaveBeenCalledWith(
      expect.objectContaining({
        setup: { goal: 'Book a demo', prospect_name: 'Dana Scully', prospect_company: 'Globex', notes: 'Met at the fair' },
      }),
    );
  });
});
