import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { rowCount } from '../../test/mcp.ts';
import { refusal } from '../../test/refusal.ts';
import { verifyAuditChain } from '../audit/chain.ts';
import type { Actor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { invokeOperation, type OperationContext } from '../core/operation.ts';
import { bookBedAhead, listBedBookings, releaseBedBooking } from './bed-booking-operations.ts';
import { bedBookingHospital } from './bed-bookings.fixture.ts';

// The fixture's units (bed-bookings.fixture.ts): calc has 1 free bed the night of 2026-03-10 and 2 the
// nights after; sa 2 open beds (general-surgery), sb 3 (orthopedics), last 1 (ICU).

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const coordinator: Actor = { id: 'staff:bed-manager', kind: 'staff', scopes: ['beds:read', 'beds:write'] };
let ctx: OperationContext;
const RACERS = 8;

type Booking = { bookingId: string; unitId: string; status: string; nights: string[]; replayed: boolean };

beforeAll(async () => {
  database = await createTestDatabase(RACERS + 4);
  await bedBookingHospital(database, RACERS);
  ctx = { database, clock, actor: coordinator };
});

const book = (input: Record<string, unknown>) =>
  invokeOperation(bookBedAhead, { patientId: 'p-10', purpose: 'post-op', ...input }, ctx) as Promise<Booking>;
/** What a refused call must leave exactly as it was. */
const snapshot = () =>
  Promise.all([
    rowCount(database, 'audit_log'),
    database.sql`select id, status from bed_bookings order by id`,
  ]);

describe('book_bed_ahead', () => {
  it('books the best unit of a type, then replays the same call without a second row or audit entry', async () => {
    const input = {
      unitType: 'surgical',
      specialty: 'general-surgery',
      subjectId: 'sr-1',
      fromAt: '2026-03-20T14:00:00Z',
      untilAt: '2026-03-22T10:00:00Z',
    };
    const audits0 = await rowCount(database, 'audit_log');
    const made = await book(input);
    expect(await rowCount(database, 'audit_log')).toBe(audits0 + 1);
    expect(made).toMatchObject({
      unitId: 'sa',
      status: 'booked',
      nights: ['2026-03-20', '2026-03-21'],
      replayed: false,
    });
    const audits = await rowCount(database, 'audit_log');
    const again = await book(input);
    expect(again).toMatchObject({ bookingId: made.bookingId, replayed: true });
    expect(await rowCount(database, 'audit_log')).toBe(audits);
    expect(await rowCount(database, 'bed_bookings')).toBe(4);
  });

  it('moves to the next unit once the specialty’s unit is full, and refuses when every unit is', async () => {
    const span = {
      specialty: 'general-surgery',
      fromAt: '2026-03-20T14:00:00Z',
      untilAt: '2026-03-22T10:00:00Z',
    };
    await book({ ...span, unitId: 'sa', subjectId: 'sr-2', patientId: 'p-11' });
    for (const i of [3, 4, 5]) {
      expect(
        (await book({ ...span, unitType: 'surgical', subjectId: `sr-${i}`, patientId: `p-1${i}` })).unitId,
      ).toBe('sb');
    }
    const before = await snapshot();
    const err = await refusal(book({ ...span, unitType: 'surgical', subjectId: 'sr-6', patientId: 'p-16' }));
    expect(err.code).toBe('conflict');
    // Both units are full; the one named is the first as ranked, the specialty's.
    expect(err.message).toContain('No bed free in Unit sa (sa) on 2 of 2 nights');
    expect(err.message).toContain('night of 2026-03-20: 0 expected + 2 booked of 2 beds');
    expect(err.message).toContain('nor in any other surgical unit');
    expect(err.issues.map((i) => i.field)).toEqual(['unitType', 'unitType']);
    expect(err.issues[1]!.message).toContain('2026-03-21');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses the night a booking would overfill, naming it, even when the other nights have room', async () => {
    const before = await snapshot();
    // calc has one bed on the 10th and two on the 11th and 12th: two bookings from the 11th fit, not from the 10th.
    await book({
      unitId: 'calc',
      subjectId: 'sr-c1',
      fromAt: '2026-03-10T14:00:00Z',
      untilAt: '2026-03-11T10:00:00Z',
    });
    const err = await refusal(
      book({
        unitId: 'calc',
        subjectId: 'sr-c2',
        patientId: 'p-12',
        fromAt: '2026-03-10T14:00:00Z',
        untilAt: '2026-03-13T10:00:00Z',
      }),
    );
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(
      /No bed free in Unit calc \(calc\) on 1 of 3 nights, first the night of 2026-03-10/,
    );
    expect(err.issues).toEqual([{ field: 'unitId', message: expect.stringContaining('2026-03-10') }]);
    await book({
      unitId: 'calc',
      subjectId: 'sr-c2',
      patientId: 'p-12',
      fromAt: '2026-03-11T14:00:00Z',
      untilAt: '2026-03-13T10:00:00Z',
    });
    expect((await snapshot())[1].length).toBe(before[1].length + 2);
  });

  it('refuses a second stay for the same subject, naming the booking to release first', async () => {
    const err = await refusal(
      book({
        unitType: 'surgical',
        subjectId: 'sr-1',
        fromAt: '2026-03-20T14:00:00Z',
        untilAt: '2026-03-23T10:00:00Z',
      }),
    );
    expect(err.code).toBe('conflict');
    expect(err.issues[0]?.field).toBe('subjectId');
    const [first] = await database.sql`select id from bed_bookings where subject_id = 'sr-1'`;
    expect(err.message).toContain(`Booking ${first!.id}`);
  });

  it.each([
    [
      'fromAt in the past',
      { fromAt: '2026-03-02T09:00:00Z', untilAt: '2026-03-04T10:00:00Z' },
      'invalid',
      'fromAt',
    ],
    [
      'untilAt before fromAt',
      { fromAt: '2026-03-04T09:00:00Z', untilAt: '2026-03-03T10:00:00Z' },
      'invalid',
      'untilAt',
    ],
    [
      'no night in the stay',
      { fromAt: '2026-03-04T09:00:00Z', untilAt: '2026-03-04T18:00:00Z' },
      'invalid',
      'untilAt',
    ],
    ['31 nights', { fromAt: '2026-03-04T09:00:00Z', untilAt: '2026-04-04T10:00:00Z' }, 'invalid', 'untilAt'],
    ['both unitId and unitType', { unitType: 'icu' }, 'invalid', 'unitId'],
    ['an unknown unit', { unitId: 'nowhere' }, 'not_found', 'unitId'],
    ['no unit of the type', { unitId: undefined, unitType: 'maternity' }, 'not_found', 'unitType'],
    ['an unknown patient', { patientId: 'nobody' }, 'not_found', 'patientId'],
    ['a bad bookingId', { bookingId: 'x' }, 'invalid', 'bookingId'],
  ])('refuses %s, naming the field and writing nothing', async (_, over, code, field) => {
    const before = await snapshot();
    const input = {
      unitId: 'last',
      subjectId: 'sr-bad',
      fromAt: '2026-03-04T14:00:00Z',
      untilAt: '2026-03-05T10:00:00Z',
      ...over,
    };
    const err = await refusal(book(input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('makes one booking when retries of the same call race each other', async () => {
    const input = {
      unitId: 'sb',
      subjectId: 'sr-retry',
      fromAt: '2026-03-25T14:00:00Z',
      untilAt: '2026-03-26T10:00:00Z',
    };
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => book(input)));
    expect(new Set(outcomes.map((o) => o.bookingId)).size).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
  });

  it('refuses a key bound to another patient, naming patientId', async () => {
    const bound = {
      ...ctx,
      actor: { ...coordinator, id: 'agent:for-p-1', kind: 'agent' as const, patientId: 'p-1' },
    };
    const before = await snapshot();
    const err = await refusal(
      invokeOperation(
        bookBedAhead,
        {
          unitId: 'sb',
          patientId: 'p-2',
          purpose: 'post-op',
          subjectId: 'sr-bound',
          fromAt: '2026-03-25T14:00:00Z',
          untilAt: '2026-03-26T10:00:00Z',
        },
        bound,
      ),
    );
    expect(err.code).toBe('forbidden');
    expect(err.issues[0]?.field).toBe('patientId');
    expect(await snapshot()).toEqual(before);
  });

  it('gives the last bed to exactly one of several bookers racing for it', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: RACERS }, (_, i) =>
        book({
          unitId: 'last',
          patientId: `race-${i}`,
          subjectId: `race-${i}`,
          fromAt: '2026-03-06T14:00:00Z',
          untilAt: '2026-03-08T10:00:00Z',
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    }
    const [{ n }] =
      (await database.sql`select count(*)::int as n from bed_bookings where unit_id = 'last' and status = 'booked'`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(1);
  });
});

describe('release_bed_booking and list_bed_bookings', () => {
  const span = { unitId: 'last', fromAt: '2026-03-15T14:00:00Z', untilAt: '2026-03-16T10:00:00Z' };
  const release = (input: Record<string, unknown>) =>
    invokeOperation(releaseBedBooking, { reason: 'surgery cancelled', ...input }, ctx) as Promise<Booking>;

  it('releases by subject, gives the night back, replays a second release, and lets the subject book again', async () => {
    const made = await book({ ...span, subjectId: 'sr-r1', bookingId: 'bed-booking-r1' });
    await refusal(book({ ...span, subjectId: 'sr-r2', patientId: 'p-20' }));
    const released = await release({ purpose: 'post-op', subjectId: 'sr-r1' });
    expect(released).toMatchObject({ bookingId: made.bookingId, status: 'released', replayed: false });
    const audits = await rowCount(database, 'audit_log');
    expect(await release({ bookingId: 'bed-booking-r1' })).toMatchObject({
      status: 'released',
      replayed: true,
    });
    expect(await rowCount(database, 'audit_log')).toBe(audits);
    expect(
      (await book({ ...span, subjectId: 'sr-r2', patientId: 'p-20', bookingId: 'bed-booking-r2' })).status,
    ).toBe('booked');
    // The released booking's id stays its own: a retry of the first call returns it, released.
    expect(await book({ ...span, subjectId: 'sr-r1', bookingId: 'bed-booking-r1' })).toMatchObject({
      status: 'released',
      replayed: true,
    });
  });

  it.each([
    [{ bookingId: 'no-such-booking' }, 'not_found', 'bookingId'],
    [{ purpose: 'post-op', subjectId: 'sr-none' }, 'not_found', 'subjectId'],
    [{ purpose: 'post-op' }, 'invalid', 'subjectId'],
    [{ bookingId: 'bed-booking-r1', subjectId: 'sr-r1' }, 'invalid', 'bookingId'],
  ])('refuses %o, naming the field', async (input, code, field) => {
    const before = await snapshot();
    const err = await refusal(release(input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('lists a unit’s bookings overlapping a window, by status', async () => {
    const list = (input: Record<string, unknown>) =>
      invokeOperation(listBedBookings, input, ctx) as Promise<{
        bookings: (Booking & { subjectId: string })[];
      }>;
    const all = await list({ unitId: 'last', from: '2026-03-15T00:00:00Z', to: '2026-03-17T00:00:00Z' });
    expect(all.bookings.map((b) => [b.subjectId, b.status])).toEqual([
      ['sr-r1', 'released'],
      ['sr-r2', 'booked'],
    ]);
    const live = await list({ unitId: 'last', status: 'booked' });
    expect(live.bookings.map((b) => b.subjectId)).toEqual([expect.stringMatching(/^race-\d$/), 'sr-r2']);
    const err = await refusal(list({ from: '2026-03-15T00:00:00Z', to: '2026-03-14T00:00:00Z' }));
    expect(err.issues[0]?.field).toBe('to');
  });

  it('leaves an intact audit chain after the races and refusals', async () => {
    const audited =
      await database.sql`select tool, count(*)::int as n from audit_log group by tool order by tool`;
    expect(audited.map((r) => r.tool)).toEqual(['book_bed_ahead', 'release_bed_booking']);
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });
});
