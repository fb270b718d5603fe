/**
 * The assignment problem read from the database: the requests (given, or every bed request still
 * negotiating) with each patient's age, care specialty and current bed, and the beds of the unit types
 * they accept with their unit's specialty and age limits.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import type { UnitType } from '../../../db/schema/hospital.ts';
import { bedRequests, beds, patients, units } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { bedNeedSchema, type BedNeed } from '../schema.ts';
import { loadBedFacts } from '../store.ts';
import type { AssignableBed, PendingBedRequest, PreferableFeature, RequestPriority } from './model.ts';

export interface RequestInput {
  requestId: string;
  patientId: string;
  need: BedNeed;
  priority: RequestPriority;
  preferredFeatures: readonly PreferableFeature[];
  /** Where the request came from, for an error that names the field: `requests.3` or `pending`. */
  field: string;
}

/** Whole years between a birth date (YYYY-MM-DD) and now, in UTC. */
export function ageInYears(birthDate: string, now: Date): number {
  const [year = 0, month = 1, day = 1] = birthDate.split('-').map(Number);
  const before = now.getUTCMonth() + 1 < month || (now.getUTCMonth() + 1 === month && now.getUTCDate() < day);
  return now.getUTCFullYear() - year - (before ? 1 : 0);
}

/**
 * Every bed request with status negotiating, oldest first. A patient with two such requests is planned
 * once, for the older one; the others are returned apart, as `repeated`.
 */
export async function loadNegotiatingRequests(db: DbOrTx) {
  const rows = await db
    .select()
    .from(bedRequests)
    .where(eq(bedRequests.status, 'negotiating'))
    .orderBy(asc(bedRequests.createdAt), asc(bedRequests.id));
  const first = new Map<string, string>();
  const requests: RequestInput[] = [];
  const repeated: { requestId: string; patientId: string; reason: string }[] = [];
  for (const row of rows) {
    const earlier = first.get(row.patientId);
    if (earlier) {
      repeated.push({
        requestId: row.id,
        patientId: row.patientId,
        reason: `patient ${row.patientId} also has the older request ${earlier}, which is planned instead`,
      });
      continue;
    }
    first.set(row.patientId, row.id);
    requests.push({
      requestId: row.id,
      patientId: row.patientId,
      need: bedNeedSchema.parse(row.need),
      priority: row.priority,
      preferredFeatures: [],
      field: 'pending',
    });
  }
  return { requests, repeated };
}

/** Adds each patient's age, care specialty and current bed; an unknown patient is a not_found error. */
export async function describeRequests(
  db: DbOrTx,
  inputs: readonly RequestInput[],
  now: Date,
): Promise<PendingBedRequest[]> {
  const ids = [...new Set(inputs.map((r) => r.patientId))];
  if (ids.length === 0) return [];
  const people = new Map(
    (
      await db
        .select({ id: patients.id, birthDate: patients.birthDate, careSpecialty: patients.careSpecialty })
        .from(patients)
        .where(inArray(patients.id, ids))
    ).map((p) => [p.id, p]),
  );
  const occupied = new Map(
    (
      await db
        .select({ id: beds.id, patientId: beds.occupantPatientId })
        .from(beds)
        .where(inArray(beds.occupantPatientId, ids))
    ).map((b) => [b.patientId, b.id]),
  );
  return inputs.map((input) => {
    const patient = people.get(input.patientId);
    if (!patient) {
      const field = input.field === 'pending' ? 'pending' : `${input.field}.patientId`;
      const where = input.field === 'pending' ? `bed request ${input.requestId} names` : 'no';
      throw new OperationError('not_found', `No patient ${input.patientId}`, [
        { field, message: `${where} unknown patient ${input.patientId}` },
      ]);
    }
    return {
      requestId: input.requestId,
      patientId: input.patientId,
      need: input.need,
      priority: input.priority,
      specialty: patient.careSpecialty,
      ageYears: ageInYears(patient.birthDate, now),
      preferredFeatures: input.preferredFeatures,
      currentBedId: occupied.get(input.patientId) ?? null,
    };
  });
}

/** The beds of these unit types, as loadBedFacts sees them now, with their unit's specialty and age limits. */
export async function loadAssignableBeds(
  db: DbOrTx,
  unitTypes: readonly UnitType[],
  now: Date,
): Promise<AssignableBed[]> {
  if (unitTypes.length === 0) return [];
  const facts = await loadBedFacts(db, unitTypes, now);
  const unitRows = await db
    .select({
      id: units.id,
      specialty: units.specialty,
      minAgeYears: units.minAgeYears,
      maxAgeYears: units.maxAgeYears,
    })
    .from(units)
    .where(inArray(units.type, [...unitTypes]));
  const unitOf = new Map(unitRows.map((u) => [u.id, u]));
  return facts.map((bed) => {
    const unit = unitOf.get(bed.unitId);
    return {
      ...bed,
      unitSpecialty: unit?.specialty ?? null,
      unitMinAgeYears: unit?.minAgeYears ?? null,
      unitMaxAgeYears: unit?.maxAgeYears ?? null,
    };
  });
}
