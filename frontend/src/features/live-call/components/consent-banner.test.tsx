import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { ConsentBanner } from './consent-banner';

const text = 'This call is recorded. Is that all right?';

describe('ConsentBanner', () => {
  it('shows nothing when the team has no consent step', () => {
    const { container } = render(<ConsentBanner consent={{ mode: 'off', text: null }} onConfirm={vi.fn()} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('shows the reminder text without a button', () => {
    render(<ConsentBanner consent={{ mode: 'reminder', text }} onConfirm={vi.fn()} />);
    expect(screen.getByText(text)).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('asks the rep to confirm when consent is required', async () => {
    const onConfirm = vi.fn().mockResolvedValue(undefined);
    render(<ConsentBanner consent={{ mode: 'required', text }} onConfirm={onConfirm} />);
    expect(screen.getByText(/Nothing is transcribed/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'The prospect agreed' }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });

  it('says so once the consent is confirmed', () => {
    render(<ConsentBanner consent={{ mode: 'required', text, confirmed_at: '2026-12-01T20:00:00Z' }} onConfirm={vi.fn()} />);
    expect(screen.getByRole('status')).toHaveTextContent('Consent confirmed');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
