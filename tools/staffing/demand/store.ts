import { and, count, eq, gt, inArray, isNotNull, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import {
  bedBookings,
  bedReservations,
  beds,
  encounters,
  shifts,
  staff,
  staffSkills,
  units,
  unitStaffingPolicies,
} from '../../../db/schema/index.ts';
import type { DemandFacts, RosteredNurse } from './forecast.ts';

// What the staffing demand forecast reads from the database; the arithmetic is in forecast.ts.

/** Units with their policy overrides, by id; one unit when `unitId` is given. */
export async function loadUnitsWithPolicies(db: DbOrTx, unitId?: string) {
  const rows = await db
    .select({ unit: units, override: unitStaffingPolicies })
    .from(units)
    .leftJoin(unitStaffingPolicies, eq(unitStaffingPolicies.unitId, units.id))
    .where(unitId === undefined ? undefined : eq(units.id, unitId))
    .orderBy(units.id);
  return rows.map(({ unit, override }) => ({
    id: unit.id,
    name: unit.name,
    type: unit.type,
    override: override
      ? {
          patientsPerNurse: override.patientsPerNurse,
          chargeNursesPerShift: override.chargeNursesPerShift,
          requiredSkill: override.requiredSkill,
          source: override.source,
          updatedAt: override.updatedAt,
          updatedBy: override.updatedBy,
        }
      : null,
  }));
}

/**
 * What the forecast is computed from: the units and their overrides, the occupants and their pending
 * discharges, live bed reservations, and the scheduled or worked shifts overlapping [from, to) with
 * the staff's roles and skills.
 */
export async function loadDemandFacts(
  db: DbOrTx,
  opts: { unitId?: string | undefined; from: Date; to: Date; now: Date },
): Promise<DemandFacts> {
  const unitRows = await loadUnitsWithPolicies(db, opts.unitId);
  const unitIds = unitRows.map((u) => u.id);
  if (unitIds.length === 0) return { units: [], census: new Map(), shifts: [], nurses: new Map() };

  const occupied = await db
    .select({ bedId: beds.id, unitId: beds.unitId, expectedDischargeAt: encounters.expectedDischargeAt })
    .from(beds)
    .leftJoin(
      encounters,
      and(
        eq(encounters.patientId, beds.occupantPatientId),
        eq(encounters.status, 'in-progress'),
        isNotNull(encounters.expectedDischargeAt),
      ),
    )
    .where(and(isNotNull(beds.occupantPatientId), inArray(beds.unitId, unitIds)));
  const reserved = await db
    .select({ unitId: beds.unitId, n: count() })
    .from(bedReservations)
    .innerJoin(beds, eq(beds.id, bedReservations.bedId))
    .where(
      and(
        inArray(beds.unitId, unitIds),
        // A lapsed hold no longer brings anyone, even before the sweeper has marked it expired.
        or(
          eq(bedReservations.status, 'accepted'),
          and(eq(bedReservations.status, 'held'), gt(bedReservations.holdExpiresAt, opts.now)),
        ),
      ),
    )
    .groupBy(beds.unitId);

  // Beds booked ahead whose stay overlaps the window: the forecast counts each on the shifts it spans.
  const booked = await db
    .select({ unitId: bedBookings.unitId, fromAt: bedBookings.fromAt, untilAt: bedBookings.untilAt })
    .from(bedBookings)
    .where(
      and(
        inArray(bedBookings.unitId, unitIds),
        eq(bedBookings.status, 'booked'),
        lt(bedBookings.fromAt, opts.to),
        gt(bedBookings.untilAt, opts.from),
      ),
    );

  const census = new Map<
    string,
    {
      occupants: number;
      pendingDischarges: Date[];
      scheduledAdmissions: number;
      bookedStays: { fromAt: Date; untilAt: Date }[];
    }
  >();
  const unitCensus = (id: string) => {
    const known = census.get(id);
    if (known) return known;
    const fresh = {
      occupants: 0,
      pendingDischarges: [] as Date[],
      scheduledAdmissions: 0,
      bookedStays: [] as { fromAt: Date; untilAt: Date }[],
    };
    census.set(id, fresh);
    return fresh;
  };
  // A patient with two in-progress encounters that both expect a discharge is one occupant: the earliest.
  const byBed = new Map<string, { unitId: string; at: Date | null }>();
  for (const row of occupied) {
    const seen = byBed.get(row.bedId);
    const at = row.expectedDischargeAt;
    if (!seen) byBed.set(row.bedId, { unitId: row.unitId, at });
    else if (at && (!seen.at || at < seen.at)) seen.at = at;
  }
  for (const { unitId, at } of byBed.values()) {
    const c = unitCensus(unitId);
    c.occupants += 1;
    if (at) c.pendingDischarges.push(at);
  }
  for (const row of reserved) unitCensus(row.unitId).scheduledAdmissions += row.n;
  for (const { unitId, fromAt, untilAt } of booked) unitCensus(unitId).bookedStays.push({ fromAt, untilAt });

  const shiftRows = await db
    .select({
      staffId: shifts.staffId,
      unitId: shifts.unitId,
      kind: shifts.kind,
      startsAt: shifts.startsAt,
      endsAt: shifts.endsAt,
      role: staff.role,
    })
    .from(shifts)
    .innerJoin(staff, eq(staff.id, shifts.staffId))
    .where(
      and(
        inArray(shifts.unitId, unitIds),
        inArray(shifts.status, ['scheduled', 'worked']),
        lt(shifts.startsAt, opts.to),
        gt(shifts.endsAt, opts.from),
      ),
    );
  const staffIds = [...new Set(shiftRows.map((s) => s.staffId))];
  const skillRows =
    staffIds.length === 0
      ? []
      : await db
          .select({
            staffId: staffSkills.staffId,
            skill: staffSkills.skill,
            certifiedUntil: staffSkills.certifiedUntil,
          })
          .from(staffSkills)
          .where(inArray(staffSkills.staffId, staffIds));
  const nurses = new Map<
    string,
    RosteredNurse & { skills: { skill: string; certifiedUntil: string | null }[] }
  >();
  for (const s of shiftRows) nurses.set(s.staffId, { staffId: s.staffId, role: s.role, skills: [] });
  for (const k of skillRows)
    nurses.get(k.staffId)?.skills.push({ skill: k.skill, certifiedUntil: k.certifiedUntil });

  return { units: unitRows, census, shifts: shiftRows, nurses };
}
