import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { jsonResponse, renderWithProviders } from '@/testing/test-utils';

import { TrySentence } from './try-sentence';

describe('TrySentence', () => {
  it('sends the sentence and shows which entry would fire by meaning, with its score', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      jsonResponse(200, {
        fired: { name: 'objection-price', title: 'Price objection', kind: 'objection', score: 0.58, threshold: 0.35, by: 'meaning' },
        closest: [{ name: 'objection-price', title: 'Price objection', kind: 'objection', score: 0.58, threshold: 0.35 }],
      }),
    );
    renderWithProviders(<TrySentence />);
    await userEvent.type(screen.getByLabelText('Try a sentence'), 'That is beyond what we set aside');
    await userEvent.click(screen.getByRole('button', { name: 'Try' }));
    expect(await screen.findByText('Fires "Price objection" (by meaning, 58% ≥ 35%)')).toBeInTheDocument();
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe('/api/v1/toolkit/try');
    expect(JSON.parse(String(init?.body))).toEqual({ text: 'That is beyond what we set aside', source: 'prospect' });
  });

  it('says when no card would fire', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(jsonResponse(200, { fired: null, closest: [] }));
    renderWithProviders(<TrySentence />);
    await userEvent.type(screen.getByLabelText('Try a sentence'), 'hello there');
    await userEvent.click(screen.getByRole('button', { name: 'Try' }));
    expect(await screen.findByText('No card would fire.')).toBeInTheDocument();
  });
});
