import { render, screen } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

import { ClientEvent, ServerEvent } from '@/lib/protocol.generated';
import { FakeSocket } from '@/testing/fake-socket';

import { LiveCallBoard } from '../components/live-call-board';
import { initialLiveCallState, liveCallReducer, type LiveCallAction } from '../model/live-call-reducer';

import { bindServerEvents, dispatchAckGuidance } from './server-events';

const SECRET = 'my card number is 4111';
const line = { call_id: 'c1', utterance_id: 'u1', source: 'rep', text: SECRET, is_final: true, start_ms: 0, end_ms: 900, confidence: 0.9 };

function bound() {
  const socket = new FakeSocket();
  const actions: LiveCallAction[] = [];
  const unbind = bindServerEvents(socket.asSocket(), (action) => actions.push(action));
  return { socket, actions, unbind };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('server events that fail to parse', () => {
  it('are reported on the console by name and path, without the payload', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { socket, actions } = bound();
    socket.fire(ServerEvent.TRANSCRIPT, { ...line, start_ms: 'soon' });
    expect(actions).toEqual([{ type: 'unreadable', name: ServerEvent.TRANSCRIPT }]);
    expect(error).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(error.mock.calls[0]);
    expect(logged).toContain(ServerEvent.TRANSCRIPT);
    expect(logged).toContain('start_ms');
    expect(logged).not.toContain(SECRET);
  });

  it('leave a valid event untouched and report nothing', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { socket, actions } = bound();
    socket.fire(ServerEvent.TRANSCRIPT, line);
    expect(actions.map((a) => a.type)).toEqual(['transcript']);
    expect(error).not.toHaveBeenCalled();
  });

  it('reject an id of another type than the string the server sends', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { socket, actions } = bound();
    socket.fire(ServerEvent.TRANSCRIPT, { ...line, call_id: 1 });
    expect(actions).toEqual([{ type: 'unreadable', name: ServerEvent.TRANSCRIPT }]);
  });

  it('stop being reported once unbound', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { socket, actions, unbind } = bound();
    unbind();
    socket.fire(ServerEvent.TRANSCRIPT, { nonsense: true });
    expect(actions).toEqual([]);
    expect(error).not.toHaveBeenCalled();
  });

  it('include guidance in an ack that does not parse', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const actions: LiveCallAction[] = [];
    dispatchAckGuidance(ClientEvent.CALL_START, 'c1', { key_questions: 'ask' }, (action) => actions.push(action));
    expect(actions).toEqual([{ type: 'unreadable', name: `${ClientEvent.CALL_START} ack` }]);
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('are counted in the call state and shown to the user on the board', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { socket, actions } = bound();
    socket.fire(ServerEvent.TRANSCRIPT, { bad: 1 });
    socket.fire(ServerEvent.TRANSCRIPT, { bad: 2 });
    socket.fire(ServerEvent.SUGGESTION, { bad: 3 });
    const state = actions.reduce(liveCallReducer, initialLiveCallState);
    expect(state.unreadable).toEqual({ names: [ServerEvent.TRANSCRIPT, ServerEvent.SUGGESTION], count: 3 });
    render(<LiveCallBoard state={state} />);
    expect(screen.getByRole('alert')).toHaveTextContent(`could not be read (${ServerEvent.TRANSCRIPT}, ${ServerEvent.SUGGESTION}, 3 times)`);
  });

  it('are forgotten when a new call starts', () => {
    const state = [{ type: 'unreadable', name: 'metrics' }, { type: 'connecting' }].reduce(
      (s, a) => liveCallReducer(s, a as LiveCallAction),
      initialLiveCallState,
    );
    expect(state.unreadable).toBeNull();
  });
});
