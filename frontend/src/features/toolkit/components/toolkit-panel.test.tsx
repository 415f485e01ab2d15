import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { jsonResponse, renderWithProviders } from '@/testing/test-utils';

import { ToolkitPanel } from './toolkit-panel';

const items = [
  {
    id: '1',
    kind: 'objection',
    name: 'price',
    title: 'Price objection',
    talk_track: 'Compared with what?',
    talk_tracks: [
      { text: 'Compared with what?', when_to_use: 'They say it is expensive' },
      { text: 'What would it cost to do nothing?', when_to_use: 'They have a real pain' },
    ],
    triggers: ['too expensive'],
  },
  // Written before talk tracks: its talk_track is the one track.
  { id: '2', kind: 'closing', name: 'next-step', title: 'Next step', talk_track: 'Shall we book a demo for Tuesday?', triggers: ['sounds good'] },
  { id: '3', kind: 'checklist', name: 'agenda', title: 'Set the agenda', talk_track: '', triggers: ['agenda'] },
];

function setup() {
  vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(200, { items, stages: [] })));
  const user = userEvent.setup(); // installs its own clipboard: replace it after
  const writeText = vi.fn(async (_text: string) => {});
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  renderWithProviders(<ToolkitPanel />);
  return { user, writeText };
}

afterEach(() => vi.unstubAllGlobals());

describe('ToolkitPanel', () => {
  it('lists every talk track with its when-to-use line, old single talk tracks included, checklist left out', async () => {
    setup();
    const price = await screen.findByRole('article', { name: 'Price objection' });
    expect(within(price).getAllByRole('button')).toHaveLength(2);
    expect(within(price).getByText('When: They have a real pain')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Shall we book a demo for Tuesday/ })).toBeInTheDocument();
    expect(screen.queryByRole('article', { name: 'Set the agenda' })).toBeNull();
  });

  it('copies a talk track on click and shows that it was copied', async () => {
    const { user, writeText } = setup();
    await user.click(await screen.findByRole('button', { name: /What would it cost to do nothing/ }));
    expect(writeText).toHaveBeenCalledWith('What would it cost to do nothing?');
    expect(screen.getByText('Copied ✓')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Copied to the clipboard.');
  });

  it('copies with the keyboard too', async () => {
    const { user, writeText } = setup();
    await screen.findByRole('article', { name: 'Next step' });
    screen.getByRole('button', { name: /Shall we book a demo/ }).focus();
    await user.keyboard('{Enter}');
    expect(writeText).toHaveBeenCalledWith('Shall we book a demo for Tuesday?');
  });

  it('says so when the clipboard refuses', async () => {
    const { user, writeText } = setup();
    writeText.mockRejectedValueOnce(new Error('denied'));
    await user.click(await screen.findByRole('button', { name: /Compared with what/ }));
    expect(screen.getByText('Copy failed')).toBeInTheDocument();
  });

  it('filters by category and by search words', async () => {
    const { user } = setup();
    await screen.findByRole('article', { name: 'Price objection' });
    await user.click(screen.getByRole('button', { name: 'Closing' }));
    expect(screen.queryByRole('article', { name: 'Price objection' })).toBeNull();
    expect(screen.getByRole('article', { name: 'Next step' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'All' }));
    await user.type(screen.getByLabelText('Search the toolkit'), 'real pain');
    expect(screen.getByRole('article', { name: 'Price objection' })).toBeInTheDocument();
    expect(screen.queryByRole('article', { name: 'Next step' })).toBeNull();
    await user.type(screen.getByLabelText('Search the toolkit'), ' nothing-like-this');
    expect(screen.getByText('No talk track matches.')).toBeInTheDocument();
  });
});
