import { describe, expect, it } from 'vitest';
import {
  type ClockedShift,
  computePayroll,
  DEFAULT_PAY_POLICY,
  type Payee,
  type PayPolicy,
  type PayrollInput,
  roundHalfUp,
} from './payroll.ts';
import type { RotaEntry } from './rota.ts';

// Monday 5 January 2026, 00:00 UTC: day 0 of every period below.
const MONDAY = new Date('2026-01-05T00:00:00Z');
const HOUR = 3_600_000;
const at = (day: number, hour: number, minute = 0) =>
  new Date(MONDAY.getTime() + day * 24 * HOUR + hour * HOUR + minute * 60_000);

const nurse = (overrides: Partial<Payee> = {}): Payee => ({
  staffId: 'stf-n',
  name: 'Nia Nurse',
  role: 'RN',
  employmentType: 'full-time',
  homeUnitId: 'unit-ms',
  hourlyRateCents: 4000,
  overtimeBasis: 'weekly-40',
  ...overrides,
});

let ids = 0;
/** A clocked shift from `day` at `hour`, lasting `length` hours. */
const worked = (day: number, hour: number, length: number, staffId = 'stf-n'): ClockedShift => {
  const clockInAt = at(day, hour);
  return {
    shiftId: `shf-${++ids}`,
    staffId,
    unitId: 'unit-ms',
    clockInAt,
    clockOutAt: new Date(clockInAt.getTime() + length * HOUR),
  };
};

const noDifferentials: PayPolicy = {
  ...DEFAULT_PAY_POLICY,
  nightDifferentialPercent: 0,
  weekendDifferentialPercent: 0,
};

function payOne(input: Partial<PayrollInput> & { shifts: ClockedShift[] }, person = nurse()) {
  const payroll = computePayroll({ start: MONDAY, days: 7, staff: [person], onCallRota: [], ...input });
  expect(payroll.staff).toHaveLength(1);
  return payroll.staff[0]!;
}

describe('weekly 40 hours (29 U.S.C. 207(a); 29 CFR 778.107)', () => {
  it('pays a 44-hour week as 40 regular hours and 4 at time and a half', () => {
    // Mon–Thu 07:00–18:00: 4 × 11 h; no night or weekend minutes. $40/h.
    const pay = payOne({ shifts: [0, 1, 2, 3].map((d) => worked(d, 7, 11)) });
    expect(pay.totals).toMatchObject({
      workedMinutes: 44 * 60,
      regularMinutes: 40 * 60,
      overtimeMinutes: 4 * 60,
      basePayCents: 176_000, // 44 h × $40 straight time
      nightDifferentialCents: 0,
      weekendDifferentialCents: 0,
      overtimePremiumCents: 8_000, // 4 h × ½ × $40
      grossPayCents: 184_000, // = 40 × $40 + 4 × $60
    });
    // The overtime is the last four hours worked: Thursday's shift from 14:00.
    expect(pay.shifts.map((s) => [s.regularMinutes, s.overtimeMinutes])).toEqual([
      [660, 0],
      [660, 0],
      [660, 0],
      [420, 240],
    ]);
    expect(pay.overtimePeriods).toMatchObject([{ kind: 'workweek', regularRateCents: 4000 }]);
  });

  it('lets each workweek stand alone: 48 h then 24 h pays 8 h of overtime (778.104)', () => {
    const shifts = [0, 1, 2, 3, 4, 5, 7, 8, 9].map((d) => worked(d, 7, 8));
    const pay = payOne({ days: 14, shifts, policy: noDifferentials });
    expect(pay.totals.overtimeMinutes).toBe(8 * 60);
    expect(pay.overtimePeriods.map((p) => p.overtimeMinutes)).toEqual([480, 0]);
  });
});

describe('the 8/80 system for hospitals (29 U.S.C. 207(j); 29 CFR 778.601)', () => {
  const eightEighty = nurse({ overtimeBasis: '8-80' });

  it('pays a 10-hour day in a 76-hour period: 2 daily overtime hours, nothing over 80', () => {
    // Mon 10 h, Tue–Fri 8 h, then Mon–Thu 8 h and Fri 2 h: 10 + 32 + 32 + 2 = 76 h.
    const shifts = [
      worked(0, 7, 10),
      ...[1, 2, 3, 4, 7, 8, 9, 10].map((d) => worked(d, 7, 8)),
      worked(11, 7, 2),
    ];
    const pay = payOne({ days: 14, shifts }, eightEighty);
    expect(pay.overtimeBasis).toBe('8-80');
    expect(pay.totals).toMatchObject({
      workedMinutes: 76 * 60,
      regularMinutes: 74 * 60,
      overtimeMinutes: 2 * 60,
      basePayCents: 304_000, // 76 × $40
      overtimePremiumCents: 4_000, // 2 × ½ × $40
      grossPayCents: 308_000,
    });
    expect(pay.shifts[0]).toMatchObject({ regularMinutes: 480, overtimeMinutes: 120 });
    expect(pay.overtimePeriods).toHaveLength(1);
    expect(pay.overtimePeriods[0]).toMatchObject({ kind: '14-day period', regularRateCents: 4000 });
  });

  it('pays no overtime for 48 h then 24 h of 8-hour days (72 h, none over 8 in a day)', () => {
    const shifts = [0, 1, 2, 3, 4, 5, 7, 8, 9].map((d) => worked(d, 7, 8));
    const pay = payOne({ days: 14, shifts, policy: noDifferentials }, eightEighty);
    expect(pay.totals.overtimeMinutes).toBe(0);
  });

  it.each([
    // 9 days of 10 h = 90 h: 18 daily overtime hours beat 10 over 80; never 28.
    ['nine 10-hour days', [0, 1, 2, 3, 4, 7, 8, 9, 10].map((d) => worked(d, 7, 10)), 90, 18],
    // One 10-h day and eleven 8-h days = 98 h: 18 over 80 beat 2 daily; never 20.
    [
      'one 10-hour and eleven 8-hour days',
      [worked(0, 7, 10), ...[1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12].map((d) => worked(d, 7, 8))],
      98,
      18,
    ],
  ])('counts an hour once, whichever rule gives more overtime: %s', (_name, shifts, total, overtime) => {
    const pay = payOne({ days: 14, shifts, policy: noDifferentials }, eightEighty);
    expect(pay.totals.workedMinutes).toBe(total * 60);
    expect(pay.totals.overtimeMinutes).toBe(overtime * 60);
    expect(pay.totals.overtimePremiumCents).toBe(overtime * 2000);
  });

  it('applies the weekly rule in a 7-day payroll, and says why', () => {
    const pay = payOne({ shifts: [worked(0, 7, 10)] }, eightEighty);
    expect(pay.overtimeBasis).toBe('weekly-40');
    expect(pay.note).toMatch(/14-day period/);
    expect(pay.totals.overtimeMinutes).toBe(0);
  });
});

describe('differentials (hospital policy) and the regular rate (29 CFR 778.207(b))', () => {
  it('puts the night differential into the regular rate that overtime is paid on', () => {
    // Mon–Thu 18:00–05:00: 4 × 11 h = 44 h, of which 22:00–05:00 is night: 28 h.
    const pay = payOne({ shifts: [0, 1, 2, 3].map((d) => worked(d, 18, 11)) });
    expect(pay.totals).toMatchObject({
      workedMinutes: 44 * 60,
      overtimeMinutes: 4 * 60,
      nightMinutes: 28 * 60,
      basePayCents: 176_000,
      nightDifferentialCents: 16_800, // 28 h × 15% × $40
      // Regular rate (176 000 + 16 800) / 44 = 4381.82 ¢/h; 4 h × ½ × 4381.82 = 8763.64 → 8764.
      overtimePremiumCents: 8_764,
      grossPayCents: 176_000 + 16_800 + 8_764,
    });
    expect(pay.totals.overtimePremiumCents).not.toBe(8_000); // what leaving the differential out would pay
    expect(pay.overtimePeriods[0]!.regularRateCents).toBe(4382);
    expect(pay.shifts[3]).toMatchObject({
      overtimeMinutes: 240,
      nightMinutes: 420,
      differentials: ['night'],
    });
  });

  it('splits a night shift across midnight and the workweek boundary', () => {
    // Mon–Fri 07:00–15:00 (40 h), then Sunday 22:00 → Monday 06:00 in a 14-day period.
    const night = worked(6, 22, 8);
    const pay = payOne({ days: 14, shifts: [...[0, 1, 2, 3, 4].map((d) => worked(d, 7, 8)), night] });
    // Sunday's 2 hours are the 41st and 42nd of week 1 (overtime, night and weekend); Monday's 6 are
    // week 2's first (regular, night).
    expect(pay.shifts.at(-1)).toEqual({
      shiftId: night.shiftId,
      unitId: 'unit-ms',
      clockInAt: '2026-01-11T22:00:00.000Z',
      clockOutAt: '2026-01-12T06:00:00.000Z',
      workedMinutes: 480,
      regularMinutes: 360,
      overtimeMinutes: 120,
      nightMinutes: 480,
      weekendMinutes: 120,
      differentials: ['night', 'weekend'],
    });
    // Week 1: 42 h × $40 = 168 000; night 2 h × $6 = 1 200; weekend 2 h × $4 = 800; regular rate
    // 170 000 / 42; premium 2 h × ½ × 4047.62 = 4047.62 → 4048. Week 2: 6 h × $40 + 6 h × $6.
    expect(pay.overtimePeriods).toMatchObject([
      {
        start: '2026-01-05T00:00:00.000Z',
        end: '2026-01-12T00:00:00.000Z',
        workedMinutes: 42 * 60,
        overtimeMinutes: 120,
        basePayCents: 168_000,
        nightDifferentialCents: 1_200,
        weekendDifferentialCents: 800,
        overtimePremiumCents: 4_048,
      },
      { workedMinutes: 360, overtimeMinutes: 0, basePayCents: 24_000, nightDifferentialCents: 3_600 },
    ]);
    expect(pay.totals.grossPayCents).toBe(168_000 + 1_200 + 800 + 4_048 + 24_000 + 3_600);
  });

  it('pays the weekend differential on a Saturday day shift', () => {
    const pay = payOne({ shifts: [worked(5, 7, 12)] });
    expect(pay.totals).toMatchObject({
      weekendMinutes: 720,
      nightMinutes: 0,
      basePayCents: 48_000,
      weekendDifferentialCents: 4_800, // 12 h × 10% × $40
      overtimePremiumCents: 0,
      grossPayCents: 52_800,
    });
    expect(pay.shifts[0]!.differentials).toEqual(['weekend']);
  });

  it('pays 8/80 daily overtime on the same 12-hour Saturday at 1.5 × the rate including the differential', () => {
    const pay = payOne({ days: 14, shifts: [worked(5, 7, 12)] }, nurse({ overtimeBasis: '8-80' }));
    // Regular rate 52 800 / 12 = 4400; 4 h × ½ × 4400 = 8800.
    expect(pay.totals).toMatchObject({
      overtimeMinutes: 240,
      overtimePremiumCents: 8_800,
      grossPayCents: 61_600,
    });
  });

  it('stacks night and weekend on a Saturday night, as the policy says', () => {
    const pay = payOne({ shifts: [worked(5, 22, 2)] });
    expect(pay.totals).toMatchObject({ nightDifferentialCents: 1_200, weekendDifferentialCents: 800 });
  });
});

describe('on-call pay (hospital policy: a flat rate per hour on the rota, not worked)', () => {
  const rota = (startMinute: number, endMinute: number, staffId = 'stf-n'): RotaEntry => ({
    staffId,
    tier: 'primary',
    startMinute,
    endMinute,
  });

  it('pays rota hours outside the clocked shift at $5 an hour', () => {
    // On call Mon 08:00 → Tue 08:00; clocked Mon 07:00–15:00, so on call 15:00 → 08:00: 17 h.
    const pay = payOne({ shifts: [worked(0, 7, 8)], onCallRota: [rota(480, 1920)] });
    expect(pay.onCall).toEqual([
      { start: '2026-01-05T15:00:00.000Z', end: '2026-01-06T08:00:00.000Z', minutes: 17 * 60 },
    ]);
    expect(pay.totals).toMatchObject({
      onCallMinutes: 1020,
      onCallPayCents: 8_500,
      grossPayCents: 32_000 + 8_500,
    });
  });

  it('pays a salaried physician on call across Sunday midnight, and no hourly pay', () => {
    const physician = nurse({
      staffId: 'stf-dr',
      role: 'physician',
      hourlyRateCents: null,
      homeUnitId: null,
    });
    // Sunday 20:00 → Monday 08:00 in the weekly rota: within this week, Mon 00–08 and Sun 20–24.
    const pay = payOne({ shifts: [], onCallRota: [rota(6 * 1440 + 1200, 480, 'stf-dr')] }, physician);
    expect(pay.overtimeBasis).toBe('exempt');
    expect(pay.onCall.map((b) => b.minutes)).toEqual([480, 240]);
    expect(pay.totals).toMatchObject({ onCallMinutes: 720, onCallPayCents: 6_000, grossPayCents: 6_000 });
  });

  it('includes on-call pay in the regular rate of an overtime week (29 CFR 778.223)', () => {
    // The 44-hour week, and on call Saturday 08:00 → Sunday 08:00 (24 h, $120).
    const pay = payOne({ shifts: [0, 1, 2, 3].map((d) => worked(d, 7, 11)), onCallRota: [rota(7680, 9120)] });
    // Regular rate (176 000 + 12 000) / 44 = 4272.73; 4 h × ½ × 4272.73 = 8545.45 → 8545.
    expect(pay.totals).toMatchObject({
      onCallPayCents: 12_000,
      overtimePremiumCents: 8_545,
      grossPayCents: 176_000 + 12_000 + 8_545,
    });
  });

  it('counts an hour once when two rota blocks overlap', () => {
    const pay = payOne({ shifts: [], onCallRota: [rota(0, 600), rota(300, 900)] });
    expect(pay.totals.onCallMinutes).toBe(900);
  });
});

describe('minutes and rounding', () => {
  it('rounds each figure half up to the cent: 30 min at 4001 ¢/h is 2000.5 → 2001', () => {
    const pay = payOne({ shifts: [worked(0, 7, 0.5)] }, nurse({ hourlyRateCents: 4001 }));
    expect(pay.totals.basePayCents).toBe(2001);
  });

  it('rounds down below the half: 20 min at $40 is 1333.33 → 1333', () => {
    const pay = payOne({ shifts: [worked(0, 7, 1 / 3)] });
    expect(pay.totals).toMatchObject({ workedMinutes: 20, basePayCents: 1333, grossPayCents: 1333 });
  });

  it('drops the seconds of both clock times', () => {
    const shift = { ...worked(0, 7, 0.5), clockInAt: new Date('2026-01-05T07:00:59Z') };
    shift.clockOutAt = new Date('2026-01-05T07:30:59Z');
    expect(payOne({ shifts: [shift] }).totals.workedMinutes).toBe(30);
  });

  it('has a rounding helper that rounds exact halves up', () => {
    expect([roundHalfUp(5n, 2n), roundHalfUp(7n, 3n), roundHalfUp(0n, 9n), roundHalfUp(3n, 2n)]).toEqual([
      3, 2, 0, 2,
    ]);
  });

  it('counts only the part of a shift inside the period, and overlapping clock times once', () => {
    const across = worked(-1, 22, 8); // Sunday before the period, 22:00 → Monday 06:00
    const overlapping = [worked(2, 7, 8), worked(2, 11, 8)]; // 07–15 and 11–19: 12 h, not 16
    const pay = payOne({ shifts: [across, ...overlapping] });
    expect(pay.shifts.map((s) => s.workedMinutes)).toEqual([360, 480, 240]);
    expect(pay.totals.workedMinutes).toBe(18 * 60);
  });

  it('leaves out staff with nothing in the period, and adds up the payroll', () => {
    const payroll = computePayroll({
      start: MONDAY,
      days: 7,
      staff: [nurse(), nurse({ staffId: 'stf-idle' }), nurse({ staffId: 'stf-b', hourlyRateCents: 2000 })],
      shifts: [worked(0, 7, 8), worked(1, 7, 8, 'stf-b')],
      onCallRota: [],
    });
    expect(payroll.staff.map((s) => s.staffId)).toEqual(['stf-b', 'stf-n']);
    expect(payroll.totals).toMatchObject({
      staffCount: 2,
      workedMinutes: 960,
      grossPayCents: 32_000 + 16_000,
    });
    expect(payroll.end).toBe('2026-01-12T00:00:00.000Z');
  });

  it('refuses a period that does not start on a Monday at midnight UTC', () => {
    const input = { days: 7 as const, staff: [], shifts: [], onCallRota: [] };
    expect(() => computePayroll({ ...input, start: at(1, 0) })).toThrow(/Monday/);
    expect(() => computePayroll({ ...input, start: at(0, 1) })).toThrow(/Monday/);
  });
});
