import { describe, expect, it } from 'vitest';
import {
  busiestWindowMinutes,
  type CandidateFacts,
  type CoverSlot,
  coverRefusals,
  priceCover,
  rankCover,
} from './rules.ts';

const h = (iso: string) => new Date(iso);
const span = (from: string, to: string) => ({ startsAt: h(from), endsAt: h(to) });
const DAY = 86_400_000;

// Wednesday 2026-03-11, the evening shift on unit A.
const slot: CoverSlot = {
  unitId: 'A',
  role: 'RN',
  ...span('2026-03-11T15:00:00Z', '2026-03-11T23:00:00Z'),
  requiredSkill: null,
  calledOutStaffId: null,
};

const nurse = (extra: Partial<CandidateFacts> = {}): CandidateFacts => ({
  staffId: 'n',
  name: 'N',
  role: 'RN',
  homeUnitId: 'A',
  employmentType: 'full-time',
  floatEligible: false,
  contractedMinutesPerWeek: 2400,
  hourlyRateCents: 6000,
  overtimeBasis: 'weekly-40',
  shifts: [],
  leave: [],
  skills: [],
  ...extra,
});

describe('busiestWindowMinutes', () => {
  it('finds the busiest 24 h around the slot, wherever the window starts', () => {
    expect(busiestWindowMinutes(slot, [], DAY)).toBe(480);
    // Day shift the same morning ends as the evening starts: 16 h within 24 h.
    expect(busiestWindowMinutes(slot, [span('2026-03-11T07:00:00Z', '2026-03-11T15:00:00Z')], DAY)).toBe(960);
    // Night before ended 07:00: the window 07:00 → 07:00 holds the 15:00 evening only, but the window
    // from 23:00 the night before holds 8 h of it and the evening: 16 h.
    expect(busiestWindowMinutes(slot, [span('2026-03-10T23:00:00Z', '2026-03-11T07:00:00Z')], DAY)).toBe(960);
    // A shift two days away does not count.
    expect(busiestWindowMinutes(slot, [span('2026-03-13T07:00:00Z', '2026-03-13T15:00:00Z')], DAY)).toBe(480);
  });
});

describe('coverRefusals', () => {
  it('allows an RN on an LPN shift but not an LPN on an RN shift', () => {
    expect(coverRefusals(nurse(), { ...slot, role: 'LPN' })).toEqual([]);
    expect(coverRefusals(nurse({ role: 'LPN' }), slot).map((r) => r.rule)).toEqual(['role']);
    expect(
      coverRefusals(nurse({ role: 'CNA' }), { ...slot, role: 'charge-nurse' }).map((r) => r.rule),
    ).toEqual(['role']);
  });

  it('refuses 60 h 1 min in 7 days but allows exactly 60', () => {
    // Four 12-hour days (48 h) and 4 h before them: with the slot, 60 h in the 7 days from Thursday 15:00.
    const twelves = [6, 7, 8, 9].map((d) => span(`2026-03-0${d}T07:00:00Z`, `2026-03-0${d}T19:00:00Z`));
    const sixty = [...twelves, span('2026-03-05T15:00:00Z', '2026-03-05T19:00:00Z')];
    expect(coverRefusals(nurse({ shifts: sixty }), slot)).toEqual([]);
    const over = [...twelves, span('2026-03-05T14:59:00Z', '2026-03-05T19:00:00Z')];
    expect(coverRefusals(nurse({ shifts: over }), slot).map((r) => r.message)).toEqual([
      expect.stringMatching(/^would work 60 h 1 min in 7 days \(limit 60 h/),
    ]);
  });

  it('counts a certification valid through the last day of the shift', () => {
    const skilled = (certifiedUntil: string | null) => nurse({ skills: [{ skill: 'ACLS', certifiedUntil }] });
    const needs = { ...slot, requiredSkill: 'ACLS' };
    expect(coverRefusals(skilled('2026-03-11'), needs)).toEqual([]);
    expect(coverRefusals(skilled(null), needs)).toEqual([]);
    expect(coverRefusals(skilled('2026-03-10'), needs)[0]!.message).toBe('ACLS lapsed on 2026-03-10');
  });
});

describe('priceCover', () => {
  it('charges overtime only for the part of the shift beyond 40 h in the workweek', () => {
    // 36 h already this week: 4 of the 8 h are overtime.
    const week = ['09', '10', '13'].map((d) => span(`2026-03-${d}T07:00:00Z`, `2026-03-${d}T19:00:00Z`));
    const p = priceCover(nurse({ shifts: week }), slot);
    expect(p).toMatchObject({ tier: 'overtime', overtimeMinutes: 240, weekMinutesBefore: 2160 });
    // 8 h at 60.00 plus half of 60.00 for 4 h; 15:00–23:00 has 1 h in the 22:00–06:00 night window.
    expect(p.costCents).toBe(48_000 + 12_000 + 900);
  });

  it('under 8/80 counts hours over 8 in the workday even in a short fortnight', () => {
    const morning = span('2026-03-11T09:00:00Z', '2026-03-11T13:00:00Z');
    const p = priceCover(nurse({ overtimeBasis: '8-80', shifts: [morning] }), slot);
    expect(p.overtimeMinutes).toBe(240);
    expect(priceCover(nurse({ shifts: [morning] }), slot).overtimeMinutes).toBe(0);
  });

  it('prices agency at the bill rate with no overtime, and ranks equal costs by tier', () => {
    const agency = priceCover(nurse({ employmentType: 'agency', hourlyRateCents: 6000 }), slot);
    expect(agency).toMatchObject({ tier: 'agency', overtimeMinutes: 0, costCents: 48_900 });
    const ranked = rankCover(
      [
        nurse({ staffId: 'z-agency', employmentType: 'agency' }),
        nurse({ staffId: 'b-float', homeUnitId: 'B', floatEligible: true }),
        nurse({ staffId: 'a-home' }),
      ],
      slot,
      50_000,
    );
    expect(ranked.candidates.map((c) => [c.staffId, c.tier])).toEqual([
      ['a-home', 'extra-shift'],
      ['b-float', 'float'],
      ['z-agency', 'agency'],
    ]);
    expect(ranked.candidates.every((c) => !c.needsApproval)).toBe(true);
    expect(rankCover([nurse({ employmentType: 'agency' })], slot, 48_899).candidates[0]!.needsApproval).toBe(
      true,
    );
  });
});
