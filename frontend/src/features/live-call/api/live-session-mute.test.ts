import { FakeSocket } from '@/testing/fake-socket';

import { LiveSession } from './live-session';

const pcm = (n: number) => new Int16Array([n]).buffer;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function startedSession(setup?: ConstructorParameters<typeof LiveSession>[0]['setup']) {
  const socket = new FakeSocket();
  const session = new LiveSession({
    socket: socket.asSocket(),
    dispatch: () => {},
    title: 'Demo',
    setup,
    sources: ['rep', 'prospect'],
    refreshAuth: async () => true,
  });
  await session.start();
  return { socket, session };
}

describe('LiveSession setup and mute', () => {
  it('sends the filled-in setup fields with call:start, trimmed, and leaves out empty ones', async () => {
    const { socket } = await startedSession({ goal: '  Book a demo ', prospect_name: 'Dana', prospect_company: '', notes: '   ' });
    expect(socket.sent[0]!.payload).toMatchObject({ goal: 'Book a demo', prospect_name: 'Dana' });
    expect(socket.sent[0]!.payload).not.toHaveProperty('prospect_company');
    expect(socket.sent[0]!.payload).not.toHaveProperty('notes');
  });

  it('does not send the setup again when resuming the call', async () => {
    const { socket } = await startedSession({ goal: 'Book a demo' });
    socket.dropConnection();
    socket.sent.length = 0;
    socket.connect();
    await flush();
    expect(socket.sent[0]).toMatchObject({ event: 'call:start', payload: { resume_call_id: 'call-1' } });
    expect(socket.sent[0]!.payload).not.toHaveProperty('goal');
  });

  it('sends nothing of a muted source and keeps its seq numbers gapless', async () => {
    const { socket, session } = await startedSession();
    session.sendAudio('rep', pcm(1));
    session.setMuted('rep', true);
    session.sendAudio('rep', pcm(2));
    session.sendAudio('prospect', pcm(3));
    expect(session.isMuted('rep')).toBe(true);
    session.setMuted('rep', false);
    session.sendAudio('rep', pcm(4));
    const rep = socket.audio().filter((p) => p.payload.source === 'rep');
    expect(rep.map((p) => [p.payload.seq, new Int16Array(p.payload.data as ArrayBuffer)[0]])).toEqual([
      [0, 1],
      [1, 4],
    ]);
    expect(socket.audio().filter((p) => p.payload.source === 'prospect')).toHaveLength(1);
  });

  it('keeps muted audio out of the resend buffer', async () => {
    const { socket, session } = await startedSession();
    session.setMuted('prospect', true);
    socket.dropConnection();
    session.sendAudio('prospect', pcm(1));
    expect(session.buffers.prospect.size).toBe(0);
  });
});

describe('LiveSession brief', () => {
  it('shows the guidance that the call:start ack carries, before any event', async () => {
    const socket = new FakeSocket();
    socket.autoAck = () => ({
      ok: true,
      call_id: 'call-1',
      guidance: { stage: 'opening', focus: { what: 'Set the agenda', why: 'So they know what to expect', urgency: 'medium' }, key_questions: [], objectives: [], origin: 'playbook', status: 'final' },
    });
    const actions: Array<{ type: string }> = [];
    const session = new LiveSession({ socket: socket.asSocket(), dispatch: (a) => actions.push(a), sources: ['rep'], refreshAuth: async () => true });
    await session.start();
    expect(actions.map((a) => a.type)).toEqual(['connecting', 'started', 'guidance']);
    expect(actions[2]).toMatchObject({ event: { call_id: 'call-1', focus: { what: 'Set the agenda' } } });
  });
});
