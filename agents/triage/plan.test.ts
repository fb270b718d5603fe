import { describe, expect, it } from 'vitest';
import { type PatientFacts, planResponse } from './plan.ts';

const outpatient: PatientFacts = {
  id: 'p',
  name: 'P',
  sex: 'female',
  assignedNurseId: 'n',
  careSpecialty: 'endocrinology',
  isolation: 'contact',
  currentUnitType: null,
};

describe('the triage response plan', () => {
  it.each([
    [
      'emergency',
      'hypoglycaemia',
      ['reserve-bed', 'page-on-call', 'notify-nurse', 'advise-patient'],
      'bed reserved and on-call specialist paged',
    ],
    [
      'urgent',
      'news2',
      ['notify-nurse', 'advise-patient'],
      'urgent ward review requested from the assigned nurse; advice sent to the patient',
    ],
    [
      'notify',
      'hypoglycaemia',
      ['notify-nurse', 'advise-patient'],
      'assigned nurse notified; advice sent to the patient',
    ],
    ['advice', 'hyperglycaemia', ['advise-patient'], 'advice sent to the patient'],
  ] as const)('%s for %s → %j', (level, condition, kinds, goal) => {
    const plan = planResponse(level, condition, outpatient);
    expect(plan.actions.map((a) => a.kind)).toEqual(kinds);
    expect(plan.goal).toBe(goal);
  });

  it("pages the patient's own specialty for severe hypoglycaemia and asks for a monitored ward bed", () => {
    const plan = planResponse('emergency', 'hypoglycaemia', outpatient);
    expect(plan.actions).toContainEqual({ kind: 'page-on-call', specialty: 'endocrinology' });
    expect(plan.actions[0]).toEqual({
      kind: 'reserve-bed',
      need: {
        unitTypes: ['med-surg', 'telemetry', 'step-down'],
        isolation: 'contact',
        telemetry: false,
        bariatric: false,
        sex: 'female',
      },
    });
  });

  it('pages critical care and asks for a monitored critical-care bed for NEWS2 ≥ 7', () => {
    const plan = planResponse('emergency', 'news2', outpatient);
    expect(plan.actions).toContainEqual({ kind: 'page-on-call', specialty: 'critical-care' });
    expect(plan.actions[0]).toMatchObject({
      kind: 'reserve-bed',
      need: { unitTypes: ['icu', 'step-down'], telemetry: true },
    });
  });

  it('reserves no second bed for an inpatient already in a suitable unit', () => {
    const plan = planResponse('emergency', 'news2', { ...outpatient, currentUnitType: 'icu' });
    expect(plan.actions.map((a) => a.kind)).not.toContain('reserve-bed');
    expect(plan.goal).toMatch(/already in a suitable bed/);
  });

  it('moves an inpatient whose unit does not fit', () => {
    const plan = planResponse('emergency', 'news2', { ...outpatient, currentUnitType: 'med-surg' });
    expect(plan.actions[0]!.kind).toBe('reserve-bed');
  });
});
