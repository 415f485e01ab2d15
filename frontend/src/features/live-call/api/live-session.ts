import type { Socket } from 'socket.io-client';

import { type AudioFormatDeclaration, PCM_FORMAT } from '@/lib/audio/audio-encoding';
import { ResendBuffer } from '@/lib/audio/resend-buffer';
import { ClientEvent, ErrorCode } from '@/lib/protocol.generated';
import { emitWithAck, SocketAckError, watchOriginRefusal } from '@/lib/socket';
import { type Consent, ConsentSchema } from '@/types/consent';

import type { LiveCallAction } from '../model/live-call-reducer';

import { bindServerEvents, dispatchAckGuidance, reportUnreadable } from './server-events';

export type AudioSource = 'rep' | 'prospect';

/** What the rep fills in before the call: it feeds the brief, the AI coach and the stored call. */
export interface CallSetupFields {
  goal?: string;
  prospect_name?: string;
  prospect_company?: string;
  notes?: string;
}

export interface LiveSessionOptions {
  socket: Socket;
  dispatch: (action: LiveCallAction) => void;
  title?: string;
  setup?: CallSetupFields;
  sources: AudioSource[];
  /** What the chunks carry (declared in every call:start); PCM when not given. */
  audio?: AudioFormatDeclaration;
  /** Fresh access token after a refused handshake; false when the session is over. */
  refreshAuth: () => Promise<boolean>;
  bufferCapacity?: number;
  ackTimeoutMs?: number;
  /** The call's recording consent: at the start, and once the rep confirmed it. */
  onConsent?: (consent: Consent) => void;
}

interface StartAck {
  call_id: string;
  transcriber?: string;
  coach?: string;
  consent?: unknown;
  /** The current guidance: the pre-call brief for a new call. */
  guidance?: unknown;
}

const RATE_LIMIT_RETRY_MS = 1000;

/** Only the fields the rep filled in (trimmed). */
function filled(setup: CallSetupFields | undefined): CallSetupFields {
  const entries = Object.entries(setup ?? {}).map(([key, value]) => [key, value?.trim()] as const);
  return Object.fromEntries(entries.filter(([, value]) => value)) as CallSetupFields;
}

// A refresh can cure these: a newer sign-in (another tab) may have stored a valid token.
const AUTH_CODES = new Set<string>([ErrorCode.UNAUTHORIZED, ErrorCode.TOKEN_EXPIRED, ErrorCode.TOKEN_REVOKED]);

/**
 * One rep call over the shared socket: start, stream audio with per-source seq numbers,
 * resume the same call after a reconnect and resend what the server never acknowledged.
 */
export class LiveSession {
  readonly buffers: Record<AudioSource, ResendBuffer>;
  private callId: string | null = null;
  private resuming = false;
  private stopped = false;
  private readonly unbind: Array<() => void> = [];
  private retry: Record<AudioSource, Set<number>> = { rep: new Set(), prospect: new Set() };
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** With consent `required`, audio is dropped here (never buffered) until confirmed. */
  private consentPending = false;
  private readonly muted = new Set<AudioSource>();

  constructor(private readonly options: LiveSessionOptions) {
    const capacity = options.bufferCapacity ?? 300;
    this.buffers = { rep: new ResendBuffer(capacity), prospect: new ResendBuffer(capacity) };
  }

  get id(): string | null {
    return this.callId;
  }

  async start(): Promise<string> {
    const { socket, dispatch } = this.options;
    dispatch({ type: 'connecting' });
    this.unbind.push(bindServerEvents(socket, dispatch));
    this.listen('disconnect', this.onDisconnect);
    this.listen('connect', this.onReconnect);
    this.listen('connect_error', this.onConnectError);
    await this.ensureConnected();
    const ack = await this.emitStart();
    this.callId = ack.call_id;
    this.takeConsent(ack.consent);
    dispatch({ type: 'started', callId: this.callId, transcriber: ack.transcriber, coach: ack.coach });
    this.showGuidance(ack);
    return this.callId;
  }

  /** The rep confirms the prospect agreed; audio flows from then on. */
  async confirmConsent(): Promise<void> {
    if (!this.callId) return;
    const ack = await emitWithAck<object>(this.options.socket, ClientEvent.CALL_CONSENT, { call_id: this.callId }, this.ackTimeout);
    this.takeConsent(ack);
  }

  /**
   * A muted source sends nothing: its chunks are dropped before they get a seq, so the
   * numbering stays gapless and the server never sees (or transcribes) muted audio.
   */
  setMuted(source: AudioSource, muted: boolean): void {
    if (muted) this.muted.add(source);
    else this.muted.delete(source);
  }

  isMuted(source: AudioSource): boolean {
    return this.muted.has(source);
  }

  /** Queue a chunk; it goes out now when connected, or after the next resume. Audio
   * captured while consent is pending or while the source is muted is dropped: it must
   * never be sent later. */
  sendAudio(source: AudioSource, data: ArrayBuffer): void {
    if (this.stopped || this.consentPending || this.muted.has(source)) return;
    const chunk = this.buffers[source].add(data);
    if (this.callId && this.options.socket.connected && !this.resuming) {
      this.emitChunk(source, chunk.seq, chunk.data);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const callId = this.callId;
    try {
      if (callId && this.options.socket.connected) {
        await emitWithAck(this.options.socket, ClientEvent.CALL_STOP, { call_id: callId }, this.ackTimeout);
      }
    } finally {
      this.detach();
      this.options.dispatch({ type: 'stopped' });
    }
  }

  /** Drop listeners without stopping the call (page left: the server marks it interrupted). */
  detach(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.unbind.splice(0).forEach((off) => off());
  }

  private showGuidance(ack: StartAck): void {
    if (this.callId) dispatchAckGuidance(ClientEvent.CALL_START, this.callId, ack.guidance, this.options.dispatch);
  }

  private get ackTimeout(): number {
    return this.options.ackTimeoutMs ?? 10_000;
  }

  private listen(event: string, handler: (...args: never[]) => void): void {
    const bound = handler.bind(this) as (...args: unknown[]) => void;
    this.options.socket.on(event, bound);
    this.unbind.push(() => this.options.socket.off(event, bound));
  }

  private ensureConnected(): Promise<void> {
    const { socket } = this.options;
    if (socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        socket.off('connect', onConnect);
        socket.off('connect_error', onError);
        unwatch();
      };
      const onConnect = () => {
        done();
        resolve();
      };
      const onError = (err: Error) => {
        if (socket.active) return; // socket.io keeps retrying by itself
        done();
        reject(new SocketAckError(err.message || 'connect_failed', 'Could not connect to the server.'));
      };
      // A refused origin would otherwise retry for ever behind "Connecting…".
      const unwatch = watchOriginRefusal(socket, (refusal) => {
        done();
        socket.disconnect();
        reject(refusal);
      });
      socket.once('connect', onConnect);
      socket.on('connect_error', onError);
      socket.connect();
    });
  }

  private emitStart(resumeCallId?: string): Promise<{ ok: true } & StartAck> {
    const payload = {
      title: this.options.title || undefined,
      // The setup is stored with the call on the first start; a resume keeps it.
      ...(resumeCallId ? {} : filled(this.options.setup)),
      audio: this.options.audio ?? PCM_FORMAT,
      sources: this.options.sources,
      resume_call_id: resumeCallId,
      resume_seq: resumeCallId ? this.resumeSeqs() : undefined,
    };
    return emitWithAck<StartAck>(this.options.socket, ClientEvent.CALL_START, payload, this.ackTimeout);
  }

  private takeConsent(raw: unknown): void {
    if (raw == null) return;
    const parsed = ConsentSchema.safeParse(raw);
    if (!parsed.success) return reportUnreadable('consent in an ack', parsed.error, this.options.dispatch);
    this.consentPending = parsed.data.mode === 'required' && !parsed.data.confirmed_at;
    this.options.onConsent?.(parsed.data);
  }

  /** Per source, the first chunk to expect when a worker that lost the call revives it. */
  private resumeSeqs(): Partial<Record<AudioSource, number>> {
    const seqs: Partial<Record<AudioSource, number>> = {};
    for (const name of this.options.sources) seqs[name] = this.buffers[name].resumeFrom;
    return seqs;
  }

  private emitChunk(source: AudioSource, seq: number, data: ArrayBuffer): void {
    const buffer = this.buffers[source];
    const payload = { call_id: this.callId, source, seq, data };
    this.options.socket
      .timeout(this.ackTimeout)
      .emit(ClientEvent.AUDIO, payload, (err: Error | null, ack?: { ok: boolean; error?: { code: string } }) => {
        if (err || !ack) return; // timed out: stays buffered, resent after reconnect
        const code = ack.error?.code;
        if (ack.ok || code === ErrorCode.DUPLICATE_SEQ) buffer.ack(seq);
        else if (code === ErrorCode.CHUNK_TOO_LARGE || code === ErrorCode.BAD_AUDIO_CHUNK) buffer.ack(seq); // resending cannot help
        else if (code === ErrorCode.RATE_LIMITED) this.retryLater(source, seq);
      });
  }

  /** A chunk the server refused for rate is sent again a little later (still buffered). */
  private retryLater(source: AudioSource, seq: number): void {
    this.retry[source].add(seq);
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stopped || this.resuming || !this.options.socket.connected) return;
      for (const name of this.options.sources) {
        const due = this.retry[name];
        this.retry[name] = new Set();
        for (const chunk of this.buffers[name].unacked()) {
          if (due.has(chunk.seq)) this.emitChunk(name, chunk.seq, chunk.data);
        }
      }
    }, RATE_LIMIT_RETRY_MS);
  }

  private onDisconnect(): void {
    if (this.stopped || !this.callId) return;
    this.options.dispatch({ type: 'disconnected' });
  }

  private async onReconnect(): Promise<void> {
    if (this.stopped || !this.callId || this.resuming) return;
    this.resuming = true;
    try {
      const ack = await this.emitStart(this.callId);
      this.options.dispatch({ type: 'resumed' });
      this.showGuidance(ack);
      this.resendUnacked();
    } catch (err) {
      const reason = err instanceof SocketAckError ? err.code : 'resume_failed';
      this.options.dispatch({ type: 'failed', reason });
    } finally {
      this.resuming = false;
    }
  }

  private resendUnacked(): void {
    for (const source of this.options.sources) {
      for (const chunk of this.buffers[source].unacked()) this.emitChunk(source, chunk.seq, chunk.data);
    }
  }

  private async onConnectError(err: Error): Promise<void> {
    const { socket } = this.options;
    if (this.stopped || socket.active) return;
    if (AUTH_CODES.has(err.message) && (await this.options.refreshAuth())) {
      socket.connect();
      return;
    }
    if (this.callId) this.options.dispatch({ type: 'failed', reason: err.message || 'connect_failed' });
  }
}
