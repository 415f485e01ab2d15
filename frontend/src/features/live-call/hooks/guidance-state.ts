import type { GuidanceEvent } from '../api/events';

/** The guidance on screen: the latest event, with when it arrived (for the time-in-stage clock). */
export interface LiveGuidance extends Omit<GuidanceEvent, 'call_id'> {
  /** `Date.now()` when it arrived; time in stage keeps counting from here. */
  receivedAt: number;
}

export interface GuidanceState {
  guidance: LiveGuidance | null;
  /** A guidance event that arrived before `call:start` was acknowledged (the brief). */
  earlyGuidance: (LiveGuidance & { call_id: string }) | null;
}

export const initialGuidanceState: GuidanceState = { guidance: null, earlyGuidance: null };

/**
 * Latest wins: every event replaces the one shown. A streaming (partial) update keeps the
 * previous focus and lists until its own arrive, so the panel never flashes empty; a final
 * replaces everything.
 */
export function mergeGuidance(current: LiveGuidance | null, event: GuidanceEvent, receivedAt: number): LiveGuidance {
  const { call_id: _callId, ...incoming } = event;
  const next: LiveGuidance = { ...incoming, receivedAt };
  if (!current || incoming.status === 'final') return next;
  return {
    ...next,
    focus: incoming.focus?.what ? incoming.focus : current.focus,
    key_questions: incoming.key_questions.length ? incoming.key_questions : current.key_questions,
    talking_points: incoming.talking_points.length ? incoming.talking_points : current.talking_points,
    objectives: incoming.objectives.length ? incoming.objectives : current.objectives,
  };
}

/** Seconds in the current stage, counted on from the last event. */
export function timeInStage(guidance: LiveGuidance, now: number): number {
  return guidance.time_in_stage_s + Math.max(0, (now - guidance.receivedAt) / 1000);
}
