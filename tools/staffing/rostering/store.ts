import { and, asc, eq, gte, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { shiftRequests, staff } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { addDays, type DemandFacts, type ShiftKind, shiftSlots } from '../demand/forecast.ts';
import { loadDemandFacts, loadUnitsWithPolicies } from '../demand/store.ts';
import { approvedLeaveDuring, shiftsBetween, skillsOf } from '../person-facts.ts';
import { floatRoles, nursingRoles } from './policy.ts';

// What a unit roster is built from, read from the database; the mapping to the solver's instance is
// in instance-from-db.ts, and it reads nothing.

export interface RosterCandidate {
  id: string;
  name: string;
  role: (typeof staff.$inferSelect)['role'];
  homeUnitId: string | null;
  employmentType: (typeof staff.$inferSelect)['employmentType'];
  floatEligible: boolean;
  contractedMinutesPerWeek: number;
}

export interface ExistingShift {
  id: string;
  staffId: string;
  unitId: string;
  kind: ShiftKind;
  startsAt: Date;
  endsAt: Date;
}

export interface RosterFacts {
  unit: Awaited<ReturnType<typeof loadUnitsWithPolicies>>[number];
  startsOn: string;
  days: number;
  now: Date;
  /** The unit's nursing staff, then float-pool nurses from other units, by id. */
  candidates: RosterCandidate[];
  skills: Map<string, { skill: string; certifiedUntil: string | null }[]>;
  leave: { id: string; staffId: string; kind: string; startsOn: string; endsOn: string }[];
  requests: {
    id: string;
    staffId: string;
    day: string;
    kind: ShiftKind | 'any';
    want: 'on' | 'off';
    weight: number;
  }[];
  /** The candidates' scheduled or worked shifts on any unit, from a week before to a week after the horizon. */
  existing: ExistingShift[];
  /** The unit's census, policy and the shifts already on it over the horizon (the demand forecast's facts). */
  demand: DemandFacts;
}

export interface RosterScope {
  unitId: string;
  startsOn: string;
  days: number;
  now: Date;
  /** Every float-eligible RN and LPN of other units; otherwise only those in `floatStaffIds`. */
  includeFloatPool: boolean;
  floatStaffIds?: readonly string[];
}

const FATIGUE_MARGIN_DAYS = 7;

export async function loadRosterFacts(db: DbOrTx, scope: RosterScope): Promise<RosterFacts> {
  const [unit] = await loadUnitsWithPolicies(db, scope.unitId);
  if (!unit) {
    throw new OperationError('not_found', `No unit ${scope.unitId}`, [
      { field: 'unitId', message: 'unknown unit' },
    ]);
  }
  const lastDay = addDays(scope.startsOn, scope.days - 1);
  const floatNamed = [...new Set(scope.floatStaffIds ?? [])];
  // Float-pool nurses of other units (or of none): all of them, or only those a roster names.
  const floatPool =
    scope.includeFloatPool || floatNamed.length > 0
      ? and(
          inArray(staff.role, [...floatRoles]),
          eq(staff.floatEligible, true),
          or(ne(staff.unitId, unit.id), isNull(staff.unitId)),
          scope.includeFloatPool ? undefined : inArray(staff.id, floatNamed),
        )
      : undefined;
  const rows = await db
    .select()
    .from(staff)
    .where(or(and(eq(staff.unitId, unit.id), inArray(staff.role, nursingRoles)), floatPool))
    .orderBy(asc(staff.id));
  // Home-unit staff first, then the float pool: the solver's order, and the order staff are reported in.
  const home = rows.filter((r) => r.unitId === unit.id);
  const floats = rows.filter((r) => r.unitId !== unit.id);
  const candidates: RosterCandidate[] = [...home, ...floats].map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    homeUnitId: r.unitId,
    employmentType: r.employmentType,
    floatEligible: r.floatEligible,
    contractedMinutesPerWeek: r.contractedMinutesPerWeek,
  }));
  const ids = candidates.map((c) => c.id);
  const slots = shiftSlots(scope.startsOn, scope.days);
  const demand = await loadDemandFacts(db, {
    unitId: unit.id,
    from: slots[0]!.startsAt,
    to: slots[slots.length - 1]!.endsAt,
    now: scope.now,
  });
  const base = { unit, startsOn: scope.startsOn, days: scope.days, now: scope.now, candidates, demand };
  if (ids.length === 0) return { ...base, skills: new Map(), leave: [], requests: [], existing: [] };

  const skillRows = await skillsOf(db, ids);
  const skills = new Map<string, { skill: string; certifiedUntil: string | null }[]>();
  for (const s of skillRows) {
    const list = skills.get(s.staffId) ?? [];
    list.push({ skill: s.skill, certifiedUntil: s.certifiedUntil });
    skills.set(s.staffId, list);
  }
  const leave = await approvedLeaveDuring(db, ids, {
    startsAt: new Date(`${scope.startsOn}T00:00:00Z`),
    endsAt: new Date(`${addDays(lastDay, 1)}T00:00:00Z`),
  });
  const requests = await db
    .select({
      id: shiftRequests.id,
      staffId: shiftRequests.staffId,
      day: shiftRequests.day,
      kind: shiftRequests.kind,
      want: shiftRequests.want,
      weight: shiftRequests.weight,
    })
    .from(shiftRequests)
    .where(
      and(
        inArray(shiftRequests.staffId, ids),
        gte(shiftRequests.day, scope.startsOn),
        lte(shiftRequests.day, lastDay),
      ),
    )
    .orderBy(asc(shiftRequests.day), asc(shiftRequests.id));
  const marginFrom = new Date(slots[0]!.startsAt.getTime() - FATIGUE_MARGIN_DAYS * 86_400_000);
  const marginTo = new Date(slots[slots.length - 1]!.endsAt.getTime() + FATIGUE_MARGIN_DAYS * 86_400_000);
  const existing = await shiftsBetween(db, ids, marginFrom, marginTo);
  return { ...base, skills, leave, requests, existing };
}
