import { describe, expect, it } from 'vitest';
import { type MessageFacts, replyProblem, templateMessages } from './messages.ts';

const facts = (over: Partial<MessageFacts>): MessageFacts => ({
  escalationId: 'esc-1',
  patientName: 'Ada Diabetic',
  condition: 'hypoglycaemia',
  level: 'emergency',
  summary: 'Glucose 48 mg/dL: level 2 hypoglycaemia',
  goal: 'bed reserved and on-call specialist paged',
  ...over,
});

describe('the screen on model-worded messages', () => {
  it.each([
    ['hypoglycaemia', 'emergency'],
    ['hypoglycaemia', 'notify'],
    ['hyperglycaemia', 'notify'],
    ['news2', 'emergency'],
    ['news2', 'urgent'],
    ['news2', 'notify'],
    ['device-stale', 'notify'],
  ] as const)('passes the templates themselves (%s, %s)', (condition, level) => {
    const f = facts({ condition, level });
    expect(replyProblem(f, templateMessages(f))).toBeNull();
  });

  const ok = {
    patient: 'Take 15 g of sugar now and recheck in 15 minutes. If you feel faint, call emergency services.',
    clinician: 'Escalation esc-1: level 2 hypoglycaemia; bed held, specialist paged.',
  };

  it.each([
    [{ clinician: 'Level 2 hypoglycaemia.' }, /lost the escalation id/],
    [{ patient: `${ok.patient} No bed is needed.` }, /patient message contradicts the response \("No bed/],
    [{ clinician: `${ok.clinician} Do not page anyone.` }, /clinician message contradicts/],
    [
      { patient: 'You will not need a hospital stay. Take 15 g of sugar; call emergency services if faint.' },
      /contradicts/,
    ],
    [{ patient: 'Eat something sweet. If you feel faint, call emergency services.' }, /rule of 15/],
    [{ patient: 'Take 15 g of sugar now and recheck in 15 minutes.' }, /emergency services/],
  ])('sets aside %j', (change, why) => {
    expect(replyProblem(facts({}), { ...ok, ...change })).toMatch(why);
  });

  it('accepts a faithful rewording', () => {
    expect(replyProblem(facts({}), ok)).toBeNull();
  });
});
