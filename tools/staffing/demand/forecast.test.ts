import { describe, expect, it } from 'vitest';
import { unitTypes } from '../../../db/schema/index.ts';
import {
  assessShift,
  type DemandFacts,
  forecastCensus,
  forecastDemand,
  type RosteredNurse,
  type RosteredShift,
  type ShiftKind,
  shiftSlots,
  staffOnSlot,
} from './forecast.ts';
import { effectivePolicy, requiredLicensedNurses, title22Ratios } from './policy.ts';

const icu = effectivePolicy({ id: 'unit-icu', type: 'icu' }, null);
const medSurg = effectivePolicy({ id: 'unit-ms', type: 'med-surg' }, null);

const nurse = (
  staffId: string,
  role: RosteredNurse['role'] = 'RN',
  skills: RosteredNurse['skills'] = [],
): RosteredNurse => ({ staffId, role, skills });
const rns = (n: number, prefix = 'rn') => Array.from({ length: n }, (_, i) => nurse(`${prefix}-${i}`));
/** The 2 March 2026 shift of that kind. */
const slotOf = (kind: ShiftKind) => shiftSlots('2026-03-02', 1).find((s) => s.kind === kind)!;
const charge = nurse('charge', 'charge-nurse', [{ skill: 'ACLS', certifiedUntil: '2027-01-01' }]);

describe('the Title 22 default ratios', () => {
  it.each([
    ['icu', 2],
    ['step-down', 3],
    ['telemetry', 4],
    ['ed', 4],
    ['pediatrics', 4],
    ['maternity', 4],
    ['oncology', 4],
    ['med-surg', 5],
    ['surgical', 5],
  ] as const)('%s: 1:%i, citing §70217', (type, patientsPerNurse) => {
    const policy = effectivePolicy({ id: 'u', type }, null);
    expect(policy).toMatchObject({ patientsPerNurse, chargeNursesPerShift: 1, overridden: false });
    expect(policy.source).toMatch(/^Title 22 CCR §70217\(a\)/);
    expect(policy.source).toContain(`1:${patientsPerNurse}`);
  });

  it('covers every unit type', () => {
    expect(Object.keys(title22Ratios).sort()).toEqual([...unitTypes].sort());
  });

  it('gives way to a unit override, whose source is named', () => {
    const policy = effectivePolicy(
      { id: 'unit-icu', type: 'icu' },
      {
        patientsPerNurse: 1,
        chargeNursesPerShift: 2,
        requiredSkill: 'CCRN',
        source: 'Staffing committee 2026-03: ECMO patients',
        updatedAt: new Date('2026-03-01T09:00:00Z'),
        updatedBy: 'admin:1',
      },
    );
    expect(policy).toMatchObject({
      patientsPerNurse: 1,
      chargeNursesPerShift: 2,
      requiredSkill: 'CCRN',
      source: 'unit policy: Staffing committee 2026-03: ECMO patients',
      overridden: true,
      updatedAt: '2026-03-01T09:00:00.000Z',
    });
  });
});

describe('licensed nurses a census needs', () => {
  it.each([
    [7, 2, 4], // ICU census 7 → 4 RNs
    [11, 5, 3], // med-surg census 11 → 3
    [10, 5, 2],
    [1, 5, 1], // any patient needs a nurse
    [0, 2, 0],
    [12, 3, 4],
  ])('census %i at 1:%i → %i', (census, ratio, needed) => {
    expect(requiredLicensedNurses(census, ratio)).toBe(needed);
  });
});

describe('expected census', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  const day = slotOf('day');
  const evening = slotOf('evening');
  const night = slotOf('night');
  const facts = {
    occupants: 10,
    pendingDischarges: [new Date('2026-03-02T18:00:00Z')],
    scheduledAdmissions: 0,
  };

  it('drops a pending discharge expected before the night shift starts', () => {
    expect(forecastCensus(facts, night, now)).toEqual({
      current: 10,
      dischargesBefore: 1,
      scheduledAdmissions: 0,
      expected: 9,
    });
  });

  it('keeps the patient for a shift starting before the expected discharge', () => {
    expect(forecastCensus(facts, evening, now).expected).toBe(10);
  });

  it('keeps an overdue patient on the shift under way: they are still in their bed', () => {
    const overdue = { ...facts, pendingDischarges: [new Date('2026-03-02T06:00:00Z')] };
    expect(forecastCensus(overdue, day, now).expected).toBe(10);
    expect(forecastCensus(overdue, evening, now).expected).toBe(9);
  });

  it('adds a bed booked ahead on the shifts its stay overlaps, from the one it arrives in', () => {
    // Arrives 16:00 in the evening shift, leaves 06:00 in the night shift.
    const bookedStays = [
      { fromAt: new Date('2026-03-02T16:00:00Z'), untilAt: new Date('2026-03-03T06:00:00Z') },
    ];
    const withBooking = { ...facts, bookedStays };
    expect([day, evening, night].map((s) => forecastCensus(withBooking, s, now).scheduledAdmissions)).toEqual(
      [0, 1, 1],
    );
    expect(forecastCensus(withBooking, night, now).expected).toBe(10);
    const leavesAt23 = {
      ...facts,
      bookedStays: [{ ...bookedStays[0]!, untilAt: new Date('2026-03-02T23:00:00Z') }],
    };
    expect(forecastCensus(leavesAt23, night, now).scheduledAdmissions).toBe(0);
  });

  it('adds the patients with a reserved bed', () => {
    expect(forecastCensus({ ...facts, scheduledAdmissions: 2 }, night, now)).toMatchObject({
      dischargesBefore: 1,
      scheduledAdmissions: 2,
      expected: 11,
    });
  });
});

describe('a shift measured against its policy', () => {
  it('ICU census 7 needs 4 licensed nurses: 3 RNs are one short, naming the rule and its source', () => {
    const out = assessShift(7, icu, [...rns(3), charge], '2026-03-02');
    expect(out.required).toEqual({ licensedNurses: 4, chargeNurses: 1, skill: 'ACLS' });
    expect(out.status).toBe('short');
    expect(out.gaps).toEqual([
      {
        rule: 'ratio',
        short: 1,
        reason: expect.stringMatching(
          /^Ratio 1:2 \(Title 22 CCR §70217\(a\)\(1\).*census 7 needs 4 licensed nurses, 3/,
        ),
        source: 'Title 22 CCR §70217(a)(1)',
      },
    ]);
  });

  it('med-surg census 11 is met by 3 RNs and a charge nurse, who is not counted in the ratio', () => {
    const bls = [{ skill: 'BLS', certifiedUntil: null }];
    const out = assessShift(11, medSurg, [...rns(2), nurse('rn-bls', 'RN', bls), charge], '2026-03-02');
    expect(out).toMatchObject({ status: 'met', gaps: [], surplusLicensedNurses: 0 });
    expect(out.scheduled).toMatchObject({ rn: 3, chargeNurses: 1, countedTowardRatio: 3 });
    expect(out.scheduled.withRequiredSkill).toEqual(['rn-bls']);
  });

  it('requires the charge nurse', () => {
    const out = assessShift(
      4,
      icu,
      [nurse('a', 'RN', [{ skill: 'ACLS', certifiedUntil: null }]), ...rns(1)],
      '2026-03-02',
    );
    expect(out.gaps).toEqual([
      expect.objectContaining({
        rule: 'charge-nurse',
        short: 1,
        reason: expect.stringMatching(/1 charge nurse per shift/),
      }),
    ]);
  });

  it('does not count an expired certification toward the required skill, and names who lapsed', () => {
    const lapsed = nurse('rn-lapsed', 'RN', [{ skill: 'ACLS', certifiedUntil: '2026-03-01' }]);
    const chargeNoAcls = nurse('charge', 'charge-nurse');
    const out = assessShift(2, icu, [lapsed, chargeNoAcls], '2026-03-02');
    expect(out.scheduled.withRequiredSkill).toEqual([]);
    expect(out.gaps).toEqual([
      expect.objectContaining({
        rule: 'required-skill',
        short: 1,
        reason: expect.stringMatching(/ACLS valid through 2026-03-02.*lapsed or expiring: rn-lapsed/),
      }),
    ]);
  });

  it('counts a certification valid through the last day of the shift, and one without an end date', () => {
    const through = nurse('rn-1', 'RN', [{ skill: 'ACLS', certifiedUntil: '2026-03-03' }]);
    const forever = nurse('rn-2', 'RN', [{ skill: 'ACLS', certifiedUntil: null }]);
    expect(assessShift(2, icu, [through, charge], '2026-03-03').scheduled.withRequiredSkill).toEqual([
      'rn-1',
      'charge',
    ]);
    expect(assessShift(2, icu, [forever], '2026-03-03').scheduled.withRequiredSkill).toEqual(['rn-2']);
  });

  it('does not let a CNA hold the required skill or count toward the ratio', () => {
    const cna = nurse('cna', 'CNA', [{ skill: 'BLS', certifiedUntil: null }]);
    const out = assessShift(3, medSurg, [cna, charge], '2026-03-02');
    expect(out.scheduled).toMatchObject({ cna: 1, countedTowardRatio: 0, withRequiredSkill: [] });
    expect(out.gaps.map((g) => g.rule)).toEqual(['ratio', 'required-skill']);
  });

  it('counts LPNs only up to half of the licensed nurses, so the shortfall is RNs', () => {
    const lpns = Array.from({ length: 3 }, (_, i) => nurse(`lpn-${i}`, 'LPN'));
    const out = assessShift(15, medSurg, [...rns(1), ...lpns, charge], '2026-03-02');
    expect(out.scheduled).toMatchObject({ rn: 1, lpn: 3, countedTowardRatio: 2 });
    expect(out.gaps[0]).toMatchObject({ rule: 'ratio', short: 1 });
    expect(out.gaps[0]!.reason).toMatch(/2 LPNs not counted .*50%.*shortfall is RNs/);
  });

  it('needs nobody for an empty unit, and reports who is rostered as surplus', () => {
    expect(assessShift(0, icu, [], '2026-03-02')).toMatchObject({
      required: { licensedNurses: 0, chargeNurses: 0, skill: null },
      gaps: [],
      status: 'met',
    });
    expect(assessShift(0, icu, rns(2), '2026-03-02')).toMatchObject({
      status: 'surplus',
      surplusLicensedNurses: 2,
    });
  });
});

describe('shift slots and the staff on them', () => {
  it('are 07:00, 15:00 and 23:00 UTC, eight hours each', () => {
    expect(
      shiftSlots('2026-03-02', 1).map((s) => [s.kind, s.startsAt.toISOString(), s.endsAt.toISOString()]),
    ).toEqual([
      ['day', '2026-03-02T07:00:00.000Z', '2026-03-02T15:00:00.000Z'],
      ['evening', '2026-03-02T15:00:00.000Z', '2026-03-02T23:00:00.000Z'],
      ['night', '2026-03-02T23:00:00.000Z', '2026-03-03T07:00:00.000Z'],
    ]);
    expect(shiftSlots('2026-02-28', 2).map((s) => s.day)).toEqual([
      ...Array(3).fill('2026-02-28'),
      ...Array(3).fill('2026-03-01'),
    ]);
  });

  it('take shifts of the same kind and unit that overlap the slot, each person once', () => {
    const at = (h: string) => new Date(`2026-03-${h}:00Z`);
    const rostered: RosteredShift[] = [
      { staffId: 'a', unitId: 'u', kind: 'night', startsAt: at('02T23:00'), endsAt: at('03T07:00') },
      { staffId: 'a', unitId: 'u', kind: 'night', startsAt: at('02T23:00'), endsAt: at('03T07:00') },
      { staffId: 'b', unitId: 'u', kind: 'night', startsAt: at('03T23:00'), endsAt: at('04T07:00') },
      { staffId: 'c', unitId: 'other', kind: 'night', startsAt: at('02T23:00'), endsAt: at('03T07:00') },
      { staffId: 'd', unitId: 'u', kind: 'evening', startsAt: at('02T15:00'), endsAt: at('02T23:00') },
    ];
    expect(staffOnSlot(rostered, 'u', slotOf('night'))).toEqual(['a']);
  });
});

describe('the forecast over units and shifts', () => {
  it('leaves out shifts already over and measures the rest', () => {
    const facts: DemandFacts = {
      units: [{ id: 'unit-icu', name: 'ICU', type: 'icu', override: null }],
      census: new Map([
        [
          'unit-icu',
          { occupants: 7, pendingDischarges: [new Date('2026-03-02T20:00:00Z')], scheduledAdmissions: 0 },
        ],
      ]),
      shifts: [],
      nurses: new Map(),
    };
    const rows = forecastDemand(facts, shiftSlots('2026-03-02', 1), new Date('2026-03-02T16:00:00Z'));
    expect(rows.map((r) => [r.kind, r.census.expected, r.required.licensedNurses])).toEqual([
      ['evening', 7, 4],
      ['night', 6, 3],
    ]);
    expect(rows.every((r) => r.status === 'short')).toBe(true);
  });
});
