import type { CoverTier, StaffRole } from '../../../db/schema/index.ts';
import { certificationValid } from '../demand/policy.ts';
import { DEFAULT_PAY_POLICY, inNightWindow, OVERTIME_RULES, type PayPolicy } from '../payroll.ts';

/**
 * Who may cover a shift and what it costs: plain data in, plain data out. The cover operations load the
 * facts (cover/store.ts); the staffing agent and a language model only ever choose among what this
 * allows, and assign_cover checks it again under lock.
 */

// Fatigue limits: "nursing staff [should not provide] patient care in any combination of scheduled
// shifts, mandatory overtime, or voluntary overtime in excess of 12 hours in any given 24-hour period
// and in excess of 60 hours per 7-day period". Institute of Medicine (2004), Keeping Patients Safe:
// Transforming the Work Environment of Nurses, Recommendation 7-4.
export const FATIGUE_LIMITS = {
  source: 'Institute of Medicine (2004), Keeping Patients Safe, Recommendation 7-4',
  maxMinutesPer24h: 12 * 60,
  maxMinutesPer7d: 60 * 60,
} as const;

// Whose scope of practice covers a shift planned for a role: an RN may work an LPN's shift and a charge
// nurse an RN's, never the other way; a charge nurse's shift needs a charge nurse; CNAs cover CNAs.
export const MAY_COVER: Partial<Record<StaffRole, readonly StaffRole[]>> = {
  RN: ['RN', 'charge-nurse'],
  'charge-nurse': ['charge-nurse'],
  LPN: ['LPN', 'RN'],
  CNA: ['CNA'],
};
export const coverableRoles = Object.keys(MAY_COVER) as StaffRole[];

// Agency staff cost the hospital the agency's bill rate, which is what hourlyRateCents holds for them.
// Cheapest first at equal cost: own staff at straight time, then overtime, then agency.
const TIER_ORDER: Record<CoverTier, number> = { 'extra-shift': 0, float: 1, overtime: 2, agency: 3 };

export const DEFAULT_APPROVAL_THRESHOLD_CENTS = 50_000;

const MINUTE_MS = 60_000;
const DAY_MS = 1440 * MINUTE_MS;
const WEEK_MS = 7 * DAY_MS;
// 8/80 periods: fortnights from Monday 2024-01-01, the demo hospital's first 14-day pay period.
const FORTNIGHT_ANCHOR = Date.UTC(2024, 0, 1);

export interface CoverSlot {
  unitId: string;
  role: StaffRole;
  startsAt: Date;
  endsAt: Date;
  requiredSkill: string | null;
  /** Who called out: never their own cover. */
  calledOutStaffId: string | null;
}

export interface Interval {
  startsAt: Date;
  endsAt: Date;
}

export interface CandidateFacts {
  staffId: string;
  name: string;
  role: StaffRole;
  homeUnitId: string | null;
  employmentType: 'full-time' | 'part-time' | 'per-diem' | 'agency';
  floatEligible: boolean;
  contractedMinutesPerWeek: number;
  hourlyRateCents: number | null;
  overtimeBasis: 'weekly-40' | '8-80';
  /** Their scheduled or worked shifts near the slot. */
  shifts: readonly Interval[];
  /** Approved leave, YYYY-MM-DD inclusive. */
  leave: readonly { startsOn: string; endsOn: string }[];
  skills: readonly { skill: string; certifiedUntil: string | null }[];
}

export type CoverRule =
  | 'called-out'
  | 'role'
  | 'unit'
  | 'skill'
  | 'leave'
  | 'overlap'
  | 'hours-24h'
  | 'hours-7d'
  | 'no-rate';

export interface Refusal {
  rule: CoverRule;
  message: string;
}

export interface Pricing {
  tier: CoverTier;
  costCents: number;
  minutes: number;
  overtimeMinutes: number;
  nightMinutes: number;
  weekendMinutes: number;
  /** Minutes already rostered in the FLSA workweek the shift starts in. */
  weekMinutesBefore: number;
}

export interface Candidate extends Pricing {
  staffId: string;
  name: string;
  role: StaffRole;
  homeUnitId: string | null;
  employmentType: CandidateFacts['employmentType'];
  needsApproval: boolean;
  why: string;
}

const overlapMs = (a: Interval, from: number, to: number) =>
  Math.max(0, Math.min(a.endsAt.getTime(), to) - Math.max(a.startsAt.getTime(), from));

const isoDay = (at: Date) => at.toISOString().slice(0, 10);
const hours = (minutes: number) =>
  `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${Math.round(minutes % 60)} min` : ''}`;

/**
 * The most minutes worked in any window of `windowMs` that touches the slot, with the slot worked. The
 * maximum of a sliding window's sum is reached where the window starts at an interval's start or ends
 * at an interval's end, so only those windows are counted.
 */
export function busiestWindowMinutes(slot: Interval, others: readonly Interval[], windowMs: number): number {
  const all = [...others, slot];
  const lo = slot.startsAt.getTime() - windowMs;
  const hi = slot.endsAt.getTime();
  const starts = all
    .flatMap((i) => [i.startsAt.getTime(), i.endsAt.getTime() - windowMs])
    .filter((t) => t > lo && t < hi);
  let best = 0;
  for (const t of starts) {
    const ms = all.reduce((sum, i) => sum + overlapMs(i, t, t + windowMs), 0);
    best = Math.max(best, ms);
  }
  return Math.round(best / MINUTE_MS);
}

/** Every hard rule the candidate would break by working the slot; empty when they may. */
export function coverRefusals(c: CandidateFacts, slot: CoverSlot): Refusal[] {
  const refusals: Refusal[] = [];
  const refuse = (rule: CoverRule, message: string) => refusals.push({ rule, message });
  if (c.staffId === slot.calledOutStaffId) refuse('called-out', 'called out of this very shift');
  const allowed = MAY_COVER[slot.role] ?? [slot.role];
  if (!allowed.includes(c.role))
    refuse('role', `a ${c.role} may not work a ${slot.role} shift (needs ${allowed.join(' or ')})`);
  if (c.homeUnitId !== slot.unitId && !c.floatEligible)
    refuse('unit', `home unit is ${c.homeUnitId ?? 'none'} and not in the float pool`);
  const lastDay = isoDay(new Date(slot.endsAt.getTime() - 1));
  if (slot.requiredSkill) {
    const held = c.skills.find((s) => s.skill === slot.requiredSkill);
    if (!held) refuse('skill', `does not hold ${slot.requiredSkill}`);
    else if (!certificationValid(held.certifiedUntil, lastDay))
      refuse('skill', `${slot.requiredSkill} lapsed on ${held.certifiedUntil}`);
  }
  const firstDay = isoDay(slot.startsAt);
  const away = c.leave.find((l) => l.startsOn <= lastDay && l.endsOn >= firstDay);
  if (away) refuse('leave', `on approved leave ${away.startsOn} to ${away.endsOn}`);
  const clash = c.shifts.find((s) => overlapMs(s, slot.startsAt.getTime(), slot.endsAt.getTime()) > 0);
  if (clash)
    refuse(
      'overlap',
      `already works ${clash.startsAt.toISOString()} to ${clash.endsAt.toISOString()}, overlapping this shift`,
    );
  else {
    const day = busiestWindowMinutes(slot, c.shifts, DAY_MS);
    if (day > FATIGUE_LIMITS.maxMinutesPer24h)
      refuse('hours-24h', `would work ${hours(day)} in 24 hours (limit 12 h, ${FATIGUE_LIMITS.source})`);
    const week = busiestWindowMinutes(slot, c.shifts, WEEK_MS);
    if (week > FATIGUE_LIMITS.maxMinutesPer7d)
      refuse('hours-7d', `would work ${hours(week)} in 7 days (limit 60 h, ${FATIGUE_LIMITS.source})`);
  }
  if (c.hourlyRateCents === null) refuse('no-rate', 'not paid hourly through this payroll');
  return refusals;
}

const mondayOf = (t: number) => {
  const d = new Date(t);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS;
};

/** Minutes of the slot falling in each period [start, start + length) that it touches. */
function splitBy(slot: Interval, periodStart: (t: number) => number, lengthMs: number) {
  const parts: { start: number; minutes: number }[] = [];
  let t = slot.startsAt.getTime();
  const end = slot.endsAt.getTime();
  while (t < end) {
    const start = periodStart(t);
    const until = Math.min(end, start + lengthMs);
    parts.push({ start, minutes: (until - t) / MINUTE_MS });
    t = until;
  }
  return parts;
}

const workedIn = (shifts: readonly Interval[], from: number, lengthMs: number) =>
  shifts.reduce((sum, s) => sum + overlapMs(s, from, from + lengthMs), 0) / MINUTE_MS;

/** Overtime minutes the slot adds: the part of it beyond the limit of each period it falls in. */
function overtimeAdded(
  slot: Interval,
  shifts: readonly Interval[],
  periodStart: (t: number) => number,
  lengthMs: number,
  limitMinutes: number,
): number {
  return splitBy(slot, periodStart, lengthMs).reduce((sum, part) => {
    const before = workedIn(shifts, part.start, lengthMs);
    return sum + Math.min(part.minutes, Math.max(0, before + part.minutes - limitMinutes));
  }, 0);
}

export interface SlotMinutes {
  minutes: number;
  nightMinutes: number;
  weekendMinutes: number;
}

/** The slot's minutes, and those in the night window and at the weekend: the same for every candidate. */
export function slotMinutes(slot: Interval, policy: PayPolicy = DEFAULT_PAY_POLICY): SlotMinutes {
  let nightMinutes = 0;
  let weekendMinutes = 0;
  for (let t = slot.startsAt.getTime(); t < slot.endsAt.getTime(); t += MINUTE_MS) {
    const at = new Date(t);
    if (inNightWindow(at.getUTCHours() * 60 + at.getUTCMinutes(), policy)) nightMinutes++;
    if (at.getUTCDay() === 0 || at.getUTCDay() === 6) weekendMinutes++;
  }
  return {
    minutes: (slot.endsAt.getTime() - slot.startsAt.getTime()) / MINUTE_MS,
    nightMinutes,
    weekendMinutes,
  };
}

/**
 * The estimated cost of the slot to the hospital: straight time at the base rate, the night and weekend
 * differentials of the pay policy, and half the base rate again for each overtime minute it adds under
 * the candidate's overtime basis (payroll.ts OVERTIME_RULES; payroll itself uses the full regular rate,
 * so this slightly understates an overtime shift that also earns differentials).
 */
export function priceCover(
  c: CandidateFacts,
  slot: CoverSlot & Interval,
  policy: PayPolicy = DEFAULT_PAY_POLICY,
  counted: SlotMinutes = slotMinutes(slot, policy),
): Pricing {
  const { minutes, nightMinutes, weekendMinutes } = counted;
  const weekly = overtimeAdded(
    slot,
    c.shifts,
    mondayOf,
    WEEK_MS,
    OVERTIME_RULES['weekly-40'].workweekMinutes,
  );
  const overtimeMinutes =
    c.employmentType === 'agency'
      ? 0
      : c.overtimeBasis === 'weekly-40'
        ? weekly
        : Math.max(
            overtimeAdded(
              slot,
              c.shifts,
              (t) => t - ((((t - FORTNIGHT_ANCHOR) % (2 * WEEK_MS)) + 2 * WEEK_MS) % (2 * WEEK_MS)),
              2 * WEEK_MS,
              OVERTIME_RULES['8-80'].periodMinutes,
            ),
            overtimeAdded(
              slot,
              c.shifts,
              (t) => t - (t % DAY_MS),
              DAY_MS,
              OVERTIME_RULES['8-80'].workdayMinutes,
            ),
          );
  const rate = c.hourlyRateCents ?? 0;
  const cents =
    (rate * minutes +
      (rate * policy.nightDifferentialPercent * nightMinutes) / 100 +
      (rate * policy.weekendDifferentialPercent * weekendMinutes) / 100 +
      (rate * overtimeMinutes) / 2) /
    60;
  const tier: CoverTier =
    c.employmentType === 'agency'
      ? 'agency'
      : overtimeMinutes > 0
        ? 'overtime'
        : c.homeUnitId === slot.unitId
          ? 'extra-shift'
          : 'float';
  return {
    tier,
    costCents: Math.round(cents),
    minutes,
    overtimeMinutes,
    nightMinutes,
    weekendMinutes,
    weekMinutesBefore: workedIn(c.shifts, mondayOf(slot.startsAt.getTime()), WEEK_MS),
  };
}

export const needsApproval = (p: Pick<Pricing, 'tier' | 'costCents'>, thresholdCents: number) =>
  (p.tier === 'overtime' || p.tier === 'agency') && p.costCents > thresholdCents;

const TIER_WHY: Record<CoverTier, string> = {
  'extra-shift': 'an extra shift on the home unit at straight time',
  float: 'from the float pool at straight time',
  overtime: 'overtime',
  agency: 'agency',
};

export function describeCandidate(
  c: Pick<Candidate, 'name' | 'tier' | 'costCents' | 'overtimeMinutes' | 'weekMinutesBefore'>,
): string {
  const ot = c.overtimeMinutes > 0 ? `, ${hours(c.overtimeMinutes)} of it overtime` : '';
  return `${c.name}: ${TIER_WHY[c.tier]}, $${(c.costCents / 100).toFixed(2)}${ot} (${hours(c.weekMinutesBefore)} rostered this week)`;
}

/**
 * Everyone who may cover the slot, least cost first (then straight time before overtime before agency,
 * then whoever has worked least this week, then by id so the order never depends on the query), and
 * everyone who may not, with every rule they would break.
 */
export function rankCover(
  facts: readonly CandidateFacts[],
  slot: CoverSlot,
  thresholdCents: number,
  policy: PayPolicy = DEFAULT_PAY_POLICY,
): { candidates: Candidate[]; refused: { staffId: string; name: string; refusals: Refusal[] }[] } {
  const candidates: Candidate[] = [];
  const refused: { staffId: string; name: string; refusals: Refusal[] }[] = [];
  const counted = slotMinutes(slot, policy);
  for (const c of facts) {
    const refusals = coverRefusals(c, slot);
    if (refusals.length > 0) {
      refused.push({ staffId: c.staffId, name: c.name, refusals });
      continue;
    }
    const price = priceCover(c, slot, policy, counted);
    const candidate = {
      staffId: c.staffId,
      name: c.name,
      role: c.role,
      homeUnitId: c.homeUnitId,
      employmentType: c.employmentType,
      ...price,
      needsApproval: needsApproval(price, thresholdCents),
    };
    candidates.push({ ...candidate, why: describeCandidate(candidate) });
  }
  candidates.sort(
    (a, b) =>
      a.costCents - b.costCents ||
      TIER_ORDER[a.tier] - TIER_ORDER[b.tier] ||
      a.weekMinutesBefore - b.weekMinutesBefore ||
      (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0),
  );
  refused.sort((a, b) => (a.staffId < b.staffId ? -1 : 1));
  return { candidates, refused };
}
