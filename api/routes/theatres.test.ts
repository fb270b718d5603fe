import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { theatres } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { rowCount } from '../../test/mcp.ts';
import { startTestService } from '../../test/service.ts';
import { ManualClock } from '../../tools/core/clock.ts';

let database: Database;
let svc: Awaited<ReturnType<typeof startTestService>>;
const clock = new ManualClock('2026-03-02T10:00:00Z');

type Booking = {
  bookingId: string;
  startsAt: string;
  turnoverEndsAt: string;
  status: string;
  replayed: boolean;
};
type Problem = { status: number; detail: string; errors: { field: string; message: string }[] };

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await database.db.insert(theatres).values([
    { id: 'thr-1', name: 'Theatre 1', unitId: 'unit-ms', specialty: 'general-surgery', turnoverMinutes: 30 },
    { id: 'thr-2', name: 'Emergency Theatre', unitId: 'unit-ms', specialty: null, turnoverMinutes: 45 },
  ]);
  svc = await startTestService(database, clock, { worker: false });
});

const case1 = {
  patientId: 'pat-1',
  procedure: 'laparoscopic cholecystectomy',
  surgeonStaffId: 'stf-endo',
  startsAt: '2026-03-03T08:00:00Z',
  durationMinutes: 90,
  bookingId: 'case-http-0001',
};

describe('GET /v1/theatres', () => {
  it('lists the theatres, the same JSON as the list_theatres operation', async () => {
    const res = await svc.call('GET', '/v1/theatres', svc.keys.staff);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { theatres: { theatreId: string }[] };
    expect(body.theatres.map((t) => t.theatreId)).toEqual(['thr-1', 'thr-2']);
    const viaOp = await svc.call('POST', '/v1/ops/list_theatres', svc.keys.admin, {});
    expect(await viaOp.json()).toEqual(body);
  });

  it('refuses a patient-app key (403) and no key (401) with problem+json', async () => {
    const res = await svc.call('GET', '/v1/theatres', svc.keys.patient1);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await svc.call('GET', '/v1/theatres', null)).status).toBe(401);
  });
});

describe('booking, schedule, reschedule and cancel over HTTP', () => {
  let booked: Booking;

  it('books with 201, and a retry with the same bookingId answers 200 with the same booking', async () => {
    const res = await svc.call('POST', '/v1/theatres/thr-1/bookings', svc.keys.staff, case1);
    expect(res.status).toBe(201);
    booked = (await res.json()) as Booking;
    expect(booked).toMatchObject({
      bookingId: 'case-http-0001',
      theatreId: 'thr-1',
      startsAt: '2026-03-03T08:00:00.000Z',
      turnoverEndsAt: '2026-03-03T10:00:00.000Z',
      replayed: false,
    });
    const retry = await svc.call('POST', '/v1/theatres/thr-1/bookings', svc.keys.staff, case1);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ...booked, replayed: true });
  });

  it('answers an overlap with 409 naming the booking in the way', async () => {
    const res = await svc.call('POST', '/v1/theatres/thr-1/bookings', svc.keys.staff, {
      ...case1,
      bookingId: undefined,
      patientId: 'pat-2',
      startsAt: '2026-03-03T09:45:00Z',
    });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = (await res.json()) as Problem;
    expect(problem.detail).toContain('booking case-http-0001 runs 2026-03-03T08:00:00.000Z');
    expect(problem.errors).toEqual([{ field: 'startsAt', message: 'overlaps booking case-http-0001' }]);
  });

  it.each([
    ['/v1/theatres/thr-9/bookings', { ...case1, bookingId: undefined }, 404, 'theatreId'],
    ['/v1/theatres/thr-1/bookings', { ...case1, bookingId: undefined, patientId: 'pat-9' }, 404, 'patientId'],
    [
      '/v1/theatres/thr-1/bookings',
      { ...case1, bookingId: undefined, startsAt: '2026-03-01T08:00:00Z' },
      422,
      'startsAt',
    ],
    [
      '/v1/theatres/thr-1/bookings',
      { ...case1, bookingId: undefined, surgeonStaffId: 'stf-nurse' },
      422,
      'surgeonStaffId',
    ],
    ['/v1/theatre-bookings/nope/cancel', { reason: 'typo fix' }, 404, 'bookingId'],
    ['/v1/theatre-bookings/case-http-0001/cancel', {}, 422, 'reason'],
  ])('POST %s answers %#: %i naming %s, and writes nothing', async (path, body, status, field) => {
    const before = await Promise.all([
      rowCount(database, 'audit_log'),
      rowCount(database, 'theatre_bookings'),
    ]);
    const res = await svc.call('POST', path, svc.keys.staff, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await res.json()) as Problem).errors.map((e) => e.field)).toContain(field);
    expect(
      await Promise.all([rowCount(database, 'audit_log'), rowCount(database, 'theatre_bookings')]),
    ).toEqual(before);
  });

  it('answers a body that is not JSON with 422', async () => {
    const res = await svc.call('POST', '/v1/theatres/thr-1/bookings', svc.keys.staff, '{not json');
    expect(res.status).toBe(422);
  });

  it('shows the booking in the theatre’s schedule; bad query values are named', async () => {
    const res = await svc.call(
      'GET',
      '/v1/theatres/thr-1/schedule?from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z',
      svc.keys.staff,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { bookings: Booking[] };
    expect(body.bookings.map((b) => b.bookingId)).toEqual(['case-http-0001']);
    const bad = await svc.call('GET', '/v1/theatres/thr-1/schedule?from=monday', svc.keys.staff);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Problem).errors.map((e) => e.field)).toEqual(['from']);
  });

  it('offers free slots around it', async () => {
    const res = await svc.call(
      'GET',
      '/v1/theatre-slots?durationMinutes=60&theatreId=thr-1&from=2026-03-03T07:00:00Z&limit=1',
      svc.keys.staff,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { slots: { startsAt: string; latestStartsAt: string }[] };
    expect(body.slots).toEqual([
      expect.objectContaining({
        startsAt: '2026-03-03T10:00:00.000Z',
        latestStartsAt: '2026-03-03T19:00:00.000Z',
      }),
    ]);
    const bad = await svc.call('GET', '/v1/theatre-slots?durationMinutes=soon', svc.keys.staff);
    expect(((await bad.json()) as Problem).errors.map((e) => e.field)).toEqual(['durationMinutes']);
  });

  it('reschedules to another theatre; a clash leaves the booking as it was', async () => {
    await svc.call('POST', '/v1/theatres/thr-2/bookings', svc.keys.staff, {
      ...case1,
      bookingId: 'case-http-0002',
      patientId: 'pat-2',
      startsAt: '2026-03-03T12:00:00Z',
    });
    const clash = await svc.call('POST', '/v1/theatre-bookings/case-http-0001/reschedule', svc.keys.staff, {
      theatreId: 'thr-2',
      startsAt: '2026-03-03T13:00:00Z',
      reason: 'theatre 1 closed for maintenance',
    });
    expect(clash.status).toBe(409);
    const [still] =
      await database.sql`select status, theatre_id from theatre_bookings where id = 'case-http-0001'`;
    expect(still).toEqual({ status: 'booked', theatre_id: 'thr-1' });

    const res = await svc.call('POST', '/v1/theatre-bookings/case-http-0001/reschedule', svc.keys.staff, {
      theatreId: 'thr-2',
      startsAt: '2026-03-03T15:00:00Z',
      reason: 'theatre 1 closed for maintenance',
    });
    expect(res.status).toBe(200);
    const moved = (await res.json()) as { previous: { rescheduledTo: string }; booking: Booking };
    expect(moved.previous.rescheduledTo).toBe(moved.booking.bookingId);
    expect(moved.booking).toMatchObject({ theatreId: 'thr-2', turnoverEndsAt: '2026-03-03T17:15:00.000Z' });
  });

  it('cancels, and cancelling again is harmless', async () => {
    const first = await svc.call('POST', '/v1/theatre-bookings/case-http-0002/cancel', svc.keys.staff, {
      reason: 'patient declined',
    });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'cancelled', replayed: false });
    const again = await svc.call('POST', '/v1/theatre-bookings/case-http-0002/cancel', svc.keys.staff, {
      reason: 'patient declined',
    });
    expect(await again.json()).toMatchObject({ status: 'cancelled', replayed: true });
    const audit =
      await database.sql`select tool, actor from audit_log where tool like '%theatre%' order by seq`;
    expect(audit.map((a) => a.tool)).toEqual([
      'book_theatre',
      'book_theatre',
      'reschedule_theatre_booking',
      'cancel_theatre_booking',
    ]);
  });
});
