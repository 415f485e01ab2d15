import type { SuggestionEvent, TranscriptEvent } from '../api/events';

import { initialLiveCallState, liveCallReducer, type LiveCallAction, type LiveCallState, visibleLines } from './live-call-reducer';

const run = (actions: LiveCallAction[], state: LiveCallState = initialLiveCallState) =>
  actions.reduce(liveCallReducer, state);

const started = run([{ type: 'connecting' }, { type: 'started', callId: 'c1', transcriber: 'local', coach: 'playbook' }]);

function transcript(partial: Partial<TranscriptEvent>): LiveCallAction {
  return {
    type: 'transcript',
    event: { call_id: 'c1', utterance_id: 'u1', source: 'rep', text: '', is_final: false, start_ms: 0, end_ms: 0, confidence: 0.9, ...partial },
  };
}

function suggestion(partial: Partial<SuggestionEvent>): LiveCallAction {
  return {
    type: 'suggestion',
    event: {
      call_id: 'c1', suggestion_id: 's1', kind: 'objection', title: 'Price', body: '', origin: 'llm', status: 'partial', trigger_utterance_id: 'u1', latency_ms: 120,
      ...partial,
    },
  };
}

describe('transcript lines', () => {
  it('replaces an interim with later interims and then with the final', () => {
    const state = run([transcript({ text: 'we' }), transcript({ text: 'we need' }), transcript({ text: 'We need a demo.', is_final: true })], started);
    expect(visibleLines(state).map((l) => [l.text, l.isFinal])).toEqual([['We need a demo.', true]]);
  });

  it('replaces the interim even when the final carries a new utterance id', () => {
    const state = run([transcript({ text: 'hel' }), transcript({ utterance_id: 'u9', text: 'Hello.', is_final: true })], started);
    expect(visibleLines(state).map((l) => l.utterance_id)).toEqual(['u9']);
  });

  it('keeps one interim per speaker and shows interims after the finals', () => {
    const state = run(
      [
        transcript({ source: 'rep', utterance_id: 'r1', text: 'so' }),
        transcript({ source: 'prospect', utterance_id: 'p1', text: 'Too expensive.', is_final: true }),
        transcript({ source: 'prospect', utterance_id: 'p2', text: 'and' }),
      ],
      started,
    );
    expect(visibleLines(state).map((l) => l.text)).toEqual(['Too expensive.', 'so', 'and']);
  });

  it('on one microphone, the final replaces the interim even when its speaker was re-attributed', () => {
    const attribution = { method: 'voice', confidence: 0.9 };
    const state = run(
      [
        transcript({ source: 'rep', utterance_id: 'k0', text: 'too exp', attribution }),
        transcript({ source: 'prospect', utterance_id: 'f1', text: 'Too expensive.', is_final: true, attribution }),
      ],
      started,
    );
    expect(visibleLines(state).map((l) => [l.source, l.text])).toEqual([['prospect', 'Too expensive.']]);
  });

  it('a correction flips the line for everyone in the room', () => {
    const state = run(
      [
        transcript({ utterance_id: 'f1', text: 'Hello.', is_final: true, attribution: { method: 'first_voice', confidence: 0.5 } }),
        { type: 'corrected', event: { call_id: 'c1', utterance_id: 'f1', source: 'prospect', attribution: { method: 'correction', confidence: 1 } } },
        { type: 'corrected', event: { call_id: 'other', utterance_id: 'f1', source: 'rep', attribution: { method: 'correction', confidence: 1 } } },
      ],
      started,
    );
    expect(state.finals.map((l) => [l.source, l.attribution?.method])).toEqual([['prospect', 'correction']]);
  });

  it("orders finals of the two speakers by start time, not by arrival", () => {
    const state = run(
      [
        transcript({ utterance_id: 'a', text: 'Second.', is_final: true, start_ms: 5000 }),
        transcript({ utterance_id: 'b', source: 'prospect', text: 'First.', is_final: true, start_ms: 1000 }),
        transcript({ utterance_id: 'c', text: 'Third.', is_final: true, start_ms: 9000 }),
      ],
      started,
    );
    expect(visibleLines(state).map((l) => l.text)).toEqual(['First.', 'Second.', 'Third.']);
  });

  it('does not duplicate a final that is delivered twice', () => {
    const final = transcript({ text: 'Hi.', is_final: true });
    expect(run([final, final], started).finals).toHaveLength(1);
  });

  it('ignores events of another call', () => {
    expect(run([transcript({ call_id: 'other', text: 'x', is_final: true })], started).finals).toEqual([]);
  });
});

describe('suggestions', () => {
  it('merges partial updates into one card and finishes with the final text', () => {
    const state = run([suggestion({ body: 'Ask what' }), suggestion({ body: 'Ask what budget' }), suggestion({ body: 'Ask what budget they have.', status: 'final' })], started);
    expect(state.suggestions).toHaveLength(1);
    expect(state.suggestions[0]).toMatchObject({ body: 'Ask what budget they have.', status: 'final' });
  });

  it('never lets a late partial overwrite a final', () => {
    const state = run([suggestion({ body: 'Done.', status: 'final' }), suggestion({ body: 'Do' })], started);
    expect(state.suggestions[0]!.body).toBe('Done.');
  });

  it('lists new suggestions first and keeps an updated card in place', () => {
    const state = run([suggestion({ suggestion_id: 'a' }), suggestion({ suggestion_id: 'b' }), suggestion({ suggestion_id: 'a', body: 'more' })], started);
    expect(state.suggestions.map((s) => s.suggestion_id)).toEqual(['b', 'a']);
    expect(state.suggestions[1]!.body).toBe('more');
  });

  it('records used / dismissed feedback and keeps it across updates', () => {
    const state = run([suggestion({}), { type: 'feedback', suggestionId: 's1', action: 'used' }, suggestion({ status: 'final' })], started);
    expect(state.suggestions[0]!.feedback).toBe('used');
  });
});

describe('connection state', () => {
  it('goes idle → connecting → live', () => {
    expect(run([{ type: 'connecting' }]).connection).toBe('connecting');
    expect(started).toMatchObject({ connection: 'live', callId: 'c1', transcriber: 'local' });
  });

  it('shows reconnecting on disconnect, drops stale interims and returns to live on resume', () => {
    const lost = run([transcript({ text: 'half' }), { type: 'disconnected' }], started);
    expect(lost.connection).toBe('reconnecting');
    expect(lost.interims).toEqual({});
    expect(run([{ type: 'resumed' }], lost).connection).toBe('live');
  });

  it('follows server status: degraded with its reason, then live again', () => {
    const degraded = run([{ type: 'status', event: { call_id: 'c1', state: 'degraded', reason: 'coach_unavailable' } }], started);
    expect(degraded).toMatchObject({ connection: 'degraded', reason: 'coach_unavailable' });
    expect(run([{ type: 'status', event: { call_id: 'c1', state: 'live' } }], degraded).connection).toBe('live');
  });

  it('stays ended after stop, whatever arrives later', () => {
    const ended = run([{ type: 'stopped' }, { type: 'disconnected' }, { type: 'status', event: { call_id: 'c1', state: 'live' } }], started);
    expect(ended.connection).toBe('ended');
  });

  it('keeps a bounded number of nudge toasts with unique ids', () => {
    const nudges = Array.from({ length: 6 }, (_, i): LiveCallAction => ({ type: 'nudge', event: { call_id: 'c1', kind: 'pace', message: `n${i}` } }));
    const state = run(nudges, started);
    expect(state.nudges.map((n) => n.message)).toEqual(['n2', 'n3', 'n4', 'n5']);
    expect(new Set(state.nudges.map((n) => n.id)).size).toBe(4);
    expect(run([{ type: 'dismissNudge', id: state.nudges[0]!.id }], state).nudges).toHaveLength(3);
  });
});
