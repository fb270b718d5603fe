import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { surgeryAgent } from '../../agents/surgery/run.ts';
import { SURGERY_NOW, surgeryHospital } from '../../agents/surgery/test-fixtures.ts';
import type { Database } from '../../db/client.ts';
import { auditLog, jobs, stockReservations, surgeryRequests } from '../../db/schema/index.ts';
import { refusal } from '../../test/refusal.ts';
import { createTestDatabase } from '../../test/db.ts';
import { systemActor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../core/operation.ts';
import { reserveStock } from '../inventory/dispense-operations.ts';
import { releaseStockReservationsFor } from '../inventory/release-operations.ts';
import { cancelSurgery, requestSurgery } from './operations.ts';
import { recordSurgeryPlan } from './record-operation.ts';
import type { SurgeryRequestView } from './store.ts';

let database: Database;
let hospital: Awaited<ReturnType<typeof surgeryHospital>>;
const clock = new ManualClock(SURGERY_NOW);

beforeAll(async () => {
  database = await createTestDatabase(4);
  hospital = await surgeryHospital(database);
});

const call = <T>(op: AnyOperation, input: unknown, actor = systemActor) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<T>;

/** Refused with this code, naming this field. */
async function expectRefusal(p: Promise<unknown>, code: string, field: string) {
  const err = await refusal(p);
  expect(err.code).toBe(code);
  expect(err.issues.map((i) => i.field)).toContain(field);
}

const valid = () => ({
  patientId: hospital.patientId,
  procedureCode: '47562',
  surgeonStaffId: hospital.generalSurgeons[0]!,
  diagnosisCodes: ['K80.10'],
});

describe('request_surgery', () => {
  it('stores the request with its indication and wakes the orchestration in one transaction', async () => {
    const r = await call<SurgeryRequestView & { replayed: boolean }>(requestSurgery, {
      ...valid(),
      requestId: 'sr-test-one',
    });
    expect(r).toMatchObject({ status: 'planning', diagnosisCodes: ['K80.10'], replayed: false });
    expect(Date.parse(r.latestAt) - Date.parse(r.earliestAt)).toBe(14 * 86_400_000);
    const queued = await database.db.select().from(jobs).where(eq(jobs.queue, 'surgery'));
    expect(queued.map((j) => j.payload)).toContainEqual({ requestId: 'sr-test-one' });
    const again = await call<{ replayed: boolean }>(requestSurgery, { ...valid(), requestId: 'sr-test-one' });
    expect(again.replayed).toBe(true);
    await expectRefusal(
      call(requestSurgery, { ...valid(), procedureCode: '49505', requestId: 'sr-test-one' }),
      'conflict',
      'requestId',
    );
  });

  it('refuses bad requests naming the field, and writes nothing', async () => {
    const before = (await database.db.select().from(surgeryRequests)).length;
    const audited = (await database.db.select().from(auditLog)).length;
    await expectRefusal(
      call(requestSurgery, { ...valid(), procedureCode: '99999' }),
      'not_found',
      'procedureCode',
    );
    await expectRefusal(
      call(requestSurgery, { ...valid(), surgeonStaffId: hospital.anaesthetists[0] }),
      'invalid',
      'surgeonStaffId',
    );
    await expectRefusal(
      call(requestSurgery, { ...valid(), diagnosisCodes: ['K80'] }),
      'invalid',
      'diagnosisCodes.0',
    );
    await expectRefusal(
      call(requestSurgery, { ...valid(), earliestAt: '2026-03-01T08:00:00Z' }),
      'invalid',
      'earliestAt',
    );
    await expectRefusal(
      call(requestSurgery, {
        ...valid(),
        earliestAt: '2026-03-05T08:00:00Z',
        latestAt: '2026-03-04T08:00:00Z',
      }),
      'invalid',
      'latestAt',
    );
    await expectRefusal(
      call(requestSurgery, { ...valid(), patientId: 'pat-none' }),
      'not_found',
      'patientId',
    );
    expect((await database.db.select().from(surgeryRequests)).length).toBe(before);
    expect((await database.db.select().from(auditLog)).length).toBe(audited);
  });
});

describe('the orchestration’s record and the office’s cancellation', () => {
  it('moves a request only along its life: booked needs a plan, a cancelled one cannot be booked', async () => {
    const r = await call<SurgeryRequestView>(requestSurgery, valid());
    await expectRefusal(
      call(recordSurgeryPlan, { requestId: r.requestId, status: 'booked' }, surgeryAgent),
      'invalid',
      'plan',
    );
    await expectRefusal(
      call(recordSurgeryPlan, { requestId: r.requestId, status: 'billed' }, surgeryAgent),
      'conflict',
      'status',
    );
    await call(cancelSurgery, { requestId: r.requestId, reason: 'patient declined' });
    const plan = {
      theatreBookingId: 'x-booking-1',
      theatreId: 'thr-01',
      startsAt: '2026-03-02T08:00:00.000Z',
      endsAt: '2026-03-02T09:30:00.000Z',
      reservations: [],
      team: [],
      bedBooking: null,
    };
    await expectRefusal(
      call(recordSurgeryPlan, { requestId: r.requestId, status: 'booked', plan }, surgeryAgent),
      'conflict',
      'status',
    );
    const notes = await call<SurgeryRequestView>(
      recordSurgeryPlan,
      { requestId: r.requestId, notes: ['Released nothing'] },
      surgeryAgent,
    );
    expect(notes).toMatchObject({ status: 'cancelled', notes: ['Released nothing'] });
  });
});

describe('release_stock_reservations_for', () => {
  it('releases every held reservation of the subject and nothing else; again, releases nothing', async () => {
    const reserve = (subjectId: string, itemId: string) =>
      call(reserveStock, {
        itemId,
        locationId: 'loc-thr-01',
        quantity: 1,
        purpose: 'surgery',
        subjectId,
        neededAt: '2026-03-03T08:00:00Z',
      });
    await reserve('sr-a', 'itm-propofol');
    await reserve('sr-a', 'itm-fentanyl');
    await reserve('sr-b', 'itm-propofol');
    const first = await call<{ released: { subjectId: string }[] }>(releaseStockReservationsFor, {
      purpose: 'surgery',
      subjectId: 'sr-a',
      reason: 'plan given up',
    });
    expect(first.released.map((r) => r.subjectId)).toEqual(['sr-a', 'sr-a']);
    const held = await database.db
      .select()
      .from(stockReservations)
      .where(eq(stockReservations.status, 'held'));
    expect(held.map((r) => r.subjectId)).toEqual(['sr-b']);
    const again = await call<{ released: unknown[] }>(releaseStockReservationsFor, {
      purpose: 'surgery',
      subjectId: 'sr-a',
      reason: 'plan given up',
    });
    expect(again.released).toEqual([]);
  });
});
