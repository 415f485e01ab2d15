import { type AudioFormatDeclaration, OPUS_FORMAT } from '@/lib/audio/audio-encoding';
import { FakeSocket } from '@/testing/fake-socket';

import type { LiveCallAction } from '../model/live-call-reducer';

import { LiveSession } from './live-session';

const pcm = (n: number) => new Int16Array([n]).buffer;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function startedSession(capacity = 50, audio?: AudioFormatDeclaration) {
  const socket = new FakeSocket();
  const actions: LiveCallAction[] = [];
  const session = new LiveSession({
    socket: socket.asSocket(),
    dispatch: (action) => actions.push(action),
    title: 'Demo',
    sources: ['rep'],
    refreshAuth: async () => true,
    bufferCapacity: capacity,
    audio,
  });
  await session.start();
  return { socket, session, actions };
}

describe('LiveSession', () => {
  it('starts a linear16 16 kHz call and streams chunks with increasing seq', async () => {
    const { socket, session, actions } = await startedSession();
    expect(socket.sent[0]).toMatchObject({
      event: 'call:start',
      payload: { title: 'Demo', audio: { encoding: 'linear16', sample_rate: 16000, channels: 1 }, sources: ['rep'] },
    });
    expect(actions.map((a) => a.type)).toEqual(['connecting', 'started']);
    session.sendAudio('rep', pcm(1));
    session.sendAudio('rep', pcm(2));
    expect(socket.audio().map((p) => [p.payload.call_id, p.payload.source, p.payload.seq])).toEqual([
      ['call-1', 'rep', 0],
      ['call-1', 'rep', 1],
    ]);
  });

  it('forgets acknowledged chunks', async () => {
    const { socket, session } = await startedSession();
    session.sendAudio('rep', pcm(1));
    session.sendAudio('rep', pcm(2));
    socket.audio()[0]!.ack!(null, { ok: true, seq: 0 });
    expect(session.buffers.rep.unacked().map((c) => c.seq)).toEqual([1]);
  });

  it('after a reconnect resumes the same call and resends unacked chunks in order', async () => {
    const { socket, session, actions } = await startedSession();
    session.sendAudio('rep', pcm(1));
    session.sendAudio('rep', pcm(2));
    socket.audio()[0]!.ack!(null, { ok: true, seq: 0 });
    socket.dropConnection();
    session.sendAudio('rep', pcm(3)); // while offline: buffered only
    expect(socket.audio()).toHaveLength(2);
    expect(actions.at(-1)).toEqual({ type: 'disconnected' });

    socket.sent.length = 0;
    socket.connect();
    await flush();
    expect(socket.sent[0]).toMatchObject({ event: 'call:start', payload: { resume_call_id: 'call-1' } });
    expect(socket.audio().map((p) => p.payload.seq)).toEqual([1, 2]);
    expect(new Int16Array(socket.audio()[1]!.payload.data as ArrayBuffer)[0]).toBe(3);
    expect(actions.at(-1)).toEqual({ type: 'resumed' });
  });

  it('treats a duplicate_seq refusal as delivered', async () => {
    const { socket, session } = await startedSession();
    session.sendAudio('rep', pcm(1));
    socket.audio()[0]!.ack!(null, { ok: false, error: { code: 'duplicate_seq', message: 'dup' } });
    expect(session.buffers.rep.size).toBe(0);
  });

  it('treats a bad_audio_chunk refusal as delivered: resending cannot help', async () => {
    const { socket, session } = await startedSession();
    session.sendAudio('rep', pcm(1));
    socket.audio()[0]!.ack!(null, { ok: false, error: { code: 'bad_audio_chunk', message: 'bad' } });
    expect(session.buffers.rep.size).toBe(0);
  });

  it('declares the chosen Opus format on the start and again on the resume', async () => {
    const { socket } = await startedSession(50, OPUS_FORMAT);
    expect(socket.sent[0]).toMatchObject({ event: 'call:start', payload: { audio: OPUS_FORMAT } });
    socket.dropConnection();
    socket.sent.length = 0;
    socket.connect();
    await flush();
    expect(socket.sent[0]).toMatchObject({ event: 'call:start', payload: { resume_call_id: 'call-1', audio: OPUS_FORMAT } });
  });

  it('sends a rate-limited chunk again a second later, and only that chunk', async () => {
    vi.useFakeTimers();
    try {
      const { socket, session } = await startedSession();
      session.sendAudio('rep', pcm(1));
      session.sendAudio('rep', pcm(2));
      socket.audio()[0]!.ack!(null, { ok: false, error: { code: 'rate_limited', message: 'slow down' } });
      expect(socket.audio()).toHaveLength(2);
      vi.advanceTimersByTime(1000);
      expect(socket.audio().map((p) => p.payload.seq)).toEqual([0, 1, 0]);
      socket.audio()[2]!.ack!(null, { ok: true, seq: 0 });
      expect(session.buffers.rep.unacked().map((c) => c.seq)).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a failed resume instead of streaming into the void', async () => {
    const { socket, actions } = await startedSession();
    socket.dropConnection();
    socket.autoAck = () => ({ ok: false, error: { code: 'call_not_live', message: 'The call has ended.' } });
    socket.connect();
    await flush();
    expect(actions.at(-1)).toEqual({ type: 'failed', reason: 'call_not_live' });
  });

  it('stops the call and ignores audio afterwards', async () => {
    const { socket, session, actions } = await startedSession();
    await session.stop();
    session.sendAudio('rep', pcm(1));
    expect(socket.sent.at(-1)).toMatchObject({ event: 'call:stop', payload: { call_id: 'call-1' } });
    expect(socket.audio()).toHaveLength(0);
    expect(actions.at(-1)).toEqual({ type: 'stopped' });
  });
});
