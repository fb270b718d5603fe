import { coveringNow, type RotaEntry } from './rota.ts';

/**
 * Gross pay for one pay period from clocked shifts and the on-call rota: plain data in, plain data out.
 *
 * Time: the hospital keeps UTC (as the rota does). A pay period starts on a Monday 00:00 and lasts 7 or
 * 14 days; its workweeks start with it, so every period of the same length lines up with the last.
 * Worked time is the clocked interval, in whole minutes (seconds of both clock times are dropped);
 * a minute clocked on two overlapping shifts counts once, for the earlier shift. Only the part of a
 * shift inside the period counts in it: the rest belongs to the neighbouring period.
 *
 * Money: every figure of an overtime period (a workweek, or the 14-day period under 8/80) is computed
 * exactly from minutes, cents and percentages, then rounded once, half up, to the cent. Every total is
 * the sum of those rounded figures, so the figures a person sees always add up.
 */

export type OvertimeBasis = 'weekly-40' | '8-80';
export type AppliedBasis = OvertimeBasis | 'exempt';

// The overtime rules. Overtime is paid at 1.5× the regular rate, which is straight-time pay for the
// hours (base rate plus every differential) and on-call pay, divided by the hours worked.
export const OVERTIME_RULES = {
  'weekly-40': {
    // Over 40 hours in the workweek; each workweek stands alone (no averaging across weeks).
    source: '29 U.S.C. 207(a)(1); 29 CFR 778.107, 778.104',
    workweekMinutes: 40 * 60,
  },
  '8-80': {
    // Hospitals may agree a fixed 14-day period in lieu of the workweek: overtime for hours over 8 in a
    // workday and over 80 in the period, whichever is the greater number of hours (never both for the
    // same hour). Workdays are the 24 hours from midnight UTC. The regular rate is taken over the 14-day
    // period: our reading of "in lieu of the workweek", not a figure the regulation spells out.
    source: '29 U.S.C. 207(j); 29 CFR 778.601',
    workdayMinutes: 8 * 60,
    periodMinutes: 80 * 60,
  },
  'regular-rate': {
    // Shift differentials are part of the regular rate, and so is pay for on-call time that is not
    // hours worked (on call at home is not hours worked: 29 CFR 785.17, so it adds pay, not hours).
    source: '29 U.S.C. 207(e); 29 CFR 778.109, 778.207(b), 778.223',
    premium: 'half the regular rate for each overtime hour, on top of straight time for every hour',
  },
  exempt: {
    // No hourly rate: paid outside this payroll (salaried, e.g. physicians, exempt under 29 CFR
    // 541.304); their hours are listed and on-call pay is paid, no hourly pay or overtime.
    source: '29 CFR 541.304',
  },
} as const;

/**
 * Hospital policy, not law: the defaults are the demo hospital's and every figure can be changed per
 * payroll. Night and weekend differentials are percentages of the base rate that add up when both apply
 * (a Saturday night earns both). The weekend is Saturday 00:00 to Monday 00:00. On-call pay is a flat
 * amount per hour on the on-call rota, not worked (on-call minutes spent clocked in are paid as work).
 */
export interface PayPolicy {
  /** Minutes after midnight the night window starts and ends; it may wrap past midnight. */
  nightStartMinute: number;
  nightEndMinute: number;
  nightDifferentialPercent: number;
  weekendDifferentialPercent: number;
  onCallCentsPerHour: number;
}

export const DEFAULT_PAY_POLICY: PayPolicy = {
  nightStartMinute: 22 * 60,
  nightEndMinute: 6 * 60,
  nightDifferentialPercent: 15,
  weekendDifferentialPercent: 10,
  onCallCentsPerHour: 500,
};

export interface Payee {
  staffId: string;
  name: string;
  role: string;
  employmentType: string;
  homeUnitId: string | null;
  /** Null: not paid hourly through this payroll (salaried, exempt). */
  hourlyRateCents: number | null;
  overtimeBasis: OvertimeBasis;
}

export interface ClockedShift {
  shiftId: string;
  staffId: string;
  unitId: string;
  clockInAt: Date;
  clockOutAt: Date;
}

export interface PayrollInput {
  /** Monday 00:00 UTC. */
  start: Date;
  days: 7 | 14;
  staff: readonly Payee[];
  shifts: readonly ClockedShift[];
  onCallRota: readonly RotaEntry[];
  policy?: PayPolicy;
}

export interface ShiftPay {
  shiftId: string;
  unitId: string;
  clockInAt: string;
  clockOutAt: string;
  workedMinutes: number;
  regularMinutes: number;
  overtimeMinutes: number;
  nightMinutes: number;
  weekendMinutes: number;
  differentials: ('night' | 'weekend')[];
}

export interface OvertimePeriodPay {
  kind: 'workweek' | '14-day period';
  start: string;
  end: string;
  workedMinutes: number;
  overtimeMinutes: number;
  onCallMinutes: number;
  basePayCents: number;
  nightDifferentialCents: number;
  weekendDifferentialCents: number;
  onCallPayCents: number;
  /** Straight time plus differentials plus on-call pay, per hour worked; shown rounded, used exact. */
  regularRateCents: number | null;
  overtimePremiumCents: number;
}

export interface PayTotals {
  workedMinutes: number;
  regularMinutes: number;
  overtimeMinutes: number;
  nightMinutes: number;
  weekendMinutes: number;
  onCallMinutes: number;
  basePayCents: number;
  nightDifferentialCents: number;
  weekendDifferentialCents: number;
  onCallPayCents: number;
  overtimePremiumCents: number;
  grossPayCents: number;
}

export interface StaffPay extends Omit<Payee, 'overtimeBasis'> {
  overtimeBasis: AppliedBasis;
  note: string | null;
  shifts: ShiftPay[];
  onCall: { start: string; end: string; minutes: number }[];
  overtimePeriods: OvertimePeriodPay[];
  totals: PayTotals;
}

export interface Payroll {
  start: string;
  /** Exclusive: the Monday after the period. */
  end: string;
  days: 7 | 14;
  policy: PayPolicy;
  staff: StaffPay[];
  totals: PayTotals & { staffCount: number };
}

const MINUTE_MS = 60_000;
const DAY = 1440;
const WEEK = 7 * DAY;
// Minutes per hour × percent: every money figure is an integer count of 1/6000 cent before rounding.
const SCALE = 6000n;

/** Whether `start` can begin a pay period: a Monday at 00:00 UTC. */
export function isPeriodStart(start: Date): boolean {
  return start.getUTCDay() === 1 && start.getTime() % (DAY * MINUTE_MS) === 0;
}

/** num/den rounded half up (both non-negative, den > 0). */
export function roundHalfUp(num: bigint, den: bigint): number {
  return Number((2n * num + den) / (2n * den));
}

export function inNightWindow(minuteOfDay: number, policy: PayPolicy): boolean {
  const { nightStartMinute: s, nightEndMinute: e } = policy;
  return s <= e ? minuteOfDay >= s && minuteOfDay < e : minuteOfDay >= s || minuteOfDay < e;
}

const iso = (start: Date, minute: number) => new Date(start.getTime() + minute * MINUTE_MS).toISOString();

function emptyTotals(): PayTotals {
  return {
    workedMinutes: 0,
    regularMinutes: 0,
    overtimeMinutes: 0,
    nightMinutes: 0,
    weekendMinutes: 0,
    onCallMinutes: 0,
    basePayCents: 0,
    nightDifferentialCents: 0,
    weekendDifferentialCents: 0,
    onCallPayCents: 0,
    overtimePremiumCents: 0,
    grossPayCents: 0,
  };
}

function addTotals(into: PayTotals, from: PayTotals): void {
  for (const key of Object.keys(from) as (keyof PayTotals)[]) into[key] += from[key];
}

export function computePayroll(input: PayrollInput): Payroll {
  if (!isPeriodStart(input.start)) throw new RangeError('a pay period starts on a Monday at 00:00 UTC');
  const policy = input.policy ?? DEFAULT_PAY_POLICY;
  const shiftsBy = Map.groupBy(input.shifts, (s) => s.staffId);
  const rotaBy = Map.groupBy(input.onCallRota, (r) => r.staffId);
  const staff: StaffPay[] = [];
  const totals = { ...emptyTotals(), staffCount: 0 };
  for (const person of [...input.staff].sort((a, b) => a.staffId.localeCompare(b.staffId))) {
    const pay = payPerson(person, shiftsBy.get(person.staffId) ?? [], rotaBy.get(person.staffId) ?? [], {
      ...input,
      policy,
    });
    if (pay.totals.workedMinutes === 0 && pay.totals.onCallMinutes === 0) continue;
    staff.push(pay);
    addTotals(totals, pay.totals);
    totals.staffCount++;
  }
  return {
    start: input.start.toISOString(),
    end: iso(input.start, input.days * DAY),
    days: input.days,
    policy,
    staff,
    totals,
  };
}

function payPerson(
  person: Payee,
  clocked: readonly ClockedShift[],
  rota: readonly RotaEntry[],
  ctx: { start: Date; days: 7 | 14; policy: PayPolicy },
): StaffPay {
  const { start, days, policy } = ctx;
  const length = days * DAY;
  const startMinute = start.getTime() / MINUTE_MS;
  const shifts = [...clocked].sort(
    (a, b) => a.clockInAt.getTime() - b.clockInAt.getTime() || a.shiftId.localeCompare(b.shiftId),
  );
  // Which shift owns each minute of the period (-1: not worked).
  const owner = new Int32Array(length).fill(-1);
  shifts.forEach((s, i) => {
    const from = Math.max(Math.floor(s.clockInAt.getTime() / MINUTE_MS) - startMinute, 0);
    const to = Math.min(Math.floor(s.clockOutAt.getTime() / MINUTE_MS) - startMinute, length);
    for (let m = from; m < to; m++) if (owner[m] === -1) owner[m] = i;
  });
  // The weekly rota, by minute of the week (the period starts on a Monday, as the rota's week does).
  const onCallWeek = new Uint8Array(WEEK);
  if (rota.length > 0) for (let m = 0; m < WEEK; m++) if (coveringNow(rota, m).length > 0) onCallWeek[m] = 1;

  const basis: AppliedBasis =
    person.hourlyRateCents === null
      ? 'exempt'
      : person.overtimeBasis === '8-80' && days === 14
        ? '8-80'
        : 'weekly-40';
  const note =
    person.overtimeBasis === '8-80' && basis === 'weekly-40'
      ? 'the 8/80 system needs a 14-day period (29 CFR 778.601); the weekly 40-hour rule applies to a 7-day payroll'
      : null;
  const periodLength = basis === '8-80' ? 14 * DAY : WEEK;
  const periods = Array.from({ length: length / periodLength }, () => ({
    worked: 0,
    overtime: 0,
    night: 0,
    weekend: 0,
    onCall: 0,
  }));
  const perShift = shifts.map(() => ({ worked: 0, overtime: 0, night: 0, weekend: 0 }));
  const dayMinutes = new Int32Array(days);
  const weekMinutes = new Int32Array(days / 7);
  let straightMinutes = 0; // 8/80: minutes that were not daily overtime, towards the 80 hours
  const onCall: { start: number; end: number }[] = [];

  for (let m = 0; m < length; m++) {
    const period = periods[Math.floor(m / periodLength)]!;
    const i = owner[m]!;
    if (i < 0) {
      if (onCallWeek[m % WEEK]) {
        period.onCall++;
        const last = onCall.at(-1);
        if (last && last.end === m) last.end = m + 1;
        else onCall.push({ start: m, end: m + 1 });
      }
      continue;
    }
    const day = Math.floor(m / DAY);
    const week = Math.floor(m / WEEK);
    let overtime = false;
    if (basis === 'weekly-40') {
      overtime = weekMinutes[week]! >= OVERTIME_RULES['weekly-40'].workweekMinutes;
    } else if (basis === '8-80') {
      if (dayMinutes[day]! >= OVERTIME_RULES['8-80'].workdayMinutes) overtime = true;
      else if (straightMinutes >= OVERTIME_RULES['8-80'].periodMinutes) overtime = true;
      else straightMinutes++;
    }
    dayMinutes[day]!++;
    weekMinutes[week]!++;
    const night = inNightWindow(m % DAY, policy);
    const weekend = day % 7 >= 5;
    const shift = perShift[i]!;
    for (const tally of [period, shift]) {
      tally.worked++;
      if (overtime) tally.overtime++;
      if (night) tally.night++;
      if (weekend) tally.weekend++;
    }
  }

  const rate = BigInt(person.hourlyRateCents ?? 0);
  const overtimePeriods = periods.map((p, k): OvertimePeriodPay => {
    const worked = BigInt(p.worked);
    const base = rate * worked * 100n;
    const nightPay = rate * BigInt(policy.nightDifferentialPercent) * BigInt(p.night);
    const weekendPay = rate * BigInt(policy.weekendDifferentialPercent) * BigInt(p.weekend);
    const onCallPay = BigInt(policy.onCallCentsPerHour) * BigInt(p.onCall) * 100n;
    const straight = base + nightPay + weekendPay + onCallPay;
    return {
      kind: periodLength === WEEK ? 'workweek' : '14-day period',
      start: iso(start, k * periodLength),
      end: iso(start, (k + 1) * periodLength),
      workedMinutes: p.worked,
      overtimeMinutes: p.overtime,
      onCallMinutes: p.onCall,
      basePayCents: roundHalfUp(base, SCALE),
      nightDifferentialCents: roundHalfUp(nightPay, SCALE),
      weekendDifferentialCents: roundHalfUp(weekendPay, SCALE),
      onCallPayCents: roundHalfUp(onCallPay, SCALE),
      regularRateCents:
        p.worked > 0 && basis !== 'exempt' ? roundHalfUp(straight * 60n, SCALE * worked) : null,
      // Half the exact regular rate (straight / worked minutes × 60) for each overtime hour.
      overtimePremiumCents:
        p.overtime > 0 ? roundHalfUp(straight * BigInt(p.overtime), SCALE * 2n * worked) : 0,
    };
  });

  const totals = emptyTotals();
  for (const p of overtimePeriods) {
    totals.workedMinutes += p.workedMinutes;
    totals.overtimeMinutes += p.overtimeMinutes;
    totals.onCallMinutes += p.onCallMinutes;
    totals.basePayCents += p.basePayCents;
    totals.nightDifferentialCents += p.nightDifferentialCents;
    totals.weekendDifferentialCents += p.weekendDifferentialCents;
    totals.onCallPayCents += p.onCallPayCents;
    totals.overtimePremiumCents += p.overtimePremiumCents;
  }
  totals.regularMinutes = totals.workedMinutes - totals.overtimeMinutes;
  for (const p of periods) {
    totals.nightMinutes += p.night;
    totals.weekendMinutes += p.weekend;
  }
  totals.grossPayCents =
    totals.basePayCents +
    totals.nightDifferentialCents +
    totals.weekendDifferentialCents +
    totals.onCallPayCents +
    totals.overtimePremiumCents;

  return {
    staffId: person.staffId,
    name: person.name,
    role: person.role,
    employmentType: person.employmentType,
    homeUnitId: person.homeUnitId,
    hourlyRateCents: person.hourlyRateCents,
    overtimeBasis: basis,
    note,
    shifts: shifts.flatMap((s, i) => {
      const t = perShift[i]!;
      if (t.worked === 0) return [];
      const differentials: ShiftPay['differentials'] = [];
      if (t.night > 0) differentials.push('night');
      if (t.weekend > 0) differentials.push('weekend');
      return [
        {
          shiftId: s.shiftId,
          unitId: s.unitId,
          clockInAt: s.clockInAt.toISOString(),
          clockOutAt: s.clockOutAt.toISOString(),
          workedMinutes: t.worked,
          regularMinutes: t.worked - t.overtime,
          overtimeMinutes: t.overtime,
          nightMinutes: t.night,
          weekendMinutes: t.weekend,
          differentials,
        },
      ];
    }),
    onCall: onCall.map((b) => ({
      start: iso(start, b.start),
      end: iso(start, b.end),
      minutes: b.end - b.start,
    })),
    overtimePeriods,
    totals,
  };
}

/** Minutes as hours with two decimals, for people to read (the minutes are the exact figure). */
export function hours(minutes: number): number {
  return Math.round((minutes * 100) / 60) / 100;
}
