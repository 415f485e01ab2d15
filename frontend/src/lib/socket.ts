import { io, type Socket } from 'socket.io-client';

import { env } from '@/config/env';

import { zOriginCheck } from './api/zod.gen';
import { api } from './api-client';
import { ClientEvent, ErrorCode } from './protocol.generated';
import { tokens } from './token-store';

/** Every client event is acknowledged with this shape. */
export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: string; message: string } };

export class SocketAckError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SocketAckError';
  }
}

let socket: Socket | null = null;
let unsubscribeTokens: (() => void) | null = null;

/**
 * The one Socket.IO connection to the `/audio` namespace, created on first use.
 * The token goes in the handshake `auth` (never the URL) and is re-read on each reconnect.
 */
export function getAudioSocket(): Socket {
  if (socket) return socket;
  const created = io(`${env.API_BASE}${env.SOCKET_NAMESPACE}`, {
    autoConnect: false,
    transports: ['websocket', 'polling'],
    auth: (cb) => cb({ token: tokens.accessToken }),
    reconnection: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  // A refreshed access token is pushed to the server mid-call.
  unsubscribeTokens = tokens.subscribe(() => {
    if (created.connected && tokens.accessToken) {
      created.emit(ClientEvent.AUTH_REFRESH, { token: tokens.accessToken });
    }
  });
  socket = created;
  return created;
}

/** The server's own answer to "may this page open the socket?", as a sentence, or null. */
export async function originRefusal(): Promise<string | null> {
  try {
    const check = await api.request('/health/origin', zOriginCheck, { method: 'POST', anonymous: true });
    if (check.allowed) return null;
    return `This page's address (${check.origin ?? window.location.origin}) is not allowed: set CORS_ORIGINS.`;
  } catch {
    return null; // the server is unreachable: socket.io keeps retrying and the badge says so
  }
}

/**
 * Call ``onRefused`` once if the handshake fails because the server refuses this page's
 * origin (engine.io answers 400 without a reason the browser can read); returns an unbind.
 */
export function watchOriginRefusal(target: Socket, onRefused: (error: SocketAckError) => void): () => void {
  let asked = false;
  const onError = (err: Error & { data?: unknown }) => {
    if (asked || err.data !== undefined) return; // a refusal that carries its own reason
    asked = true;
    void originRefusal().then((message) => {
      if (message) onRefused(new SocketAckError(ErrorCode.ORIGIN_NOT_ALLOWED, message));
    });
  };
  target.on('connect_error', onError);
  return () => target.off('connect_error', onError);
}

/** Drop the connection (logout). */
export function closeAudioSocket(): void {
  unsubscribeTokens?.();
  unsubscribeTokens = null;
  socket?.disconnect();
  socket = null;
}

/** Emit and wait for the ack; rejects with SocketAckError on `{ok:false}` or timeout. */
export async function emitWithAck<T extends object>(
  target: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 10_000,
): Promise<{ ok: true } & T> {
  let ack: Ack<T>;
  try {
    ack = (await target.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<T>;
  } catch {
    throw new SocketAckError('timeout', 'The server did not answer in time.');
  }
  if (!ack.ok) throw new SocketAckError(ack.error.code, ack.error.message);
  return ack;
}
