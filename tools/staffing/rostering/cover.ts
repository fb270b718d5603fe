/**
 * Cover, both ways: what the roster must cover on each shift (from the demand forecast, as the roster
 * model's cover requirements), and what a roster does cover (the forecast's rules run on it).
 */
import {
  forecastDemand,
  type RosteredShift,
  type ShiftSlot,
  shiftKinds,
  type UnitShiftForecast,
} from '../demand/forecast.ts';
import type { CoverRequirement } from '../roster/instance.ts';
import type { RosterAssignment } from './check.ts';
import { assignmentStart } from './fatigue.ts';
import type { RosterPlan, RosterStaff } from './instance-from-db.ts';
import { coverWeights, type RosterGroup, SHIFT_MINUTES, shiftTypeId } from './policy.ts';

/**
 * Cover per day and shift type. Licensed and charge nurses: what the forecast finds missing on the
 * slot (required less already scheduled). CNAs have no ratio in Title 22: their target spreads the
 * CNA shifts the roster can give over the slots in proportion to the licensed nurses each slot needs
 * (largest remainder), so CNAs go where the patients are.
 */
export function coverRequirements(
  groups: readonly RosterGroup[],
  slots: readonly ShiftSlot[],
  demandAt: Map<string, UnitShiftForecast>,
  staff: readonly RosterStaff[],
  notes: string[],
): CoverRequirement[] {
  const rowOf = (slot: ShiftSlot) => demandAt.get(`${slot.day}|${slot.kind}`);
  const need = (slot: ShiftSlot, group: RosterGroup): number => {
    const row = rowOf(slot);
    if (!row) return 0;
    if (group === 'nurse') return Math.max(0, row.required.licensedNurses - row.scheduled.countedTowardRatio);
    return Math.max(0, row.required.chargeNurses - row.scheduled.chargeNurses);
  };
  for (const group of ['nurse', 'charge'] as const) {
    const short = slots.reduce((n, slot) => n + need(slot, group), 0);
    if (!groups.includes(group) && short > 0)
      notes.push(
        `no ${group === 'nurse' ? 'RN or LPN' : 'charge nurse'} to roster: ${short} ${group === 'nurse' ? 'licensed nurse' : 'charge nurse'} shifts stay uncovered`,
      );
  }
  const cnaTarget = new Map<number, number>();
  if (groups.includes('cna')) {
    const cnas = staff.filter((s) => s.group === 'cna');
    const capacity = cnas.reduce((n, s) => n + Math.floor(s.maxMinutes / SHIFT_MINUTES), 0);
    const weights = slots.map((slot) => rowOf(slot)?.required.licensedNurses ?? 0);
    const total = weights.reduce((a, b) => a + b, 0);
    if (total > 0) {
      const exact = weights.map((w) => (capacity * w) / total);
      const floors = exact.map(Math.floor);
      let left = capacity - floors.reduce((a, b) => a + b, 0);
      const order = exact
        .map((x, i) => ({ i, frac: x - Math.floor(x) }))
        .sort((a, b) => b.frac - a.frac || a.i - b.i);
      for (const { i } of order) {
        if (left <= 0) break;
        floors[i] = (floors[i] ?? 0) + 1;
        left--;
      }
      floors.forEach((n, i) => {
        cnaTarget.set(i, Math.min(n, cnas.length));
      });
    }
  }
  return slots.flatMap((slot, i) => {
    const day = Math.floor(i / shiftKinds.length);
    return groups.map((group) => ({
      day,
      shift: shiftTypeId(group, slot.kind),
      requirement: group === 'cna' ? (cnaTarget.get(i) ?? 0) : need(slot, group),
      underWeight: coverWeights[group].under,
      overWeight: coverWeights[group].over,
    }));
  });
}

/** Each slot of the horizon measured with the forecast's rules: the shifts already on the unit and the roster's. */
export function coverage(plan: RosterPlan, assignments: readonly RosterAssignment[]) {
  const start = assignmentStart(plan);
  const rostered: RosteredShift[] = assignments.flatMap((a) => {
    const startsAt = start(a);
    if (startsAt === null || !plan.nurses.has(a.staffId)) return [];
    const at = { startsAt: new Date(startsAt), endsAt: new Date(startsAt + SHIFT_MINUTES * 60_000) };
    return [{ staffId: a.staffId, unitId: plan.unitId, kind: a.kind, ...at }];
  });
  const nurses = new Map([...plan.demandFacts.nurses, ...plan.nurses]);
  const rows = forecastDemand(
    { ...plan.demandFacts, shifts: [...plan.demandFacts.shifts, ...rostered], nurses },
    plan.slots,
    plan.now,
  );
  return rows.map((r) => ({
    date: r.day,
    kind: r.kind,
    census: r.census.expected,
    required: r.required,
    rostered: {
      rn: r.scheduled.rn,
      lpn: r.scheduled.lpn,
      chargeNurses: r.scheduled.chargeNurses,
      cna: r.scheduled.cna,
      countedTowardRatio: r.scheduled.countedTowardRatio,
    },
    gaps: r.gaps.map((g) => ({ rule: g.rule, short: g.short, reason: g.reason })),
    status: r.status,
  }));
}
