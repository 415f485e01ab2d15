import type { Socket } from 'socket.io-client';
import type { z } from 'zod';

import { ServerEvent } from '@/lib/protocol.generated';

import type { LiveCallAction } from '../model/live-call-reducer';

import {
  CorrectedEventSchema,
  GuidanceEventSchema,
  MetricsEventSchema,
  NudgeEventSchema,
  PresenceEventSchema,
  StatusEventSchema,
  SuggestionEventSchema,
  SuggestionWithdrawnEventSchema,
  TranscriptEventSchema,
  WhisperEventSchema,
} from './events';

type Dispatch = (action: LiveCallAction) => void;

/**
 * An event that does not match the contract is reported, never dropped in silence: a
 * console error naming the event and where it failed (not the payload, which may carry
 * transcript text), and an `unreadable` action the board shows to the user.
 */
export function reportUnreadable(event: string, error: z.ZodError, dispatch: Dispatch): void {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
  console.error(`${event}: the server event does not match the contract`, issues);
  dispatch({ type: 'unreadable', name: event });
}

function on<T>(socket: Socket, event: string, schema: z.ZodType<T>, toAction: (value: T) => LiveCallAction, dispatch: Dispatch) {
  const handler = (payload: unknown) => {
    const parsed = schema.safeParse(payload);
    if (parsed.success) dispatch(toAction(parsed.data));
    else reportUnreadable(event, parsed.error, dispatch);
  };
  socket.on(event, handler);
  return () => {
    socket.off(event, handler);
  };
}

/** Validate every server event and turn it into a reducer action; returns an unbind function. */
export function bindServerEvents(socket: Socket, dispatch: Dispatch): () => void {
  const offs = [
    on(socket, ServerEvent.TRANSCRIPT, TranscriptEventSchema, (event) => ({ type: 'transcript', event }), dispatch),
    on(socket, ServerEvent.TRANSCRIPT_CORRECTED, CorrectedEventSchema, (event) => ({ type: 'corrected', event }), dispatch),
    on(socket, ServerEvent.SUGGESTION, SuggestionEventSchema, (event) => ({ type: 'suggestion', event }), dispatch),
    on(socket, ServerEvent.SUGGESTION_WITHDRAWN, SuggestionWithdrawnEventSchema, (event) => ({ type: 'withdrawn', event }), dispatch),
    on(socket, ServerEvent.METRICS, MetricsEventSchema, (event) => ({ type: 'metrics', event }), dispatch),
    on(socket, ServerEvent.NUDGE, NudgeEventSchema, (event) => ({ type: 'nudge', event }), dispatch),
    on(socket, ServerEvent.CALL_STATUS, StatusEventSchema, (event) => ({ type: 'status', event }), dispatch),
    on(socket, ServerEvent.WHISPER, WhisperEventSchema, (event) => ({ type: 'whisper', event }), dispatch),
    on(socket, ServerEvent.PRESENCE, PresenceEventSchema, (event) => ({ type: 'presence', event }), dispatch),
    on(socket, ServerEvent.GUIDANCE, GuidanceEventSchema, (event) => ({ type: 'guidance', event, receivedAt: Date.now() }), dispatch),
  ];
  return () => offs.forEach((off) => off());
}

/** The guidance a `call:start` or `call:join` ack carries (the brief), dispatched; one that
 * does not parse is reported like an unreadable event. */
export function dispatchAckGuidance(ackOf: string, callId: string, raw: unknown, dispatch: Dispatch): void {
  if (!raw || typeof raw !== 'object') return;
  const parsed = GuidanceEventSchema.safeParse({ ...raw, call_id: callId });
  if (parsed.success) dispatch({ type: 'guidance', event: parsed.data, receivedAt: Date.now() });
  else reportUnreadable(`${ackOf} ack`, parsed.error, dispatch);
}
