import type { Socket } from 'socket.io-client';

type Handler = (...args: unknown[]) => void;
type AckFn = (err: Error | null, ack?: unknown) => void;

export interface SentPacket {
  event: string;
  payload: Record<string, unknown>;
  ack?: AckFn;
}

/**
 * A minimal stand-in for a socket.io-client Socket: records emits, lets a test answer
 * acks, and simulates connect / disconnect. Enough for the live-session logic.
 */
export class FakeSocket {
  connected = false;
  active = true;
  readonly sent: SentPacket[] = [];
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Answers call:start etc. automatically; audio acks are left to the test. */
  autoAck: (packet: SentPacket) => unknown = (packet) =>
    packet.event === 'call:start' ? { ok: true, call_id: 'call-1', transcriber: 'fake', coach: 'playbook' } : { ok: true };

  on(event: string, handler: Handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(handler);
    return this;
  }

  once(event: string, handler: Handler) {
    const wrapped: Handler = (...args) => {
      this.off(event, wrapped);
      handler(...args);
    };
    return this.on(event, wrapped);
  }

  off(event: string, handler: Handler) {
    this.handlers.get(event)?.delete(handler);
    return this;
  }

  fire(event: string, ...args: unknown[]): void {
    for (const handler of Array.from(this.handlers.get(event) ?? [])) handler(...args);
  }

  connect() {
    this.connected = true;
    queueMicrotask(() => this.fire('connect'));
    return this;
  }

  dropConnection(): void {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }

  timeout(_ms: number) {
    return {
      emit: (event: string, payload: Record<string, unknown>, ack: AckFn) => {
        const packet = { event, payload, ack };
        this.sent.push(packet);
        if (event !== 'audio') queueMicrotask(() => ack(null, this.autoAck(packet)));
      },
      emitWithAck: (event: string, payload: Record<string, unknown>) => {
        const packet = { event, payload };
        this.sent.push(packet);
        return Promise.resolve(this.autoAck(packet));
      },
    };
  }

  emit(event: string, payload: Record<string, unknown>, ack?: AckFn) {
    this.sent.push({ event, payload, ack });
    return this;
  }

  asSocket(): Socket {
    return this as unknown as Socket;
  }

  audio(): SentPacket[] {
    return this.sent.filter((p) => p.event === 'audio');
  }
}
