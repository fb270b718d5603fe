/**
 * Judges a unit roster, whoever wrote it (the solver, a manager, a language model): every hard rule
 * of the roster model, through the model's independent validator (roster/validate.ts), plus the
 * fatigue limits on the clock against the shifts each person already has; then the objective, the
 * coverage of every shift measured with the demand forecast's own rules, and each person's shifts.
 * A roster with any violation is refused by publish_roster: the rules live here, not in a prompt.
 */
import { type ShiftKind, shiftKinds } from '../demand/forecast.ts';
import { type Assignment, type HardConstraint, validateAssignments } from '../roster/validate.ts';
import { coverage } from './cover.ts';
import { fatigueViolations, OVERLAP_SOURCE } from './fatigue.ts';
import type { RosterPlan } from './instance-from-db.ts';
import { fatigueRules, SHIFT_MINUTES, shiftTypeId } from './policy.ts';
import type { RosterFacts } from './store.ts';

export interface RosterAssignment {
  staffId: string;
  date: string;
  kind: ShiftKind;
}

export type RosterRule =
  | 'not-on-roster'
  | 'outside-horizon'
  | 'approved-leave'
  | 'overlap'
  | 'max-12h-in-24h'
  | 'max-60h-in-7d'
  | 'forbidden-succession'
  | 'one-shift-per-day'
  | 'max-consecutive-shifts'
  | 'min-consecutive-shifts'
  | 'min-consecutive-days-off'
  | 'max-weekends'
  | 'max-total-minutes'
  | 'min-total-minutes'
  | 'max-shifts-of-type'
  | 'roster-shape';

export interface RosterViolation {
  rule: RosterRule;
  staffId: string;
  /** The day the violation is on (starts on), or null for a rule over the whole horizon. */
  date: string | null;
  kind: ShiftKind | null;
  message: string;
  source: string;
  /** Index of the offending entry in the assignments, when one entry is at fault. */
  assignment: number | null;
}

const ruleOf: Record<HardConstraint, RosterRule> = {
  'roster-shape': 'roster-shape',
  'one-shift-per-day': 'one-shift-per-day',
  'shift-rotation': 'forbidden-succession',
  'max-shifts-of-type': 'max-shifts-of-type',
  'max-total-minutes': 'max-total-minutes',
  'min-total-minutes': 'min-total-minutes',
  'max-consecutive-shifts': 'max-consecutive-shifts',
  'min-consecutive-shifts': 'min-consecutive-shifts',
  'min-consecutive-days-off': 'min-consecutive-days-off',
  'max-weekends': 'max-weekends',
  'days-off': 'approved-leave',
};

const sourceOf = (rule: RosterRule): string => {
  const known = fatigueRules.find((r) => r.rule === rule);
  if (known) return known.source;
  if (rule === 'max-total-minutes' || rule === 'min-total-minutes')
    return fatigueRules.find((r) => r.rule === 'contracted-minutes')?.source ?? 'employment terms';
  if (rule === 'approved-leave') return 'approved leave (staff_leave)';
  if (rule === 'overlap' || rule === 'one-shift-per-day') return OVERLAP_SOURCE;
  return 'roster input';
};

/**
 * Shifts already in the shifts table that are exactly an entry of the roster (same person, unit, kind
 * and start): the roster published before, or part of it. They are the roster's own, not a conflict,
 * so they leave the facts; publishing writes only the rest.
 */
export function withoutOwnShifts(
  facts: RosterFacts,
  assignments: readonly RosterAssignment[],
  slotStart: (a: RosterAssignment) => number | null,
): { facts: RosterFacts; own: Set<number> } {
  const own = new Set<number>();
  const ownShiftIds = new Set<string>();
  const isOwn = (s: { staffId: string; unitId: string; kind: string; startsAt: Date }) =>
    s.unitId === facts.unit.id &&
    assignments.some(
      (a) => a.staffId === s.staffId && a.kind === s.kind && slotStart(a) === s.startsAt.getTime(),
    );
  assignments.forEach((a, i) => {
    const match = facts.existing.find(
      (s) =>
        s.unitId === facts.unit.id &&
        s.staffId === a.staffId &&
        s.kind === a.kind &&
        slotStart(a) === s.startsAt.getTime(),
    );
    if (match) {
      own.add(i);
      ownShiftIds.add(match.id);
    }
  });
  return {
    own,
    facts: {
      ...facts,
      existing: facts.existing.filter((s) => !ownShiftIds.has(s.id)),
      demand: { ...facts.demand, shifts: facts.demand.shifts.filter((s) => !isOwn(s)) },
    },
  };
}

export function checkRoster(plan: RosterPlan, assignments: readonly RosterAssignment[]) {
  const violations: RosterViolation[] = [];
  const staffById = new Map(plan.staff.map((s) => [s.staffId, s]));
  const dayOf = new Map(plan.dates.map((d, i) => [d, i]));
  const mapped: Assignment[] = [];
  const entryAt = new Map<string, number>();
  const add = (v: Omit<RosterViolation, 'source'>) => violations.push({ ...v, source: sourceOf(v.rule) });
  const who = (staffId: string) => {
    const s = staffById.get(staffId);
    return s ? `${s.name} (${staffId}, ${s.role})` : staffId;
  };

  assignments.forEach((a, i) => {
    const person = staffById.get(a.staffId);
    const day = dayOf.get(a.date);
    const base = { staffId: a.staffId, date: a.date, kind: a.kind, assignment: i };
    if (!person) {
      add({
        ...base,
        rule: 'not-on-roster',
        message:
          `${a.staffId} on ${a.date}: not-on-roster: not nursing staff of ${plan.unitId}, ` +
          'nor a float-eligible RN or LPN of another unit',
      });
    } else if (day === undefined) {
      add({
        ...base,
        rule: 'outside-horizon',
        message:
          `${who(a.staffId)} on ${a.date}: outside-horizon: the roster runs from ${plan.dates[0]} ` +
          `to ${plan.dates[plan.dates.length - 1]}`,
      });
    } else {
      mapped.push({ employee: a.staffId, day, shift: shiftTypeId(person.group, a.kind) });
      const key = `${a.staffId}|${day}`;
      if (!entryAt.has(key)) entryAt.set(key, i);
    }
  });

  const evaluation = validateAssignments(plan.instance, mapped);
  const kindOf = (shift: string) =>
    (shiftKinds.find((k) => shift.endsWith(`-${k}`)) ?? null) as ShiftKind | null;
  for (const v of evaluation.violations) {
    const rule = ruleOf[v.constraint];
    const date = v.day === null ? null : (plan.dates[v.day] ?? null);
    const entry = v.day === null ? null : (entryAt.get(`${v.employee}|${v.day}`) ?? null);
    const kind = entry === null ? null : (assignments[entry]?.kind ?? null);
    const reason = rule === 'approved-leave' ? plan.dayOffReasons.get(`${v.employee}|${v.day}`) : undefined;
    const detail =
      rule === 'approved-leave'
        ? `works ${kind} on a day of ${reason ?? 'approved leave'}`
        : v.detail.replace(/\b(nurse|charge|cna)-(day|evening|night)\b/g, '$2');
    add({
      rule,
      staffId: v.employee,
      date,
      kind,
      assignment: entry,
      message: `${who(v.employee)}${date ? ` on ${date}` : ''}: ${rule}: ${detail}`,
    });
  }
  violations.push(...fatigueViolations(plan, assignments, who));

  const granted = (e: string, day: number, shift: string) =>
    mapped.some((m) => m.employee === e && m.day === day && m.shift === shift);
  const requestsBroken = [
    ...plan.instance.shiftOnRequests
      .filter((r) => !granted(r.employee, r.day, r.shift))
      .map((r) => ({ ...r, want: 'on' as const })),
    ...plan.instance.shiftOffRequests
      .filter((r) => granted(r.employee, r.day, r.shift))
      .map((r) => ({ ...r, want: 'off' as const })),
  ].map((r) => ({
    staffId: r.employee,
    date: plan.dates[r.day] ?? '',
    kind: kindOf(r.shift) ?? 'day',
    want: r.want,
    weight: r.weight,
  }));

  return {
    feasible: violations.length === 0,
    violations,
    objective: evaluation.objective,
    breakdown: {
      underCover: evaluation.breakdown.underCover,
      overCover: evaluation.breakdown.overCover,
      onRequestsNotGranted: evaluation.breakdown.shiftOnRequests,
      offRequestsBroken: evaluation.breakdown.shiftOffRequests,
    },
    requestsBroken,
    coverage: coverage(plan, assignments),
    staff: plan.staff.map((s) => {
      const shifts = assignments
        .filter((a) => a.staffId === s.staffId && dayOf.has(a.date))
        .map((a) => ({ date: a.date, kind: a.kind }))
        .sort(
          (a, b) => a.date.localeCompare(b.date) || shiftKinds.indexOf(a.kind) - shiftKinds.indexOf(b.kind),
        );
      return {
        staffId: s.staffId,
        name: s.name,
        role: s.role,
        employmentType: s.employmentType,
        float: s.float,
        minutes: {
          rostered: shifts.length * SHIFT_MINUTES,
          min: s.minMinutes,
          max: s.maxMinutes,
          alreadyScheduled: s.alreadyScheduledMinutes,
        },
        shifts,
      };
    }),
  };
}

export type RosterCheck = ReturnType<typeof checkRoster>;
