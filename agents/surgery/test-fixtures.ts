import { and, eq, like } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  encounters,
  inventoryLocations,
  patients,
  procedureItems,
  staff,
  stockLots,
  stockReservations,
  surgicalTeamAssignments,
  theatreBookings,
  bedBookings,
} from '../../db/schema/index.ts';
import { seedDatabase } from '../../db/seed/write.ts';

/** A Monday morning two months after the seed's epoch, before the theatres open. */
export const SURGERY_NOW = '2026-03-02T06:00:00.000Z';

/**
 * The small demo hospital (theatres, surgeons, anaesthetists, perioperative nurses, procedures and
 * stores), with every theatre store topped up with a fresh lot of each item a procedure uses, so the
 * seed's random expiries decide nothing here.
 */
export async function surgeryHospital(database: Database) {
  await seedSurgeryHospital(database);
  return surgeryHospitalFacts(database);
}

/** Writes the hospital: apart from the facts, so the evals write it once into a template. */
export async function seedSurgeryHospital(database: Database): Promise<void> {
  await seedDatabase(database, { seed: 7, size: 'small' });
  const db = database.db;
  const stores = await db
    .select()
    .from(inventoryLocations)
    .where(eq(inventoryLocations.kind, 'theatre-store'));
  const used = [...new Set((await db.select().from(procedureItems)).map((p) => p.itemId))].filter(
    (i) => i !== 'itm-knee-implant-b',
  );
  await db.insert(stockLots).values(
    stores.flatMap((s) =>
      used.map((itemId) => ({
        id: `lot-test-${s.id}-${itemId}`,
        itemId,
        locationId: s.id,
        lotNumber: `TEST-${itemId}`,
        expiresOn: '2027-12-31',
        quantity: 40,
        receivedAt: new Date('2026-02-01T00:00:00Z'),
      })),
    ),
  );
}

/** Whom the tests name: the first patient and the physicians by specialty. */
export async function surgeryHospitalFacts(database: Database) {
  const db = database.db;
  const surgeons = await db.select().from(staff).where(eq(staff.role, 'physician'));
  const [patient] = await db.select().from(patients).orderBy(patients.id).limit(1);
  const of = (specialty: string) =>
    surgeons
      .filter((s) => s.specialty === specialty)
      .map((s) => s.id)
      .sort();
  return {
    patientId: patient!.id,
    generalSurgeons: of('general-surgery'),
    orthopaedicSurgeons: of('orthopaedics'),
    anaesthetists: of('anaesthesia'),
  };
}

/** The patient arrives for the case: an encounter in progress, as admission would record it. */
export async function admitForCase(
  database: Database,
  patientId: string,
  cls: 'AMB' | 'IMP',
  at: Date,
  attendingId: string,
): Promise<string> {
  const id = `enc-case-${patientId}-${at.getTime()}`;
  await database.db
    .insert(encounters)
    .values({ id, patientId, class: cls, status: 'in-progress', startedAt: at, attendingId });
  return id;
}

/** Everything still held for a request, by module: what compensation must leave empty. */
export async function heldFor(database: Database, requestId: string) {
  const db = database.db;
  const stock = await db
    .select()
    .from(stockReservations)
    .where(and(eq(stockReservations.subjectId, requestId), eq(stockReservations.status, 'held')));
  const team = await db
    .select()
    .from(surgicalTeamAssignments)
    .where(
      and(eq(surgicalTeamAssignments.subjectId, requestId), eq(surgicalTeamAssignments.status, 'assigned')),
    );
  const beds = await db
    .select()
    .from(bedBookings)
    .where(and(eq(bedBookings.subjectId, requestId), eq(bedBookings.status, 'booked')));
  const theatres = await db
    .select()
    .from(theatreBookings)
    .where(and(eq(theatreBookings.status, 'booked'), like(theatreBookings.id, `${requestId}.%`)));
  return { stock: stock.length, team: team.length, beds: beds.length, theatres: theatres.length };
}
