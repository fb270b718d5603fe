import type { StaffRole } from '../../../db/schema/index.ts';
import { SHIFT_HOURS, type ShiftKind, shiftSlots } from '../demand/forecast.ts';

/**
 * The rostering policy: the fatigue limits every roster must keep, and the house defaults the
 * Curtois & Qu model (tools/staffing/roster) is given for each nurse. Numbers from a published source
 * say so; the others are house policy, changeable here.
 */

const HOUR_MS = 3_600_000;

/** Every shift's length: the hospital's one shift pattern (demand/forecast.ts). */
export const SHIFT_MINUTES = SHIFT_HOURS * 60;

// Institute of Medicine, "Keeping Patients Safe: Transforming the Work Environment of Nurses" (2004),
// recommendation 7-4 (National Academies Press, record 10851, p. 238): nursing staff should not give
// patient care "in excess of 12 hours in any 24-hour period and in excess of 60 hours per 7-day period".
export const IOM_2004 = 'IOM 2004, Keeping Patients Safe, recommendation 7-4';
export const MAX_MINUTES_IN_24_HOURS = 12 * 60;
export const MAX_MINUTES_IN_7_DAYS = 60 * 60;

/** House defaults for every nurse on a unit roster (the fields the roster model can express). */
export const rosterDefaults = {
  // With 8-hour shifts the IOM's 60 h in 7 days allows 7 in a row; 5 is the house limit (a 40-hour
  // week worked in one block), which also keeps any 7 days at or under 48 h.
  maxConsecutiveShifts: 5,
  // No minimum run of shifts: a lone shift between days off is allowed (leave makes runs irregular).
  minConsecutiveShifts: 1,
  // A day off between runs is at least two days (house policy): one day off after a run of nights
  // leaves one sleep to turn the body clock around.
  minConsecutiveDaysOff: 2,
  // Every other weekend at most (house policy): ⌈weeks ÷ 2⌉ weekends worked in the horizon.
  maxWeekends: (weeks: number) => Math.ceil(weeks / 2),
} as const;

// Staff with no contracted hours (per diem, or agency booked per shift) may be rostered up to the
// 40-hour workweek, beyond which overtime is due (29 U.S.C. 207(a)(1)): a roster plans no overtime.
export const UNCONTRACTED_WEEKLY_CAP_MINUTES = 40 * 60;

// Solver weights: a missing licensed or charge nurse costs more than any set of requests (1–10 each,
// record_shift_request), a nurse more than needed costs little (Curtois & Qu's instances weigh under-
// and over-cover 100 and 1 the same way). CNAs have no ratio: their target is a spread, so both ways
// weigh alike.
export const coverWeights = {
  nurse: { under: 100, over: 1 },
  charge: { under: 100, over: 1 },
  cna: { under: 10, over: 10 },
} as const;
/** An off request the solver gets for a shift that would break a fatigue limit next to an existing shift. */
export const GUARD_WEIGHT = 1000;

/** Who can be rostered on which shifts: licensed nurses, charge nurses and CNAs are covered apart. */
export const rosterGroups = ['nurse', 'charge', 'cna'] as const;
export type RosterGroup = (typeof rosterGroups)[number];
export const groupOfRole: Partial<Record<StaffRole, RosterGroup>> = {
  RN: 'nurse',
  LPN: 'nurse',
  'charge-nurse': 'charge',
  CNA: 'cna',
};
export const nursingRoles = Object.keys(groupOfRole) as StaffRole[];
export const floatRoles: readonly StaffRole[] = ['RN', 'LPN'];

export const shiftTypeId = (group: RosterGroup, kind: ShiftKind) => `${group}-${kind}`;

export interface Interval {
  startsAt: number;
  endsAt: number;
}

/** Most minutes worked in any window of `windowMs` among `intervals` (windows start at a shift's start). */
export function maxMinutesInWindow(intervals: readonly Interval[], windowMs: number): number {
  let most = 0;
  for (const start of intervals) {
    const from = start.startsAt;
    const to = from + windowMs;
    let ms = 0;
    for (const i of intervals) ms += Math.max(0, Math.min(i.endsAt, to) - Math.max(i.startsAt, from));
    most = Math.max(most, ms);
  }
  return Math.round(most / 60_000);
}

/** Worked minutes above a fatigue limit, or 0: the 24-hour and 7-day limits of the IOM. */
export function fatigueExcess(intervals: readonly Interval[]): { in24Hours: number; in7Days: number } {
  return {
    in24Hours: Math.max(0, maxMinutesInWindow(intervals, 24 * HOUR_MS) - MAX_MINUTES_IN_24_HOURS),
    in7Days: Math.max(0, maxMinutesInWindow(intervals, 7 * 24 * HOUR_MS) - MAX_MINUTES_IN_7_DAYS),
  };
}

/**
 * Which shift may not be worked the day after which, derived from the 12-hours-in-24 limit over the
 * hospital's shift times (07:00, 15:00, 23:00, 8 hours): night → day (no rest at all), night → evening
 * and evening → day (8 hours' rest, 16 hours worked within 24).
 */
export function forbiddenSuccessions(): Record<ShiftKind, ShiftKind[]> {
  const monday = '2000-01-03';
  const slots = shiftSlots(monday, 2);
  const at = (slot: { startsAt: Date; endsAt: Date }) => ({
    startsAt: slot.startsAt.getTime(),
    endsAt: slot.endsAt.getTime(),
  });
  const out = {} as Record<ShiftKind, ShiftKind[]>;
  for (const first of slots.filter((s) => s.day === monday)) {
    out[first.kind] = slots
      .filter((next) => next.day !== monday && fatigueExcess([at(first), at(next)]).in24Hours > 0)
      .map((next) => next.kind);
  }
  return out;
}

export const fatigueRules = [
  {
    rule: 'max-12h-in-24h',
    limit: `at most ${MAX_MINUTES_IN_24_HOURS / 60} h worked in any 24 h, with shifts already scheduled`,
    source: IOM_2004,
  },
  {
    rule: 'max-60h-in-7d',
    limit: `at most ${MAX_MINUTES_IN_7_DAYS / 60} h worked in any 7 days, with shifts already scheduled`,
    source: IOM_2004,
  },
  {
    rule: 'forbidden-succession',
    limit: 'no night → day, night → evening or evening → day on the next day (16 h within 24 h)',
    source: `${IOM_2004} (12 h in 24 h)`,
  },
  {
    rule: 'max-consecutive-shifts',
    limit: `at most ${rosterDefaults.maxConsecutiveShifts} shifts in a row`,
    source: 'house policy',
  },
  {
    rule: 'min-consecutive-days-off',
    limit: `days off between runs of shifts come ${rosterDefaults.minConsecutiveDaysOff} or more together`,
    source: 'house policy',
  },
  { rule: 'max-weekends', limit: 'every other weekend at most', source: 'house policy' },
  {
    rule: 'contracted-minutes',
    limit:
      'contracted minutes per week × weeks, prorated for approved leave, less shifts already scheduled; ' +
      'per diem and float staff: none required, at most 40 h a week',
    source: 'employment terms; 29 U.S.C. 207(a)(1) for the 40-hour cap',
  },
] as const;
