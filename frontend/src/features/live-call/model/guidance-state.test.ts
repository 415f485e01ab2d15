import type { GuidanceEvent } from '../api/events';

import { timeInStage } from './guidance-state';
import { initialLiveCallState, liveCallReducer, type LiveCallAction, type LiveCallState } from './live-call-reducer';

const run = (actions: LiveCallAction[], state: LiveCallState = initialLiveCallState) => actions.reduce(liveCallReducer, state);
const started = run([{ type: 'connecting' }, { type: 'started', callId: 'c1' }]);

function guidance(partial: Partial<GuidanceEvent>, receivedAt = 1000): LiveCallAction {
  return {
    type: 'guidance',
    receivedAt,
    event: {
      call_id: 'c1',
      stage: 'opening',
      stage_confidence: 0.6,
      time_in_stage_s: 0,
      focus: { what: 'Build rapport', why: 'They do not know you yet', urgency: 'medium' },
      key_questions: [{ primary: 'What made you take this call?', alternatives: ['Why now?', 'What prompted this?'], context: 'Early' }],
      talking_points: ['Thank them for their time'],
      objectives: [{ id: 'o1', text: 'Agree the agenda', done: false }],
      origin: 'playbook',
      status: 'final',
      ...partial,
    },
  };
}

describe('guidance', () => {
  it('keeps the brief that arrives before call:start is acknowledged and shows it once the call id is known', () => {
    const connecting = run([{ type: 'connecting' }, guidance({ call_id: 'c1' })]);
    expect(connecting.guidance).toBeNull();
    const live = run([{ type: 'started', callId: 'c1' }], connecting);
    expect(live.guidance?.focus?.what).toBe('Build rapport');
    expect(live.earlyGuidance).toBeNull();
  });

  it('drops an early brief of another call', () => {
    const live = run([{ type: 'connecting' }, guidance({ call_id: 'other' }), { type: 'started', callId: 'c1' }]);
    expect(live.guidance).toBeNull();
  });

  it('ignores guidance for another call once live', () => {
    expect(run([guidance({ call_id: 'other' })], started).guidance).toBeNull();
  });

  it('replaces playbook guidance with streamed AI guidance, then the final (latest wins)', () => {
    const partial = run([guidance({}), guidance({ origin: 'llm', status: 'partial', focus: { what: 'Find the budget owner', why: '', urgency: 'high' } })], started);
    expect(partial.guidance).toMatchObject({ origin: 'llm', status: 'partial', focus: { what: 'Find the budget owner' } });
    const final = run([guidance({ origin: 'llm', status: 'final', talking_points: [], key_questions: [] })], partial);
    expect(final.guidance).toMatchObject({ status: 'final', talking_points: [], key_questions: [] });
  });

  it('shows playbook guidance again when the model fails (whatever arrives last is shown)', () => {
    const state = run([guidance({ origin: 'llm', status: 'partial' }), guidance({ origin: 'playbook', status: 'final' })], started);
    expect(state.guidance).toMatchObject({ origin: 'playbook', status: 'final' });
  });

  it('moves to the stage of the newest event, with its objectives', () => {
    const state = run(
      [guidance({}), guidance({ stage: 'objection_handling', focus: { what: 'Handle the price concern', why: '', urgency: 'high' }, objectives: [{ id: 'p1', text: 'Isolate the objection', done: true }] })],
      started,
    );
    expect(state.guidance).toMatchObject({ stage: 'objection_handling', objectives: [{ id: 'p1', done: true }] });
  });

  it('counts time in stage on from the last event', () => {
    const state = run([guidance({ time_in_stage_s: 30 }, 10_000)], started);
    expect(timeInStage(state.guidance!, 25_000)).toBe(45);
    expect(timeInStage(state.guidance!, 5_000)).toBe(30);
  });
});
