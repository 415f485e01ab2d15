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

/** Every event carries the whole panel: the latest replaces what is shown, whatever its origin. */
export function toGuidance(event: GuidanceEvent, receivedAt: number): LiveGuidance {
  const { call_id: _callId, ...guidance } = event;
  return { ...guidance, receivedAt };
}

/** Seconds in the current stage, counted on from the last event. */
export function timeInStage(guidance: LiveGuidance, now: number): number {
  return guidance.time_in_stage_s + Math.max(0, (now - guidance.receivedAt) / 1000);
}
