import { describe, expect, it } from 'vitest';
import { PERIOPERATIVE_SKILL, standardTeam } from '../../../db/seed/surgery.ts';
import {
  type CaseSlot,
  caseMinutesInWeek,
  chooseTeam,
  type TeamCandidate,
  type TeamCandidateFacts,
  teamRefusals,
} from './rules.ts';

const [surgeon, anaesthetist, scrub, circulator] = standardTeam('general-surgery') as [
  ReturnType<typeof standardTeam>[number],
  ReturnType<typeof standardTeam>[number],
  ReturnType<typeof standardTeam>[number],
  ReturnType<typeof standardTeam>[number],
];
const t = (iso: string) => new Date(`2026-03-${iso}:00Z`);
// Tuesday 10 March, 09:00–11:00, in a theatre on unit-ms.
const slot: CaseSlot = { startsAt: t('10T09:00'), endsAt: t('10T11:00'), unitId: 'unit-ms' };
const nurse = (extra: Partial<TeamCandidateFacts> = {}): TeamCandidateFacts => ({
  staffId: 'stf-n',
  name: 'N',
  role: 'RN',
  specialty: null,
  skills: [{ skill: PERIOPERATIVE_SKILL, certifiedUntil: '2027-01-01' }],
  leave: [],
  shifts: [],
  cases: [],
  ...extra,
});
const doctor = (specialty: string, extra: Partial<TeamCandidateFacts> = {}) =>
  nurse({ role: 'physician', specialty, skills: [], ...extra });
const shift = (unitId: string, from: string, to: string) => ({ unitId, startsAt: t(from), endsAt: t(to) });
const kase = (from: string, to: string) => ({ theatreBookingId: 'tb-x', startsAt: t(from), endsAt: t(to) });
const rules = (c: TeamCandidateFacts, place = circulator) => teamRefusals(c, place, slot).map((r) => r.rule);

describe('team rules', () => {
  it.each([
    ['a free perioperative RN', nurse(), circulator, []],
    ['an LPN may scrub', nurse({ role: 'LPN' }), scrub, []],
    ['an LPN may not circulate', nurse({ role: 'LPN' }), circulator, ['role']],
    ['a surgeon of another specialty', doctor('orthopaedics'), surgeon, ['specialty']],
    ['an RN as anaesthetist', nurse(), anaesthetist, ['role', 'specialty']],
    ['no perioperative skill', nurse({ skills: [] }), circulator, ['skill']],
    [
      'perioperative skill lapsing the day before the case',
      nurse({ skills: [{ skill: PERIOPERATIVE_SKILL, certifiedUntil: '2026-03-09' }] }),
      circulator,
      ['skill'],
    ],
    [
      'perioperative skill valid through the case day',
      nurse({ skills: [{ skill: PERIOPERATIVE_SKILL, certifiedUntil: '2026-03-10' }] }),
      circulator,
      [],
    ],
    [
      'leave on the day',
      nurse({ leave: [{ startsOn: '2026-03-10', endsOn: '2026-03-10' }] }),
      circulator,
      ['leave'],
    ],
    [
      'another case overlapping',
      nurse({ cases: [kase('10T10:30', '10T12:00')] }),
      circulator,
      ['busy-in-another-case'],
    ],
    [
      'another case ending as this one starts',
      nurse({ cases: [kase('10T07:00', '10T09:00')] }),
      circulator,
      [],
    ],
    [
      'a shift on another unit',
      nurse({ shifts: [shift('unit-icu', '10T07:00', '10T15:00')] }),
      circulator,
      ['busy-on-shift'],
    ],
    [
      'a shift on the theatre’s unit not covering the case',
      nurse({ shifts: [shift('unit-ms', '10T10:00', '10T18:00')] }),
      circulator,
      ['busy-on-shift'],
    ],
    [
      'on duty on the theatre’s unit',
      nurse({ shifts: [shift('unit-ms', '10T07:00', '10T19:00')] }),
      circulator,
      [],
    ],
    [
      '12 h just before (14 h in 24 h)',
      nurse({ shifts: [shift('unit-icu', '09T19:00', '10T07:00')] }),
      circulator,
      ['hours-24h'],
    ],
    [
      'a physician off the same 12 h night: the IOM limits are for nurses',
      doctor('anaesthesia', { shifts: [shift('unit-icu', '09T19:00', '10T07:00')] }),
      anaesthetist,
      [],
    ],
    [
      'cases count towards fatigue: 11 h of cases earlier today',
      nurse({ cases: [kase('09T21:00', '10T08:00')] }),
      circulator,
      ['hours-24h'],
    ],
    [
      'on duty 07–19, already 14 h in 24 h with last evening’s case: this case inside the shift adds nothing',
      nurse({ shifts: [shift('unit-ms', '10T07:00', '10T19:00')], cases: [kase('09T19:00', '09T21:00')] }),
      circulator,
      [],
    ],
    [
      '60 h in the 7 days before (62 h with the case)',
      nurse({
        shifts: ['04', '05', '06', '07', '08'].map((d) => shift('unit-icu', `${d}T07:00`, `${d}T19:00`)),
      }),
      circulator,
      ['hours-7d'],
    ],
  ] as const)('%s', (_, c, place, expected) => {
    expect(rules(c, place)).toEqual(expected);
  });

  it('counts case minutes in the ISO week of the case only', () => {
    const c = nurse({ cases: [kase('08T22:00', '09T01:00'), kase('12T09:00', '12T10:30')] });
    // Sunday 22:00–24:00 is the week before: 60 + 90 minutes count.
    expect(caseMinutesInWeek(c, slot)).toBe(150);
  });
});

describe('choosing one person per place', () => {
  const cand = (staffId: string): TeamCandidate => ({
    staffId,
    name: staffId,
    staffRole: 'RN',
    onDuty: false,
    caseMinutesThisWeek: 0,
  });
  it('keeps each place’s best when it can, moves one only when another place needs that person', () => {
    const a = cand('a');
    const b = cand('b');
    expect(
      chooseTeam([
        { role: 'scrub-nurse', eligible: [a, b] },
        { role: 'circulating-nurse', eligible: [a, b] },
      ]).map((c) => c?.staffId),
    ).toEqual(['a', 'b']);
    expect(
      chooseTeam([
        { role: 'scrub-nurse', eligible: [a, b] },
        { role: 'circulating-nurse', eligible: [a] },
      ]).map((c) => c?.staffId),
    ).toEqual(['b', 'a']);
    expect(
      chooseTeam([
        { role: 'scrub-nurse', eligible: [a] },
        { role: 'circulating-nurse', eligible: [a] },
      ]).map((c) => c?.staffId ?? null),
    ).toEqual(['a', null]);
  });
});
