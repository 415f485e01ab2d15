import type { TranscriptEvent } from '../api/events';

import { initialLiveCallState, liveCallReducer, type LiveCallAction, type LiveCallState, visibleLines } from './live-call-reducer';

const run = (actions: LiveCallAction[], state: LiveCallState = initialLiveCallState) => actions.reduce(liveCallReducer, state);
const started = run([{ type: 'connecting' }, { type: 'started', callId: 'c1' }]);

function final(partial: Partial<TranscriptEvent>): LiveCallAction {
  return {
    type: 'transcript',
    event: { call_id: 'c1', utterance_id: 'u', source: 'rep', text: '', is_final: true, start_ms: 0, end_ms: 0, confidence: 1, ...partial },
  };
}
const mute = (muted: boolean, elapsedS: number, source: 'rep' | 'prospect' = 'rep'): LiveCallAction => ({ type: 'mute', source, muted, elapsedS });

describe('mute', () => {
  it('shows an open gap while muted and closes it on unmute', () => {
    const muted = run([final({ utterance_id: 'a', text: 'Hello.', start_ms: 0, end_ms: 1500 }), mute(true, 42)], started);
    expect(muted.muted.rep).toBeDefined();
    expect(visibleLines(muted).map((l) => l.gap ?? l.text)).toEqual(['Hello.', { from_s: 42, to_s: null }]);
    const unmuted = run([mute(false, 55)], muted);
    expect(unmuted.muted.rep).toBeUndefined();
    expect(visibleLines(unmuted)[1]!.gap).toEqual({ from_s: 42, to_s: 55 });
  });

  it("puts the source's speech after the unmute below the gap", () => {
    const state = run(
      [final({ utterance_id: 'a', text: 'Before.', start_ms: 0, end_ms: 2000 }), mute(true, 10), mute(false, 20), final({ utterance_id: 'b', text: 'After.', start_ms: 2000, end_ms: 3000 })],
      started,
    );
    expect(visibleLines(state).map((l) => (l.gap ? 'gap' : l.text))).toEqual(['Before.', 'gap', 'After.']);
  });

  it('keeps one gap per source and ignores a repeated mute', () => {
    const state = run([mute(true, 5), mute(true, 6), mute(true, 7, 'prospect')], started);
    expect(state.finals.filter((l) => l.gap)).toHaveLength(2);
    expect(Object.keys(state.muted).sort()).toEqual(['prospect', 'rep']);
  });

  it('does nothing before the call has an id', () => {
    expect(run([{ type: 'connecting' }, mute(true, 1)]).finals).toEqual([]);
  });
});
