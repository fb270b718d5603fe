/**
 * Independent roster validator for the Curtois & Qu model (Curtois & Qu 2014, "Computational results
 * on new staff scheduling benchmark instances", section 2). It shares no code with the solver: it
 * recomputes every hard constraint and the objective from the instance and the roster alone.
 *
 * Interpretation of the two "minimum consecutive" rules, as in the paper's integer model: a block of
 * worked days (or of days off) is only too short when it is bounded by the other kind of day on both
 * sides inside the horizon. A block that touches day 0 or the last day may be shorter, since it may
 * continue in the neighbouring planning period.
 */
import type { Instance } from './instance.ts';

/** A roster: for each employee id, one entry per day, the shift id worked or null for a day off. */
export type Roster = Record<string, readonly (string | null)[]>;

/** One worked shift; a list of these may hold more than one shift per day, which the validator reports. */
export interface Assignment {
  employee: string;
  day: number;
  shift: string;
}

export type HardConstraint =
  | 'roster-shape'
  | 'one-shift-per-day'
  | 'shift-rotation'
  | 'max-shifts-of-type'
  | 'max-total-minutes'
  | 'min-total-minutes'
  | 'max-consecutive-shifts'
  | 'min-consecutive-shifts'
  | 'min-consecutive-days-off'
  | 'max-weekends'
  | 'days-off';

export interface Violation {
  constraint: HardConstraint;
  employee: string;
  /** The day the violation starts on, or null for a horizon-wide rule (minutes, counts, weekends). */
  day: number | null;
  detail: string;
}

export interface ObjectiveBreakdown {
  shiftOnRequests: number;
  shiftOffRequests: number;
  underCover: number;
  overCover: number;
}

export interface RosterEvaluation {
  feasible: boolean;
  violations: Violation[];
  objective: number;
  breakdown: ObjectiveBreakdown;
}

export function assignmentsOf(roster: Roster): Assignment[] {
  const assignments: Assignment[] = [];
  for (const [employee, days] of Object.entries(roster)) {
    days.forEach((shift, day) => {
      if (shift !== null) assignments.push({ employee, day, shift });
    });
  }
  return assignments;
}

/** Validates a roster; an employee missing from it, or a row of the wrong length, is a shape violation. */
export function validateRoster(instance: Instance, roster: Roster): RosterEvaluation {
  const shape: Violation[] = [];
  for (const employee of instance.employees) {
    const row = roster[employee.id];
    if (!row) shape.push({ constraint: 'roster-shape', employee: employee.id, day: null, detail: 'no row' });
    else if (row.length !== instance.horizonDays)
      shape.push({
        constraint: 'roster-shape',
        employee: employee.id,
        day: null,
        detail: `row has ${row.length} days, the horizon has ${instance.horizonDays}`,
      });
  }
  const result = validateAssignments(instance, assignmentsOf(roster));
  const violations = [...shape, ...result.violations];
  return { ...result, violations, feasible: violations.length === 0 };
}

export function validateAssignments(
  instance: Instance,
  assignments: readonly Assignment[],
): RosterEvaluation {
  const h = instance.horizonDays;
  const violations: Violation[] = [];
  const shiftById = new Map(instance.shifts.map((s) => [s.id, s]));
  const worked = new Map<string, string[][]>();
  for (const e of instance.employees)
    worked.set(
      e.id,
      Array.from({ length: h }, () => []),
    );
  for (const a of assignments) {
    const days = worked.get(a.employee);
    const shape = (detail: string) =>
      violations.push({ constraint: 'roster-shape', employee: a.employee, day: a.day, detail });
    if (!days) shape('unknown employee');
    else if (!Number.isInteger(a.day) || a.day < 0 || a.day >= h)
      shape(`day ${a.day} is outside the horizon`);
    else if (!shiftById.has(a.shift)) shape(`unknown shift '${a.shift}'`);
    else days[a.day]?.push(a.shift);
  }

  for (const employee of instance.employees) {
    const days = worked.get(employee.id) ?? [];
    const add = (constraint: HardConstraint, day: number | null, detail: string) =>
      violations.push({ constraint, employee: employee.id, day, detail });
    const works = (d: number) => (days[d]?.length ?? 0) > 0;

    days.forEach((shifts, d) => {
      if (shifts.length > 1) add('one-shift-per-day', d, `${shifts.length} shifts (${shifts.join(', ')})`);
    });
    for (const d of employee.daysOff) {
      if (works(d)) add('days-off', d, `works ${days[d]?.join(', ')} on a day off`);
    }
    for (let d = 0; d + 1 < h; d++) {
      for (const first of days[d] ?? []) {
        for (const next of days[d + 1] ?? []) {
          if (shiftById.get(first)?.cannotFollow.includes(next))
            add('shift-rotation', d + 1, `${next} may not follow ${first} (day ${d})`);
        }
      }
    }

    const counts = new Map<string, number>();
    let minutes = 0;
    for (const shifts of days) {
      for (const s of shifts) {
        counts.set(s, (counts.get(s) ?? 0) + 1);
        minutes += shiftById.get(s)?.minutes ?? 0;
      }
    }
    for (const [shift, count] of counts) {
      const max = employee.maxShifts[shift];
      if (max !== undefined && count > max)
        add('max-shifts-of-type', null, `${count} ${shift} shifts, at most ${max}`);
    }
    if (minutes > employee.maxTotalMinutes)
      add('max-total-minutes', null, `${minutes} minutes, at most ${employee.maxTotalMinutes}`);
    if (minutes < employee.minTotalMinutes)
      add('min-total-minutes', null, `${minutes} minutes, at least ${employee.minTotalMinutes}`);

    // Blocks of consecutive worked days and of consecutive days off.
    let start = 0;
    while (start < h) {
      const working = works(start);
      let end = start;
      while (end + 1 < h && works(end + 1) === working) end++;
      const length = end - start + 1;
      const inside = start > 0 && end < h - 1;
      if (working && length > employee.maxConsecutiveShifts)
        add(
          'max-consecutive-shifts',
          start,
          `${length} consecutive shifts, at most ${employee.maxConsecutiveShifts}`,
        );
      if (working && inside && length < employee.minConsecutiveShifts)
        add(
          'min-consecutive-shifts',
          start,
          `${length} consecutive shifts, at least ${employee.minConsecutiveShifts}`,
        );
      if (!working && inside && length < employee.minConsecutiveDaysOff)
        add(
          'min-consecutive-days-off',
          start,
          `${length} consecutive days off, at least ${employee.minConsecutiveDaysOff}`,
        );
      start = end + 1;
    }

    // Day 0 is a Monday, so weekend w is days 7w+5 (Saturday) and 7w+6 (Sunday).
    let weekends = 0;
    for (let saturday = 5; saturday < h; saturday += 7) {
      if (works(saturday) || (saturday + 1 < h && works(saturday + 1))) weekends++;
    }
    if (weekends > employee.maxWeekends)
      add('max-weekends', null, `${weekends} weekends, at most ${employee.maxWeekends}`);
  }

  const has = (employee: string, day: number, shift: string) =>
    worked.get(employee)?.[day]?.includes(shift) ?? false;
  const breakdown: ObjectiveBreakdown = {
    shiftOnRequests: 0,
    shiftOffRequests: 0,
    underCover: 0,
    overCover: 0,
  };
  for (const r of instance.shiftOnRequests)
    if (!has(r.employee, r.day, r.shift)) breakdown.shiftOnRequests += r.weight;
  for (const r of instance.shiftOffRequests)
    if (has(r.employee, r.day, r.shift)) breakdown.shiftOffRequests += r.weight;
  for (const c of instance.cover) {
    let count = 0;
    for (const e of instance.employees) if (has(e.id, c.day, c.shift)) count++;
    if (count < c.requirement) breakdown.underCover += (c.requirement - count) * c.underWeight;
    if (count > c.requirement) breakdown.overCover += (count - c.requirement) * c.overWeight;
  }
  const objective =
    breakdown.shiftOnRequests + breakdown.shiftOffRequests + breakdown.underCover + breakdown.overCover;
  return { feasible: violations.length === 0, violations, objective, breakdown };
}
