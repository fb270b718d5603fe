import type { DbOrTx } from '../../../db/client.ts';
import { OperationError } from '../../core/errors.ts';
import { addDays, type ShiftKind, shiftKinds, shiftSlots } from '../demand/forecast.ts';
import type { Roster } from '../roster/validate.ts';
import { type RosterAssignment, withoutOwnShifts } from './check.ts';
import { assignmentStart } from './fatigue.ts';
import { buildRosterPlan, type RosterPlan } from './instance-from-db.ts';
import { loadRosterFacts } from './store.ts';

/** How far ahead a roster may be planned: the forecast's census means little beyond that. */
export const MAX_LEAD_DAYS = 84;
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface Horizon {
  unitId: string;
  startsOn: string;
  weeks: number;
  plannedCensus?: number | undefined;
}

/**
 * A roster starts on a Monday (the roster model's day 0 and its weekends, the payroll's workweek) after
 * today: a shift of the current week may already be under way, and a published roster is never in the past.
 */
export function assertHorizon(startsOn: string, now: Date, field = 'startsOn'): void {
  const today = now.toISOString().slice(0, 10);
  const weekday = new Date(`${startsOn}T00:00:00Z`).getUTCDay();
  const latest = addDays(today, MAX_LEAD_DAYS);
  const fail = (message: string) =>
    new OperationError('invalid', `Invalid ${field} ${startsOn}: ${message}`, [{ field, message }]);
  if (weekday !== 1) throw fail(`it is a ${weekdays[weekday]}; a roster starts on a Monday`);
  if (startsOn <= today) throw fail(`must be after today (${today}): rosters are planned ahead`);
  if (startsOn > latest) throw fail(`must be at most ${MAX_LEAD_DAYS / 7} weeks ahead (${latest})`);
}

export const endsOn = (h: { startsOn: string; weeks: number }) => addDays(h.startsOn, h.weeks * 7 - 1);

/**
 * The roster plan from the data as it is now. With `assignments` (a roster to check or publish), the
 * float-pool nurses it names are candidates too, and the shifts already in the table that are its own
 * entries are set apart (`own`: their indexes).
 */
export async function loadRosterPlan(
  db: DbOrTx,
  horizon: Horizon,
  now: Date,
  options: { includeFloatPool?: boolean; assignments?: readonly RosterAssignment[] } = {},
): Promise<{ plan: RosterPlan; own: Set<number> }> {
  const days = horizon.weeks * 7;
  const assignments = options.assignments ?? [];
  const loaded = await loadRosterFacts(db, {
    unitId: horizon.unitId,
    startsOn: horizon.startsOn,
    days,
    now,
    includeFloatPool: options.includeFloatPool ?? false,
    floatStaffIds: assignments.map((a) => a.staffId),
  });
  if (!loaded.candidates.some((c) => c.homeUnitId === horizon.unitId)) {
    throw new OperationError(
      'invalid',
      `Unit ${horizon.unitId} has no nursing staff to roster (RN, LPN, CNA or charge nurse with it as home unit)`,
      [{ field: 'unitId', message: 'no nursing staff on this unit' }],
    );
  }
  const dates = Array.from({ length: days }, (_, d) => addDays(horizon.startsOn, d));
  const start = assignmentStart({ dates, slots: shiftSlots(horizon.startsOn, days) });
  const { facts, own } = withoutOwnShifts(loaded, assignments, start);
  return { plan: buildRosterPlan(facts, { plannedCensus: horizon.plannedCensus }), own };
}

/** The solver's roster (employee id → shift type id or null per day) as dated entries. */
export function assignmentsFromRoster(plan: RosterPlan, roster: Roster): RosterAssignment[] {
  const out: RosterAssignment[] = [];
  for (const s of plan.staff) {
    (roster[s.staffId] ?? []).forEach((shift, day) => {
      if (shift === null) return;
      const kind = shiftKinds.find((k) => shift.endsWith(`-${k}`)) as ShiftKind;
      out.push({ staffId: s.staffId, date: plan.dates[day]!, kind });
    });
  }
  return out;
}
