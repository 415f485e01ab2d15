import { vi } from 'vitest';

import { FakeSocket } from '@/testing/fake-socket';
import type { Consent } from '@/types/consent';

import type { LiveCallAction } from '../model/live-call-reducer';

import { LiveSession } from './live-session';

const pcm = (n: number) => new Int16Array([n]).buffer;
const REQUIRED = { mode: 'required', text: 'We record this call.', confirmed_at: null, confirmed_by: null };

async function sessionWithConsent(consent: object) {
  const socket = new FakeSocket();
  socket.autoAck = (packet) => {
    if (packet.event === 'call:start') return { ok: true, call_id: 'call-1', consent };
    if (packet.event === 'call:consent') {
      return { ok: true, call_id: 'call-1', ...consent, confirmed_at: '2026-12-01T20:00:00+00:00', confirmed_by: { id: 'u1', name: 'Rita' } };
    }
    return { ok: true };
  };
  const seen: Consent[] = [];
  const actions: LiveCallAction[] = [];
  const session = new LiveSession({
    socket: socket.asSocket(),
    dispatch: (action) => actions.push(action),
    sources: ['rep'],
    refreshAuth: async () => true,
    onConsent: (c) => seen.push(c),
  });
  await session.start();
  return { socket, session, seen, actions };
}

describe('LiveSession consent', () => {
  it('drops audio captured before the rep confirms, never sending it later', async () => {
    const { socket, session, seen } = await sessionWithConsent(REQUIRED);
    expect(seen[0]).toMatchObject({ mode: 'required', text: 'We record this call.' });
    session.sendAudio('rep', pcm(1));
    session.sendAudio('rep', pcm(2));
    expect(socket.audio()).toHaveLength(0);
    expect(session.buffers.rep.unacked()).toHaveLength(0);

    await session.confirmConsent();
    expect(socket.sent.some((p) => p.event === 'call:consent' && p.payload.call_id === 'call-1')).toBe(true);
    expect(seen.at(-1)?.confirmed_by?.name).toBe('Rita');
    session.sendAudio('rep', pcm(3));
    expect(socket.audio().map((p) => p.payload.seq)).toEqual([0]);
  });

  it('streams at once with a reminder', async () => {
    const { socket, session } = await sessionWithConsent({ ...REQUIRED, mode: 'reminder' });
    session.sendAudio('rep', pcm(1));
    expect(socket.audio()).toHaveLength(1);
  });
});

describe('an unreadable consent in the call:start ack', () => {
  it('is reported, not dropped in silence', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { actions } = await sessionWithConsent({ mode: 'sometimes' });
    expect(actions).toContainEqual({ type: 'unreadable', name: 'consent in an ack' });
    expect(error).toHaveBeenCalledTimes(1);
    error.mockRestore();
  });
});
