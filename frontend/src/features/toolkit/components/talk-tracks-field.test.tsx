import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { jsonResponse, renderWithProviders } from '@/testing/test-utils';

import { ToolkitForm } from './toolkit-form';

const entry = {
  id: '7',
  kind: 'objection' as const,
  name: 'price',
  title: 'Price objection',
  talk_track: 'Compared with what?',
  talk_tracks: [{ text: 'Compared with what?', when_to_use: 'They say it is expensive' }],
  triggers: ['too expensive'],
  negative_triggers: [],
  speakers: ['prospect' as const],
  cooldown_s: 60,
  max_per_call: 3,
  examples: [],
  threshold: null,
};

afterEach(() => vi.unstubAllGlobals());

describe('talk tracks in the toolkit editor', () => {
  it('saves several talk tracks, each with its when-to-use line, and drops empty ones', async () => {
    const fetchMock = vi.fn(async (..._args: unknown[]) => jsonResponse(200, entry));
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    const onDone = vi.fn();
    renderWithProviders(<ToolkitForm entry={entry} onDone={onDone} />);
    await user.click(screen.getByRole('button', { name: 'Add a talk track' }));
    await user.click(screen.getByLabelText('Talk track 2'));
    await user.paste('What would doing nothing cost?');
    await user.click(screen.getByLabelText('When to use 2'));
    await user.paste('They admit a pain');
    await user.click(screen.getByRole('button', { name: 'Add a talk track' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(onDone).toHaveBeenCalled());
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toContain('/api/v1/toolkit/7');
    expect(JSON.parse(String(init.body)).talk_tracks).toEqual([
      { text: 'Compared with what?', when_to_use: 'They say it is expensive' },
      { text: 'What would doing nothing cost?', when_to_use: 'They admit a pain' },
    ]);
  }, 20_000); // a big form and many events: slow on a loaded machine, not a timing assertion

  it('asks for a talk track when all are empty', async () => {
    vi.stubGlobal('fetch', vi.fn());
    const user = userEvent.setup();
    renderWithProviders(<ToolkitForm entry={{ ...entry, talk_tracks: [] , talk_track: '' }} onDone={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Add at least one talk track');
  });
});
