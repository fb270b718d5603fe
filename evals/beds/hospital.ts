import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { beds, encounters, patients, rooms, staff, units } from '../../db/schema/index.ts';

/**
 * The bed suite's hospital, written directly (independent of the seed generator) so that every
 * scenario knows which bed should win. Four units; rooms with sex policies and isolation; telemetry
 * and bariatric beds; a charge nurse per unit, a ward nurse and a bed manager; free patients of both
 * sexes (and one of unknown sex) waiting for beds, and three inpatients, two with a pending discharge.
 *
 * What find_candidate_beds ranks first, all beds free (rank: fallback unit 100, spare isolation 10 per
 * level, unneeded telemetry 5, unneeded bariatric 3, merely clean rather than inspected 1, then bed id):
 *
 *   med-surg, male:    ms-m2 (inspected) · ms-m1 · ms-b1 (bariatric) · ms-t1 (telemetry) · ms-c1 (contact)
 *   med-surg, female:  ms-f1 · ms-f2 · ms-b1 · ms-t1 · ms-c1
 *   telemetry + tele:  tele-m1 · tele-m2 (male) / tele-f1 · tele-f2 (female); tele-a has no monitor
 *   step-down:         sd-1a · sd-1b · sd-c (contact) · sd-neg (airborne)
 *   icu:               icu-1 · icu-2 · icu-neg (airborne); every ICU bed has telemetry
 */
export async function bedHospital(database: Database) {
  const db = database.db;
  await db.insert(units).values([
    { id: 'unit-icu', name: 'ICU', type: 'icu', floor: 2 },
    { id: 'unit-sd', name: 'Step-Down 4', type: 'step-down', floor: 4 },
    { id: 'unit-tele', name: 'Telemetry 5', type: 'telemetry', floor: 5 },
    { id: 'unit-ms', name: 'Med-Surg 3', type: 'med-surg', floor: 3 },
  ]);
  const room = (id: string, unitId: string, sexPolicy: 'mixed' | 'male' | 'female', isolation = 'none') => ({
    id,
    unitId,
    name: id.replace('room-', '').toUpperCase(),
    sexPolicy,
    isolation: isolation as 'none' | 'contact' | 'airborne',
  });
  await db
    .insert(rooms)
    .values([
      room('room-icu-1', 'unit-icu', 'mixed'),
      room('room-icu-2', 'unit-icu', 'mixed'),
      room('room-icu-neg', 'unit-icu', 'mixed', 'airborne'),
      room('room-sd-1', 'unit-sd', 'mixed'),
      room('room-sd-c', 'unit-sd', 'mixed', 'contact'),
      room('room-sd-neg', 'unit-sd', 'mixed', 'airborne'),
      room('room-tele-a', 'unit-tele', 'mixed'),
      room('room-tele-m', 'unit-tele', 'male'),
      room('room-tele-f', 'unit-tele', 'female'),
      room('room-ms-m', 'unit-ms', 'male'),
      room('room-ms-f', 'unit-ms', 'female'),
      room('room-ms-c', 'unit-ms', 'mixed', 'contact'),
      room('room-ms-b', 'unit-ms', 'mixed'),
      room('room-ms-t', 'unit-ms', 'mixed'),
      room('room-ms-x', 'unit-ms', 'mixed'),
    ]);
  const bed = (id: string, roomId: string, extra: Partial<typeof beds.$inferInsert> = {}) => ({
    id,
    roomId,
    unitId: `unit-${id.split('-')[1]}`,
    label: id.replace('bed-', '').toUpperCase(),
    ...extra,
  });
  const tele = { telemetry: true };
  await db
    .insert(beds)
    .values([
      bed('bed-icu-1', 'room-icu-1', tele),
      bed('bed-icu-2', 'room-icu-2', tele),
      bed('bed-icu-neg', 'room-icu-neg', tele),
      bed('bed-sd-1a', 'room-sd-1', tele),
      bed('bed-sd-1b', 'room-sd-1', tele),
      bed('bed-sd-c', 'room-sd-c', tele),
      bed('bed-sd-neg', 'room-sd-neg', tele),
      bed('bed-tele-a', 'room-tele-a'),
      bed('bed-tele-m1', 'room-tele-m', tele),
      bed('bed-tele-m2', 'room-tele-m', tele),
      bed('bed-tele-f1', 'room-tele-f', tele),
      bed('bed-tele-f2', 'room-tele-f', tele),
      bed('bed-ms-m1', 'room-ms-m'),
      bed('bed-ms-m2', 'room-ms-m', { housekeeping: 'inspected' }),
      bed('bed-ms-m3', 'room-ms-m', { status: 'O', occupantPatientId: 'pat-in-2' }),
      bed('bed-ms-f1', 'room-ms-f'),
      bed('bed-ms-f2', 'room-ms-f'),
      bed('bed-ms-f3', 'room-ms-f', { status: 'O', occupantPatientId: 'pat-in-3' }),
      bed('bed-ms-c1', 'room-ms-c'),
      bed('bed-ms-b1', 'room-ms-b', { bariatric: true }),
      bed('bed-ms-t1', 'room-ms-t', tele),
      bed('bed-ms-x1', 'room-ms-x', { status: 'O', occupantPatientId: 'pat-in-1' }),
    ]);
  await db.insert(staff).values([
    { id: 'stf-charge-icu', name: 'Ike Charge', role: 'charge-nurse', unitId: 'unit-icu', pager: 'PGR-0101' },
    { id: 'stf-charge-sd', name: 'Sol Charge', role: 'charge-nurse', unitId: 'unit-sd', pager: 'PGR-0102' },
    {
      id: 'stf-charge-tele',
      name: 'Tess Charge',
      role: 'charge-nurse',
      unitId: 'unit-tele',
      pager: 'PGR-0103',
    },
    { id: 'stf-charge-ms', name: 'Cara Charge', role: 'charge-nurse', unitId: 'unit-ms', pager: 'PGR-0104' },
    { id: 'stf-rn-ms', name: 'Nia Nurse', role: 'RN', unitId: 'unit-ms', pager: 'PGR-0105' },
    { id: 'stf-bed-manager', name: 'Bea Manager', role: 'bed-manager', pager: 'PGR-0106' },
  ]);
  const person = (id: string, sex: 'male' | 'female' | 'unknown', n: number) => ({
    id,
    mrn: `MRN-${id}`,
    givenName: `${sex === 'male' ? 'Mark' : sex === 'female' ? 'Fay' : 'Uri'}${n}`,
    familyName: 'Waiting',
    birthDate: `19${50 + n}-0${1 + (n % 9)}-15`,
    sex,
  });
  await db
    .insert(patients)
    .values([
      ...Array.from({ length: 12 }, (_, i) => person(`pat-m${i + 1}`, 'male', i + 1)),
      ...Array.from({ length: 12 }, (_, i) => person(`pat-f${i + 1}`, 'female', i + 1)),
      person('pat-u1', 'unknown', 1),
      { ...person('pat-in-1', 'female', 31), familyName: 'Inpatient' },
      { ...person('pat-in-2', 'male', 32), familyName: 'Inpatient' },
      { ...person('pat-in-3', 'female', 33), familyName: 'Inpatient' },
    ]);
  const since = new Date('2026-02-27T09:00:00Z');
  await db
    .insert(encounters)
    .values([
      stay('enc-in-1', 'pat-in-1', 'bed-ms-x1', since, new Date('2026-03-02T14:00:00Z')),
      stay('enc-in-2', 'pat-in-2', 'bed-ms-m3', since, new Date('2026-03-02T12:00:00Z')),
      stay('enc-in-3', 'pat-in-3', 'bed-ms-f3', since, null),
    ]);
}

function stay(
  id: string,
  patientId: string,
  bedId: string,
  startedAt: Date,
  expectedDischargeAt: Date | null,
) {
  return {
    id,
    patientId,
    class: 'IMP' as const,
    status: 'in-progress' as const,
    unitId: 'unit-ms',
    bedId,
    startedAt,
    expectedDischargeAt,
  };
}

/** The charge nurse who answers for each unit. */
export const chargeNurseOf: Record<string, string> = {
  'unit-icu': 'stf-charge-icu',
  'unit-sd': 'stf-charge-sd',
  'unit-tele': 'stf-charge-tele',
  'unit-ms': 'stf-charge-ms',
};

/** Takes beds out of use (status C, blocked), as a full hospital or a closed bay. */
export async function closeBeds(database: Database, ids: readonly string[]) {
  await database.db.update(beds).set({ status: 'C', housekeeping: 'blocked' }).where(inArray(beds.id, ids));
}

/** Marks beds inspected (housekeeping's last check), which ranks them ahead of merely clean ones. */
export async function inspectBeds(database: Database, ids: readonly string[]) {
  await database.db.update(beds).set({ housekeeping: 'inspected' }).where(inArray(beds.id, ids));
}

/** Puts an inpatient (one of the waiting patients) in a bed, optionally with a pending discharge. */
export async function occupy(
  database: Database,
  bedId: string,
  patientId: string,
  expectedDischargeAt: string | null = null,
) {
  const db = database.db;
  const [row] = await db
    .update(beds)
    .set({ status: 'O', occupantPatientId: patientId })
    .where(inArray(beds.id, [bedId]))
    .returning({ unitId: beds.unitId });
  await db.insert(encounters).values({
    ...stay(randomUUID(), patientId, bedId, new Date('2026-03-01T09:00:00Z'), null),
    unitId: row!.unitId,
    expectedDischargeAt: expectedDischargeAt ? new Date(expectedDischargeAt) : null,
  });
}
