import type { TranscriptGap } from '@/components/transcript/transcript-list';
import type { Feedback, Source, Utterance } from '@/types/api';

import type {
  CorrectedEvent,
  GuidanceEvent,
  MetricsEvent,
  NudgeEvent,
  PresenceEvent,
  StatusEvent,
  SuggestionEvent,
  SuggestionWithdrawnEvent,
  TranscriptEvent,
  WhisperEvent,
} from '../api/events';

import { type GuidanceState, initialGuidanceState, toGuidance } from './guidance-state';
import { closeGap, gapLine, initialMuteState, type MutableSource, type MuteState } from './mute-state';
import { addUnreadable, initialUnreadableState, type UnreadableState } from './unreadable-state';

export type Connection =
  | 'idle'
  | 'connecting'
  | 'live'
  | 'degraded'
  | 'reconnecting'
  | 'ended'
  | 'interrupted'
  | 'failed';

export interface Line extends Utterance {
  isFinal: boolean;
  /** A muted stretch rather than speech. */
  gap?: TranscriptGap;
}

export interface LiveSuggestion extends Omit<SuggestionEvent, 'call_id'> {
  feedback?: Feedback;
}

export interface Toast extends NudgeEvent {
  id: number;
}

export interface LiveCallState extends GuidanceState, MuteState, UnreadableState {
  callId: string | null;
  connection: Connection;
  reason: string | null;
  transcriber: string | null;
  coach: string | null;
  /** Final lines in arrival order. */
  finals: Line[];
  /** At most one interim line per stream, replaced until its final arrives. */
  interims: Partial<Record<Source | 'mixed', Line>>;
  /** Newest first. */
  suggestions: LiveSuggestion[];
  metrics: MetricsEvent | null;
  nudges: Toast[];
  whispers: WhisperEvent[];
  coaches: PresenceEvent['coaches'];
  nextToastId: number;
}

export type LiveCallAction =
  | { type: 'connecting' }
  | { type: 'started'; callId: string; transcriber?: string | null; coach?: string | null }
  | { type: 'joined'; callId: string; state: Connection; transcript: Utterance[]; suggestions: LiveSuggestion[] }
  | { type: 'disconnected' }
  | { type: 'resumed' }
  | { type: 'stopped' }
  | { type: 'failed'; reason: string }
  | { type: 'transcript'; event: TranscriptEvent }
  | { type: 'corrected'; event: CorrectedEvent }
  | { type: 'suggestion'; event: SuggestionEvent }
  | { type: 'withdrawn'; event: SuggestionWithdrawnEvent }
  | { type: 'feedback'; suggestionId: string; action: 'used' | 'dismissed' }
  | { type: 'metrics'; event: MetricsEvent }
  | { type: 'nudge'; event: NudgeEvent }
  | { type: 'dismissNudge'; id: number }
  | { type: 'status'; event: StatusEvent }
  | { type: 'whisper'; event: WhisperEvent }
  | { type: 'presence'; event: PresenceEvent }
  | { type: 'guidance'; event: GuidanceEvent; receivedAt: number }
  | { type: 'mute'; source: MutableSource; muted: boolean; elapsedS: number }
  | { type: 'unreadable'; name: string }
  | { type: 'reset' };

export const MAX_TOASTS = 4;
export const MAX_WHISPERS = 50;
export const MAX_SUGGESTIONS = 100;

export const initialLiveCallState: LiveCallState = {
  callId: null,
  connection: 'idle',
  reason: null,
  transcriber: null,
  coach: null,
  finals: [],
  interims: {},
  suggestions: [],
  metrics: null,
  nudges: [],
  whispers: [],
  coaches: [],
  nextToastId: 1,
  ...initialGuidanceState,
  ...initialMuteState,
  ...initialUnreadableState,
};

const TERMINAL: ReadonlySet<Connection> = new Set(['ended', 'interrupted', 'failed']);

/** Everything shown on screen, interim lines after the finals. */
export function visibleLines(state: LiveCallState): Line[] {
  const interims = Object.values(state.interims).filter((line): line is Line => Boolean(line));
  return interims.length ? [...state.finals, ...interims] : state.finals;
}

function toLine(event: TranscriptEvent): Line {
  const { call_id: _callId, is_final: isFinal, ...rest } = event;
  return { ...rest, isFinal };
}

function applyTranscript(state: LiveCallState, event: TranscriptEvent): LiveCallState {
  const line = toLine(event);
  // One microphone carrying both voices is one stream, whichever speaker a line is given.
  const stream = event.attribution ? 'mixed' : event.source;
  if (!event.is_final) {
    return { ...state, interims: { ...state.interims, [stream]: line } };
  }
  // The final replaces this stream's interim, and a repeated final (resume, join) is not doubled.
  const { [stream]: _dropped, ...interims } = state.interims;
  const existing = state.finals.findLastIndex((item) => item.utterance_id === line.utterance_id);
  const finals =
    existing >= 0 ? state.finals.map((item, i) => (i === existing ? line : item)) : insertByStart(state.finals, line);
  return { ...state, finals, interims };
}

/** Finals of two sources arrive out of time order; keep the list sorted by start (stable). */
function insertByStart<T extends { start_ms: number }>(lines: T[], line: T): T[] {
  let at = lines.length;
  while (at > 0 && lines[at - 1]!.start_ms > line.start_ms) at -= 1;
  return [...lines.slice(0, at), line, ...lines.slice(at)];
}

/** A person flipped a line's speaker: the line changes for everyone in the call room. */
function applyCorrection(state: LiveCallState, event: CorrectedEvent): LiveCallState {
  const finals = state.finals.map((line) =>
    line.utterance_id === event.utterance_id ? { ...line, source: event.source, attribution: event.attribution } : line,
  );
  return { ...state, finals };
}

function applySuggestion(state: LiveCallState, event: SuggestionEvent): LiveCallState {
  const { call_id: _callId, ...incoming } = event;
  const index = state.suggestions.findIndex((s) => s.suggestion_id === incoming.suggestion_id);
  if (index < 0) {
    return { ...state, suggestions: [incoming, ...state.suggestions].slice(0, MAX_SUGGESTIONS) };
  }
  const current = state.suggestions[index]!;
  // A late partial never overwrites the final text.
  if (current.status === 'final' && incoming.status === 'partial') return state;
  const merged: LiveSuggestion = { ...current, ...incoming, feedback: current.feedback };
  return { ...state, suggestions: state.suggestions.map((s, i) => (i === index ? merged : s)) };
}

function applyStatus(state: LiveCallState, event: StatusEvent): LiveCallState {
  if (TERMINAL.has(state.connection) && state.connection !== 'failed') return state;
  return { ...state, connection: event.state, reason: event.reason ?? null };
}

/** The brief can arrive before `call:start` is acknowledged: keep it until the call id is known. */
function applyGuidance(state: LiveCallState, event: GuidanceEvent, receivedAt: number): LiveCallState {
  if (state.callId === null) {
    if (state.connection !== 'connecting') return state;
    return { ...state, earlyGuidance: { ...toGuidance(event, receivedAt), call_id: event.call_id } };
  }
  if (event.call_id !== state.callId) return state;
  return { ...state, guidance: toGuidance(event, receivedAt) };
}

/** Muting adds a gap line to the transcript; unmuting closes it. */
function applyMute(state: LiveCallState, source: MutableSource, muted: boolean, elapsedS: number): LiveCallState {
  const open = state.muted[source];
  if (muted === Boolean(open) || state.callId === null) return state;
  if (open) {
    const { [source]: _closed, ...still } = state.muted;
    return { ...state, muted: still, finals: closeGap(state.finals, open, elapsedS) };
  }
  const id = `gap-${source}-${state.nextGapId}`;
  const line = gapLine(id, source, [...state.finals, ...(state.interims[source] ? [state.interims[source]] : [])], elapsedS);
  return {
    ...state,
    muted: { ...state.muted, [source]: id },
    nextGapId: state.nextGapId + 1,
    finals: insertByStart(state.finals, line),
  };
}

function forThisCall(state: LiveCallState, action: LiveCallAction): boolean {
  if (!('event' in action)) return true;
  return state.callId !== null && action.event.call_id === state.callId;
}

function connectionChange(state: LiveCallState, action: LiveCallAction): LiveCallState | null {
  switch (action.type) {
    case 'disconnected':
      return TERMINAL.has(state.connection) || state.connection === 'idle'
        ? state
        : { ...state, connection: 'reconnecting', interims: {} };
    case 'resumed':
      return state.connection === 'reconnecting' ? { ...state, connection: 'live', reason: null } : state;
    case 'stopped':
      return { ...state, connection: 'ended', interims: {} };
    case 'failed':
      return { ...state, connection: 'failed', reason: action.reason };
    default:
      return null;
  }
}

function lifecycle(state: LiveCallState, action: LiveCallAction): LiveCallState | null {
  switch (action.type) {
    case 'reset':
      return initialLiveCallState;
    case 'connecting':
      return { ...initialLiveCallState, connection: 'connecting' };
    case 'started': {
      const early = state.earlyGuidance?.call_id === action.callId ? state.earlyGuidance : null;
      return {
        ...state,
        callId: action.callId,
        connection: 'live',
        reason: null,
        transcriber: action.transcriber ?? null,
        coach: action.coach ?? null,
        guidance: early ? toGuidance(early, early.receivedAt) : state.guidance,
        earlyGuidance: null,
      };
    }
    case 'joined':
      return {
        ...initialLiveCallState,
        callId: action.callId,
        connection: action.state,
        finals: action.transcript.map((u) => ({ ...u, isFinal: true })),
        suggestions: action.suggestions,
      };
    default:
      return connectionChange(state, action);
  }
}

function events(state: LiveCallState, action: LiveCallAction): LiveCallState {
  switch (action.type) {
    case 'transcript':
      return applyTranscript(state, action.event);
    case 'corrected':
      return applyCorrection(state, action.event);
    case 'suggestion':
      return applySuggestion(state, action.event);
    case 'withdrawn': // an interim's card its final did not confirm: it goes, for good
      return { ...state, suggestions: state.suggestions.filter((s) => s.suggestion_id !== action.event.suggestion_id) };
    case 'metrics':
      return { ...state, metrics: action.event };
    case 'nudge': {
      const toast = { ...action.event, id: state.nextToastId };
      return { ...state, nudges: [...state.nudges, toast].slice(-MAX_TOASTS), nextToastId: toast.id + 1 };
    }
    case 'status':
      return applyStatus(state, action.event);
    case 'whisper':
      return { ...state, whispers: [...state.whispers, action.event].slice(-MAX_WHISPERS) };
    case 'presence':
      return { ...state, coaches: action.event.coaches };
    default:
      return state;
  }
}

/** All state of one live call; server events for another call id are ignored. */
export function liveCallReducer(state: LiveCallState, action: LiveCallAction): LiveCallState {
  const next = lifecycle(state, action);
  if (next) return next;
  if (action.type === 'feedback') {
    return {
      ...state,
      suggestions: state.suggestions.map((s) =>
        s.suggestion_id === action.suggestionId ? { ...s, feedback: action.action } : s,
      ),
    };
  }
  if (action.type === 'guidance') return applyGuidance(state, action.event, action.receivedAt);
  if (action.type === 'mute') return applyMute(state, action.source, action.muted, action.elapsedS);
  if (action.type === 'unreadable') return { ...state, unreadable: addUnreadable(state.unreadable, action.name) };
  if (action.type === 'dismissNudge') {
    return { ...state, nudges: state.nudges.filter((n) => n.id !== action.id) };
  }
  if (!forThisCall(state, action)) return state;
  return events(state, action);
}
