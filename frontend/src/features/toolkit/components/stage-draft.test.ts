import { StageGuidanceSchema } from '../api/stages-api';

import { fromDraft, toDraft } from './stage-draft';

const stage = StageGuidanceSchema.parse({
  stage: 'discovery',
  focus: { what: 'Uncover the pain', why: 'No pain, no deal', urgency: 'high' },
  objectives: [{ id: 'pain', text: 'Name one pain', triggers: ['problem', 'struggle'] }],
  key_questions: [{ primary: 'What is the cost of waiting?', alternatives: ['Why now?', 'What if it waits?'], context: 'After a pain' }],
  talking_points: ['Others halved onboarding'],
});

describe('stage draft', () => {
  it('round-trips a stage through the editor unchanged', () => {
    expect(fromDraft('discovery', toDraft(stage))).toEqual(stage);
  });

  it('drops empty rows, trims, splits alternatives per line and gives new objectives a unique id', () => {
    const draft = toDraft(stage);
    draft.objectives.push({ id: null, text: ' Name one pain ', triggers: 'hurts,  costs us ' }, { id: null, text: '  ', triggers: '' });
    draft.key_questions.push({ primary: 'Who else feels it?', alternatives: 'Who else?\n\n  Which team?  ', context: '' }, { primary: ' ', alternatives: 'x', context: '' });
    draft.talking_points = 'One\n\n Two ';
    const out = fromDraft('discovery', draft);
    expect(out.objectives.map((o) => [o.id, o.text, o.triggers])).toEqual([
      ['pain', 'Name one pain', ['problem', 'struggle']],
      ['name-one-pain', 'Name one pain', ['hurts', 'costs us']],
    ]);
    expect(out.key_questions[1]).toEqual({ primary: 'Who else feels it?', alternatives: ['Who else?', 'Which team?'], context: '' });
    expect(out.key_questions).toHaveLength(2);
    expect(out.talking_points).toEqual(['One', 'Two']);
  });
});
