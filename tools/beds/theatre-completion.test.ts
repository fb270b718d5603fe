import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { encounters, jobs, revenueTasks, theatreBookings } from '../../db/schema/index.ts';
import { miniHospital } from '../../evals/hospital.ts';
import { createTestDatabase } from '../../test/db.ts';
import { refusal } from '../../test/refusal.ts';
import { systemActor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { invokeOperation } from '../core/operation.ts';
import { REVENUE_QUEUE } from '../revenue/tasks.ts';
import { revenueWard } from '../revenue/test-fixtures.ts';
import { completeTheatreBooking } from './theatre-completion.ts';

let database: Database;
const clock = new ManualClock('2026-03-12T12:00:00Z');
const complete = (bookingId: string) =>
  invokeOperation(completeTheatreBooking, { bookingId }, { database, clock, actor: systemActor }) as Promise<{
    status: string;
    encounterId: string | null;
    revenueTaskId: string | null;
    replayed: boolean;
  }>;

const booking = (
  id: string,
  patientId: string,
  day: number,
  hour: number,
  status: 'booked' | 'cancelled' = 'booked',
) => ({
  id,
  theatreId: 'th-1',
  patientId,
  procedure: 'Knee arthroscopy',
  surgeonStaffId: 'stf-surgeon',
  startsAt: new Date(Date.UTC(2026, 2, day, hour)),
  endsAt: new Date(Date.UTC(2026, 2, day, hour + 1)),
  turnoverEndsAt: new Date(Date.UTC(2026, 2, day, hour + 1, 30)),
  status,
  createdBy: 'test',
  createdAt: new Date('2026-03-01T00:00:00Z'),
  updatedAt: new Date('2026-03-01T00:00:00Z'),
});

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  // Bo's day-surgery visit on the 11th; Ada an inpatient on the 11th; a cancelled case; a future one.
  await database.db.insert(encounters).values([
    {
      id: 'enc-bo-day',
      patientId: 'pat-2',
      class: 'AMB',
      status: 'in-progress',
      startedAt: new Date('2026-03-11T07:00:00Z'),
    },
    {
      id: 'enc-ada-stay',
      patientId: 'pat-1',
      class: 'IMP',
      status: 'in-progress',
      startedAt: new Date('2026-03-10T07:00:00Z'),
    },
  ]);
  await database.db
    .insert(theatreBookings)
    .values([
      booking('tb-bo-day', 'pat-2', 11, 8),
      booking('tb-ada', 'pat-1', 11, 10),
      booking('tb-cancelled', 'pat-2', 11, 13, 'cancelled'),
      booking('tb-future', 'pat-2', 14, 8),
    ]);
});

describe('complete_theatre_booking', () => {
  it('completes an outpatient case and starts the revenue agent on its encounter, once', async () => {
    const done = await complete('tb-bo-day');
    expect(done).toMatchObject({ status: 'completed', encounterId: 'enc-bo-day', replayed: false });
    const tasks = await database.db
      .select()
      .from(revenueTasks)
      .where(eq(revenueTasks.subjectId, 'enc-bo-day'));
    expect(tasks.map((t) => [t.id, t.kind, t.status])).toEqual([
      [done.revenueTaskId, 'bill-encounter', 'open'],
    ]);
    const queued = await database.db.select().from(jobs).where(eq(jobs.queue, REVENUE_QUEUE));
    expect(queued.map((j) => j.payload)).toEqual([{ taskId: done.revenueTaskId }]);

    const again = await complete('tb-bo-day');
    expect(again).toMatchObject({ status: 'completed', replayed: true, revenueTaskId: null });
    expect(await database.db.select().from(jobs).where(eq(jobs.queue, REVENUE_QUEUE))).toHaveLength(1);
  });

  it('leaves an inpatient’s surgery to be billed with the stay at discharge', async () => {
    const done = await complete('tb-ada');
    expect(done).toMatchObject({ status: 'completed', encounterId: 'enc-ada-stay', revenueTaskId: null });
    expect(
      await database.db.select().from(revenueTasks).where(eq(revenueTasks.subjectId, 'enc-ada-stay')),
    ).toHaveLength(0);
  });

  it('refuses a cancelled case, a case not yet started and an unknown booking, writing nothing', async () => {
    for (const id of ['tb-cancelled', 'tb-future']) {
      const err = await refusal(complete(id));
      expect(err.code).toBe('conflict');
      expect(err.issues.map((i) => i.field)).toEqual(['bookingId']);
    }
    expect((await refusal(complete('tb-nope'))).code).toBe('not_found');
    const [future] = await database.db
      .select()
      .from(theatreBookings)
      .where(eq(theatreBookings.id, 'tb-future'));
    expect(future!.status).toBe('booked');
  });
});
