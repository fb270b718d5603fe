/**
 * A unit's roster as an instance of the Curtois & Qu model (tools/staffing/roster): its nursing staff
 * over a horizon of whole weeks from a Monday (the model's day 0), with the hospital's three shifts,
 * the fatigue and house rules of policy.ts, approved leave and shifts already scheduled, the staff's
 * shift requests, and the cover the demand forecast asks for. Pure: it reads the facts store.ts loaded.
 *
 * What the model cannot say, and how it is handled:
 * - Roles: one cover per (day, shift) counts everyone on it, so licensed nurses (RN, LPN), charge nurses
 *   and CNAs get shift types of their own (`nurse-day`, `charge-night`, …) and may work only theirs.
 *   The LPN share of the ratio and the required certification are not expressible: the coverage report
 *   (check.ts) measures them with the forecast's own rules.
 * - Shifts already scheduled (on any unit): a day on which every shift would break a fatigue limit
 *   next to them is a day off; a shift that alone would is an off request of weight GUARD_WEIGHT, and
 *   the check refuses it as a hard violation. Their minutes come off the contracted range, and they
 *   count as days off for the consecutive-day rules (the 7-day limit is checked on the clock instead).
 * - A wish to work "any" shift on a day has no counterpart (an on request names one shift): left out,
 *   and said so in the notes.
 */
import {
  addDays,
  type DemandFacts,
  forecastDemand,
  type RosteredNurse,
  type ShiftSlot,
  shiftKinds,
  shiftSlots,
  type UnitShiftForecast,
} from '../demand/forecast.ts';
import { effectivePolicy, type StaffingPolicy } from '../demand/policy.ts';
import type { Employee, Instance, ShiftRequest, ShiftType } from '../roster/instance.ts';
import { coverRequirements } from './cover.ts';
import { breaksFatigueLimit, describeExisting, interval, slotInterval } from './fatigue.ts';
import {
  forbiddenSuccessions,
  GUARD_WEIGHT,
  groupOfRole,
  type Interval,
  type RosterGroup,
  rosterDefaults,
  rosterGroups,
  SHIFT_MINUTES,
  shiftTypeId,
  UNCONTRACTED_WEEKLY_CAP_MINUTES,
} from './policy.ts';
import type { ExistingShift, RosterFacts } from './store.ts';

export interface RosterStaff {
  staffId: string;
  name: string;
  role: string;
  group: RosterGroup;
  employmentType: string;
  /** A float-pool nurse from another unit: no hours owed to this roster. */
  float: boolean;
  minMinutes: number;
  maxMinutes: number;
  /** Minutes of shifts already scheduled in the horizon, on any unit. */
  alreadyScheduledMinutes: number;
}

/** A shift already scheduled, with its clock interval. */
export type ExistingInterval = Interval & { shift: ExistingShift };

export interface RosterPlan {
  unitId: string;
  unitName: string;
  startsOn: string;
  weeks: number;
  /** dates[d] is the model's day d. */
  dates: string[];
  slots: ShiftSlot[];
  policy: StaffingPolicy;
  census: { planned: number | null };
  staff: RosterStaff[];
  /** What the solver is given: days off include days blocked by existing shifts, and guard requests. */
  solverInstance: Instance;
  /** What a roster is judged by: approved leave as days off, the staff's own requests only. */
  instance: Instance;
  /** Why a staff member is off on a day: `${staffId}|${day}` → reason. */
  dayOffReasons: Map<string, string>;
  /** Each candidate's shifts already scheduled (any unit), as clock intervals, for the fatigue check. */
  existing: Map<string, ExistingInterval[]>;
  /** The demand forecast per slot, measured against the shifts already on the unit. */
  demand: UnitShiftForecast[];
  /** What the forecast was computed from (census as planned), to measure a roster with the same rules. */
  demandFacts: DemandFacts;
  now: Date;
  /** The candidates' roles and skills, as the forecast counts them. */
  nurses: Map<string, RosteredNurse>;
  notes: string[];
}

const DAY_MS = 86_400_000;

export interface PlanOptions {
  /** Patients to staff every shift for, instead of the forecast census. */
  plannedCensus?: number | undefined;
}

export function buildRosterPlan(facts: RosterFacts, options: PlanOptions = {}): RosterPlan {
  const days = facts.days;
  const dates = Array.from({ length: days }, (_, d) => addDays(facts.startsOn, d));
  const dayOf = new Map(dates.map((date, d) => [date, d]));
  const slots = shiftSlots(facts.startsOn, days);
  const weeks = days / 7;
  const notes: string[] = [];

  const demandFacts: DemandFacts =
    options.plannedCensus === undefined
      ? facts.demand
      : {
          ...facts.demand,
          census: new Map([
            [
              facts.unit.id,
              { occupants: options.plannedCensus, pendingDischarges: [], scheduledAdmissions: 0 },
            ],
          ]),
        };
  const demand = forecastDemand(demandFacts, slots, facts.now);
  const demandAt = new Map(demand.map((row) => [`${row.day}|${row.kind}`, row]));

  const staffGroups = facts.candidates.flatMap((c) => {
    const group = groupOfRole[c.role];
    return group ? [{ candidate: c, group }] : [];
  });
  const groups = rosterGroups.filter((g) => staffGroups.some((s) => s.group === g));
  const successions = forbiddenSuccessions();
  const shifts: ShiftType[] = groups.flatMap((group) =>
    shiftKinds.map((kind) => ({
      id: shiftTypeId(group, kind),
      minutes: SHIFT_MINUTES,
      // Across groups too: nobody works two groups' shifts, but the rule is about hours, not roles.
      cannotFollow: groups.flatMap((g) => successions[kind].map((next) => shiftTypeId(g, next))),
    })),
  );

  const existing = new Map<string, ExistingInterval[]>();
  for (const s of facts.existing) {
    const list = existing.get(s.staffId) ?? [];
    list.push({ ...interval(s), shift: s });
    existing.set(s.staffId, list);
  }

  const dayOffReasons = new Map<string, string>();
  const employees: Employee[] = [];
  const solverEmployees: Employee[] = [];
  const guards: ShiftRequest[] = [];
  const rosterStaff: RosterStaff[] = [];
  for (const { candidate: c, group } of staffGroups) {
    const leaveDays = new Set<number>();
    for (const l of facts.leave.filter((x) => x.staffId === c.id)) {
      for (let d = 0; d < days; d++) {
        const date = dates[d]!;
        if (date >= l.startsOn && date <= l.endsOn) {
          leaveDays.add(d);
          dayOffReasons.set(
            `${c.id}|${d}`,
            `approved ${l.kind} leave ${l.id} (${l.startsOn} to ${l.endsOn})`,
          );
        }
      }
    }
    const theirs = existing.get(c.id) ?? [];
    const blockedDays: number[] = [];
    for (let d = 0; d < days; d++) {
      const blocked = shiftKinds.filter((kind) => breaksFatigueLimit(theirs, slotInterval(slots, d, kind)));
      if (blocked.length === shiftKinds.length) {
        blockedDays.push(d);
        if (!leaveDays.has(d))
          dayOffReasons.set(`${c.id}|${d}`, `already scheduled: ${near(theirs, slots, d)}`);
      } else {
        for (const kind of blocked)
          guards.push({ employee: c.id, day: d, shift: shiftTypeId(group, kind), weight: GUARD_WEIGHT });
      }
    }
    const already = theirs
      .filter((s) => dayOf.has(s.shift.startsAt.toISOString().slice(0, 10)))
      .reduce((sum, s) => sum + (s.endsAt - s.startsAt) / 60_000, 0);
    const float = c.homeUnitId !== facts.unit.id;
    const share = (days - leaveDays.size) / days;
    const owed = c.contractedMinutesPerWeek * weeks * share;
    const cap =
      (c.contractedMinutesPerWeek > 0 ? c.contractedMinutesPerWeek : UNCONTRACTED_WEEKLY_CAP_MINUTES) *
      weeks *
      share;
    const flexible = float || c.employmentType === 'per-diem' || c.contractedMinutesPerWeek === 0;
    const maxMinutes = Math.max(0, Math.ceil(cap / SHIFT_MINUTES) * SHIFT_MINUTES - already);
    const minMinutes = flexible
      ? 0
      : Math.min(maxMinutes, Math.max(0, Math.floor(owed / SHIFT_MINUTES) * SHIFT_MINUTES - already));
    const maxShifts: Record<string, number> = {};
    for (const g of groups)
      if (g !== group) for (const kind of shiftKinds) maxShifts[shiftTypeId(g, kind)] = 0;
    const employee: Employee = {
      id: c.id,
      maxShifts,
      maxTotalMinutes: maxMinutes,
      minTotalMinutes: minMinutes,
      maxConsecutiveShifts: rosterDefaults.maxConsecutiveShifts,
      minConsecutiveShifts: rosterDefaults.minConsecutiveShifts,
      minConsecutiveDaysOff: rosterDefaults.minConsecutiveDaysOff,
      maxWeekends: rosterDefaults.maxWeekends(weeks),
      daysOff: [...leaveDays].sort((a, b) => a - b),
    };
    employees.push(employee);
    solverEmployees.push({
      ...employee,
      daysOff: [...new Set([...leaveDays, ...blockedDays])].sort((a, b) => a - b),
    });
    rosterStaff.push({
      staffId: c.id,
      name: c.name,
      role: c.role,
      group,
      employmentType: c.employmentType,
      float,
      minMinutes,
      maxMinutes,
      alreadyScheduledMinutes: already,
    });
  }

  const shiftOnRequests: ShiftRequest[] = [];
  const shiftOffRequests: ShiftRequest[] = [];
  const groupOf = new Map(rosterStaff.map((s) => [s.staffId, s.group]));
  for (const r of facts.requests) {
    const group = groupOf.get(r.staffId);
    const day = dayOf.get(r.day);
    if (!group || day === undefined) continue;
    if (r.kind === 'any' && r.want === 'on') {
      notes.push(
        `${r.staffId}'s wish to work any shift on ${r.day} (${r.id}) is not weighed: the model's requests name one shift`,
      );
      continue;
    }
    const kinds = r.kind === 'any' ? shiftKinds : [r.kind];
    for (const kind of kinds) {
      const request = { employee: r.staffId, day, shift: shiftTypeId(group, kind), weight: r.weight };
      (r.want === 'on' ? shiftOnRequests : shiftOffRequests).push(request);
    }
  }

  const cover = coverRequirements(groups, slots, demandAt, rosterStaff, notes);
  const instance: Instance = {
    name: `${facts.unit.id}-${facts.startsOn}`,
    horizonDays: days,
    shifts,
    employees,
    shiftOnRequests,
    shiftOffRequests,
    cover,
  };
  return {
    unitId: facts.unit.id,
    unitName: facts.unit.name,
    startsOn: facts.startsOn,
    weeks,
    dates,
    slots,
    policy: effectivePolicy(facts.unit, facts.unit.override),
    census: { planned: options.plannedCensus ?? null },
    staff: rosterStaff,
    solverInstance: {
      ...instance,
      employees: solverEmployees,
      shiftOffRequests: [...shiftOffRequests, ...guards],
    },
    instance,
    dayOffReasons,
    existing,
    demand,
    demandFacts,
    now: facts.now,
    nurses: new Map(
      facts.candidates.map((c) => [
        c.id,
        { staffId: c.id, role: c.role, skills: facts.skills.get(c.id) ?? [] },
      ]),
    ),
    notes,
  };
}

function near(existing: readonly ExistingInterval[], slots: readonly ShiftSlot[], day: number): string {
  const from = slotInterval(slots, day, 'day').startsAt - DAY_MS;
  const to = slotInterval(slots, day, 'night').endsAt + DAY_MS;
  const close = existing.filter((s) => s.endsAt > from && s.startsAt < to);
  return close.map((s) => describeExisting(s.shift)).join(', ') || 'shifts that week reach the 7-day limit';
}
