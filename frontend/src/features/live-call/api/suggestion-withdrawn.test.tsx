import { render, screen } from '@testing-library/react';

import { ServerEvent } from '@/lib/protocol.generated';
import { FakeSocket } from '@/testing/fake-socket';

import { LiveCallBoard } from '../components/live-call-board';
import { initialLiveCallState, liveCallReducer, type LiveCallAction } from '../model/live-call-reducer';

import { bindServerEvents } from './server-events';

const card = (id: string, title: string, trigger: string) => ({
  call_id: 'c1', suggestion_id: id, kind: 'signal', title, body: 'Answer it.', origin: 'playbook',
  trigger_utterance_id: trigger, status: 'final', latency_ms: 40,
});

/** The events of "I think your price is" (interim) then "… way too high for us" (final). */
function streamed(socket: FakeSocket) {
  socket.fire(ServerEvent.SUGGESTION, card('s-early', 'Pricing question', 'c1-prospect-0'));
  socket.fire(ServerEvent.SUGGESTION_WITHDRAWN, { call_id: 'c1', suggestion_id: 's-early', reason: 'final_differs' });
  socket.fire(ServerEvent.SUGGESTION, { ...card('s-final', 'Price objection', 'f-1'), kind: 'objection' });
}

function liveState(callId: string) {
  const socket = new FakeSocket();
  const actions: LiveCallAction[] = [];
  bindServerEvents(socket.asSocket(), (action) => actions.push(action));
  streamed(socket);
  const started: LiveCallAction[] = [{ type: 'connecting' }, { type: 'started', callId }];
  return { actions, state: [...started, ...actions].reduce(liveCallReducer, initialLiveCallState) };
}

describe('a card withdrawn when its final disagrees', () => {
  it('is read from the socket as a withdrawal of that card', () => {
    const { actions } = liveState('c1');
    expect(actions.map((a) => a.type)).toEqual(['suggestion', 'withdrawn', 'suggestion']);
  });

  it.each([
    ['the rep', false],
    ['the watching coach', true],
  ])('leaves the board of %s, which keeps the final card', (_who, observer) => {
    const { state } = liveState('c1');
    expect(state.suggestions.map((s) => s.suggestion_id)).toEqual(['s-final']);
    render(<LiveCallBoard state={state} observer={observer} onFeedback={observer ? undefined : () => {}} />);
    expect(screen.queryByRole('heading', { name: 'Pricing question' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Price objection' })).toBeInTheDocument();
  });

  it('of another call changes nothing', () => {
    const base = [{ type: 'connecting' }, { type: 'started', callId: 'c1' }] as LiveCallAction[];
    const shown = [...base, { type: 'suggestion', event: card('s1', 'Pricing question', 'u1') }] as LiveCallAction[];
    const state = [...shown, { type: 'withdrawn', event: { call_id: 'c2', suggestion_id: 's1', reason: 'final_unmatched' } }].reduce(
      (s, a) => liveCallReducer(s, a as LiveCallAction),
      initialLiveCallState,
    );
    expect(state.suggestions.map((s) => s.suggestion_id)).toEqual(['s1']);
  });
});
