/**
 * The fatigue limits on the clock (policy.ts): each roster entry and shift already scheduled as a time
 * interval, the check that keeps the solver off shifts next to existing ones, and the violations of a
 * roster against the shifts people already have.
 */
import type { ShiftKind, ShiftSlot } from '../demand/forecast.ts';
import { shiftKinds } from '../demand/forecast.ts';
import type { RosterAssignment, RosterViolation } from './check.ts';
import type { ExistingInterval, RosterPlan } from './instance-from-db.ts';
import {
  fatigueExcess,
  IOM_2004,
  type Interval,
  MAX_MINUTES_IN_7_DAYS,
  MAX_MINUTES_IN_24_HOURS,
  SHIFT_MINUTES,
} from './policy.ts';
import type { ExistingShift } from './store.ts';

const DAY_MS = 86_400_000;
export const OVERLAP_SOURCE = 'one person, one shift at a time';

export function interval(s: { startsAt: Date; endsAt: Date }): Interval {
  return { startsAt: s.startsAt.getTime(), endsAt: s.endsAt.getTime() };
}

export function slotInterval(slots: readonly ShiftSlot[], day: number, kind: ShiftKind): Interval {
  const slot = slots[day * shiftKinds.length + shiftKinds.indexOf(kind)]!;
  return interval(slot);
}

/** True when adding `shift` to `existing` breaks a fatigue limit (or overlaps) that was kept without it. */
export function breaksFatigueLimit(existing: readonly Interval[], shift: Interval): boolean {
  const around = existing.filter(
    (s) => s.endsAt > shift.startsAt - 7 * DAY_MS && s.startsAt < shift.endsAt + 7 * DAY_MS,
  );
  if (around.length === 0) return false;
  if (around.some((s) => s.startsAt < shift.endsAt && s.endsAt > shift.startsAt)) return true;
  const before = fatigueExcess(around);
  const after = fatigueExcess([...around, shift]);
  return after.in24Hours > before.in24Hours || after.in7Days > before.in7Days;
}

export function describeExisting(s: ExistingShift): string {
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  return `${s.kind} shift ${s.id} on ${s.unitId} ${s.startsAt.toISOString().slice(0, 10)} ${hhmm(s.startsAt)}–${hhmm(s.endsAt)}`;
}

export function assignmentStart(plan: { dates: string[]; slots: RosterPlan['slots'] }) {
  const dayOf = new Map(plan.dates.map((d, i) => [d, i]));
  return (a: RosterAssignment): number | null => {
    const day = dayOf.get(a.date);
    return day === undefined ? null : slotInterval(plan.slots, day, a.kind).startsAt;
  };
}

/**
 * The fatigue limits on the clock, with each person's shifts already scheduled (on any unit, up to a
 * week either side): an entry overlapping one of them, or a 24-hour or 7-day window over the IOM limit
 * that holds both an existing shift and an entry. Windows of entries alone are the model's rules
 * (successions, consecutive shifts), reported once there.
 */
export function fatigueViolations(
  plan: RosterPlan,
  assignments: readonly RosterAssignment[],
  who: (staffId: string) => string,
): RosterViolation[] {
  const out: RosterViolation[] = [];
  const start = assignmentStart(plan);
  const seen = new Set<string>();
  const entries = assignments.flatMap((a, index) => {
    const startsAt = start(a);
    return startsAt === null || !plan.staff.some((s) => s.staffId === a.staffId)
      ? []
      : [{ a, index, startsAt, endsAt: startsAt + SHIFT_MINUTES * 60_000 }];
  });
  for (const [staffId, existing] of plan.existing) {
    const theirs = entries.filter((e) => e.a.staffId === staffId);
    if (theirs.length === 0) continue;
    const free: typeof theirs = [];
    for (const e of theirs) {
      const clash = existing.find((x) => x.startsAt < e.endsAt && x.endsAt > e.startsAt);
      if (!clash) {
        free.push(e);
        continue;
      }
      out.push({
        rule: 'overlap',
        staffId,
        date: e.a.date,
        kind: e.a.kind,
        assignment: e.index,
        message: `${who(staffId)} on ${e.a.date}: overlap: ${e.a.kind} overlaps ${describeExisting(clash.shift)}`,
        source: OVERLAP_SOURCE,
      });
    }
    const limits = [
      {
        rule: 'max-12h-in-24h' as const,
        windowMs: 86_400_000,
        limit: MAX_MINUTES_IN_24_HOURS,
        label: '24 h',
      },
      {
        rule: 'max-60h-in-7d' as const,
        windowMs: 7 * 86_400_000,
        limit: MAX_MINUTES_IN_7_DAYS,
        label: '7 days',
      },
    ];
    const all: (Interval & { entry?: (typeof free)[number]; shift?: ExistingInterval['shift'] })[] = [
      ...existing,
      ...free.map((e) => ({ startsAt: e.startsAt, endsAt: e.endsAt, entry: e })),
    ];
    for (const { rule, windowMs, limit, label } of limits) {
      for (const first of all) {
        const from = first.startsAt;
        const to = from + windowMs;
        const inside = all.filter((s) => s.endsAt > from && s.startsAt < to);
        const worked = inside.reduce(
          (n, s) => n + (Math.min(s.endsAt, to) - Math.max(s.startsAt, from)) / 60_000,
          0,
        );
        const olds = inside.filter((s) => s.shift);
        const news = inside.filter((s) => s.entry);
        if (worked <= limit || olds.length === 0 || news.length === 0) continue;
        const e = news[0]!.entry!;
        const key = `${rule}|${staffId}|${e.index}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          rule,
          staffId,
          date: e.a.date,
          kind: e.a.kind,
          assignment: e.index,
          message:
            `${who(staffId)} on ${e.a.date}: ${rule}: ${e.a.kind} makes ${worked / 60} h within ${label} ` +
            `(at most ${limit / 60} h) with ${olds.map((s) => describeExisting(s.shift!)).join(', ')}`,
          source: IOM_2004,
        });
      }
    }
  }
  return out;
}
