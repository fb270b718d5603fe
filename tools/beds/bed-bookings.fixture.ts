import type { Database } from '../../db/client.ts';
import { bedBookings, bedReservations, beds, encounters, rooms, units } from '../../db/schema/index.ts';
import { addTestPatients } from './admissions.fixture.ts';

// Test setup only: four units whose nights to come the bed-booking tests count. The clock is
// 2026-03-02T10:00Z. calc (step-down, 7 beds, 1 closed) holds stays with expected discharges around
// the night of 2026-03-10, live, lapsed and accepted holds, and other bookings; sa and sb are the
// surgical units (general-surgery, 2 open beds; orthopedics, 3); last is a one-bed ICU.

export const d = (iso: string) => new Date(iso);

/** A unit of `n` beds in one room each; the beds named in `closed` are out of service (HL7 C). */
async function addUnit(
  database: Database,
  id: string,
  type: 'surgical' | 'step-down' | 'icu',
  specialty: string | null,
  n: number,
  closed: number[] = [],
) {
  await database.db.insert(units).values({ id, name: `Unit ${id}`, type, floor: 4, specialty });
  const ids = Array.from({ length: n }, (_, i) => `${id}-${i}`);
  await database.db.insert(rooms).values(ids.map((b) => ({ id: `room-${b}`, unitId: id, name: b })));
  await database.db.insert(beds).values(
    ids.map((b, i) => ({
      id: b,
      roomId: `room-${b}`,
      unitId: id,
      label: b,
      status: closed.includes(i) ? ('C' as const) : ('U' as const),
    })),
  );
}

/** Patients p-0 … p-29 and race-0 … race-(racers-1), and the four units. */
export async function bedBookingHospital(database: Database, racers: number) {
  await addTestPatients(database, 'p', 30);
  if (racers > 0) await addTestPatients(database, 'race', racers);
  await addUnit(database, 'calc', 'step-down', null, 7, [6]);
  await addUnit(database, 'sa', 'surgical', 'general-surgery', 3, [2]);
  await addUnit(database, 'sb', 'surgical', 'orthopedics', 3);
  await addUnit(database, 'last', 'icu', null, 1);
  const stay = (
    id: string,
    patientId: string,
    bed: string,
    expected: string | null,
    status: 'in-progress' | 'finished' = 'in-progress',
  ) => ({
    id,
    patientId,
    class: 'IMP' as const,
    status,
    unitId: 'calc',
    bedId: bed,
    startedAt: d('2026-02-28T10:00:00Z'),
    expectedDischargeAt: expected ? d(expected) : null,
  });
  await database.db
    .insert(encounters)
    .values([
      stay('e-a', 'p-0', 'calc-0', null),
      stay('e-b', 'p-1', 'calc-1', '2026-03-10T10:00:00Z'),
      stay('e-c', 'p-2', 'calc-2', '2026-03-11T12:00:00Z'),
      stay('e-h', 'p-3', 'calc-3', '2026-03-10T23:59:00Z'),
      stay('e-i', 'p-4', 'calc-3', '2026-03-11T00:00:00Z'),
      stay('e-d', 'p-5', 'calc-4', null, 'finished'),
    ]);
  const hold = (
    id: string,
    bedId: string,
    patientId: string,
    status: 'held' | 'accepted',
    expires: string,
  ) => ({
    id,
    bedId,
    patientId,
    status,
    reason: 'test',
    holdExpiresAt: d(expires),
    createdAt: d('2026-03-02T09:00:00Z'),
    createdBy: 'test',
  });
  await database.db
    .insert(bedReservations)
    .values([
      hold('r-live', 'calc-4', 'p-6', 'held', '2026-03-02T11:00:00Z'),
      hold('r-lapsed', 'calc-5', 'p-7', 'held', '2026-03-02T09:30:00Z'),
      hold('r-accepted', 'calc-6', 'p-8', 'accepted', '2026-03-02T09:30:00Z'),
    ]);
  const booking = (id: string, status: 'booked' | 'released', from: string, until: string) => ({
    id,
    unitId: 'calc',
    patientId: 'p-9',
    purpose: 'post-op',
    subjectId: id,
    fromAt: d(from),
    untilAt: d(until),
    status,
    createdBy: 'test',
    createdAt: d('2026-03-01T10:00:00Z'),
  });
  await database.db
    .insert(bedBookings)
    .values([
      booking('bk-other', 'booked', '2026-03-11T08:00:00Z', '2026-03-13T09:00:00Z'),
      booking('bk-released', 'released', '2026-03-09T08:00:00Z', '2026-03-14T09:00:00Z'),
      booking('bk-before', 'booked', '2026-03-09T08:00:00Z', '2026-03-10T18:00:00Z'),
    ]);
}
