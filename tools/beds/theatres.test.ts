import { beforeAll, describe, expect, it } from 'vitest';
import { HmsTools, ToolCallError } from '../../agents/runtime/mcp-client.ts';
import type { Database } from '../../db/client.ts';
import { theatreBookings, theatres } from '../../db/schema/index.ts';
import { generateHospital } from '../../db/seed/generate.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { rowCount } from '../../test/mcp.ts';
import { verifyAuditChain } from '../audit/chain.ts';
import type { Actor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { OperationError } from '../core/errors.ts';
import { invokeOperation, type OperationContext } from '../core/operation.ts';
import { addTestPatients } from './admissions.fixture.ts';
import {
  bookTheatre,
  cancelTheatreBooking,
  findTheatreSlots,
  getTheatreSchedule,
  listTheatres,
  rescheduleTheatreBooking,
} from './theatre-operations.ts';
import { DEFAULT_SESSION_HOURS, freeSlots, type Span, sessionSpans } from './theatres.ts';
import { refusal } from '../../test/refusal.ts';

const ms = (iso: string) => Date.parse(iso);
const span = (start: string, end: string): Span => ({ start: ms(start), end: ms(end) });
const day = (d: string, from: string, to: string) =>
  span(`2026-03-0${d}T${from}:00Z`, `2026-03-0${d}T${to}:00Z`);
const asIso = (slots: { start: number; latestStart: number }[]) =>
  slots.map((s) => [
    new Date(s.start).toISOString().slice(5, 16),
    new Date(s.latestStart).toISOString().slice(5, 16),
  ]);

describe('free slots (pure)', () => {
  const window = span('2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z');
  const sessions = sessionSpans(DEFAULT_SESSION_HOURS, window);

  it('clips the 07:00–20:00 sessions to the window', () => {
    expect(sessions).toEqual([day('2', '10:00', '20:00'), day('3', '07:00', '10:00')]);
  });

  it.each([
    [
      'an empty theatre: each session from its start',
      [],
      60,
      30,
      [
        ['03-02T10:00', '03-02T19:00'],
        ['03-03T07:00', '03-03T09:00'],
      ],
    ],
    [
      'a booking at 12:00–13:30 (turnover included): before it only until 10:30, after it from 13:30',
      [day('2', '12:00', '13:30')],
      60,
      30,
      [
        ['03-02T10:00', '03-02T10:30'],
        ['03-02T13:30', '03-02T19:00'],
        ['03-03T07:00', '03-03T09:00'],
      ],
    ],
    [
      'exactly adjacent on both sides: the 11:30 start fits between bookings, turnover included',
      [day('2', '10:00', '11:30'), day('2', '13:00', '20:00')],
      60,
      30,
      [
        ['03-02T11:30', '03-02T11:30'],
        ['03-03T07:00', '03-03T09:00'],
      ],
    ],
    [
      'a 50-minute gap: a 45-minute case does not fit once its 30 minutes of turnover count',
      [day('2', '10:00', '11:30'), day('2', '12:20', '20:00')],
      45,
      30,
      [['03-03T07:00', '03-03T09:15']],
    ],
    [
      'the same gap with a 20-minute case: it fits',
      [day('2', '10:00', '11:30'), day('2', '12:20', '20:00')],
      20,
      30,
      [
        ['03-02T11:30', '03-02T11:30'],
        ['03-03T07:00', '03-03T09:40'],
      ],
    ],
  ] as const)('%s', (_, busy, durationMinutes, turnoverMinutes, expected) => {
    const slots = freeSlots({ durationMinutes, turnoverMinutes, window, sessions, busy: [...busy] });
    expect(asIso(slots)).toEqual(expected);
  });

  it('lets the last case end at closing time, its turnover after it', () => {
    const slots = freeSlots({
      durationMinutes: 60,
      turnoverMinutes: 45,
      window: day('2', '18:00', '23:00'),
      sessions: sessionSpans(DEFAULT_SESSION_HOURS, day('2', '18:00', '23:00')),
      busy: [],
    });
    expect(asIso(slots)).toEqual([['03-02T18:00', '03-02T19:00']]);
  });

  it('round the clock (no sessions) and starts rounded up to 5 minutes', () => {
    const slots = freeSlots({
      durationMinutes: 120,
      turnoverMinutes: 30,
      window: span('2026-03-02T22:02:17Z', '2026-03-03T04:00:00Z'),
      sessions: null,
      busy: [],
    });
    expect(asIso(slots)).toEqual([['03-02T22:05', '03-03T02:00']]);
  });

  it('counts session hours in the hospital’s time zone, across a daylight-saving change', () => {
    const paris = { ...DEFAULT_SESSION_HOURS, timeZone: 'Europe/Paris' };
    // Europe/Paris moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
    expect(sessionSpans(paris, span('2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z'))).toEqual([
      span('2026-03-28T06:00:00Z', '2026-03-28T19:00:00Z'),
      span('2026-03-29T05:00:00Z', '2026-03-29T18:00:00Z'),
    ]);
  });
});

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const scheduler: Actor = {
  id: 'staff:theatre-coordinator',
  kind: 'staff',
  scopes: ['beds:read', 'beds:write'],
};
let ctx: OperationContext;
const RACERS = 16;

type Booking = {
  bookingId: string;
  startsAt: string;
  endsAt: string;
  turnoverEndsAt: string;
  status: string;
};

beforeAll(async () => {
  database = await createTestDatabase(RACERS + 6);
  await miniHospital(database);
  await database.db.insert(theatres).values([
    {
      id: 'thr-gen',
      name: 'Theatre 1',
      unitId: 'unit-ms',
      specialty: 'general-surgery',
      turnoverMinutes: 30,
    },
    { id: 'thr-any', name: 'Emergency Theatre', unitId: 'unit-ms', specialty: null, turnoverMinutes: 45 },
    {
      id: 'thr-obs',
      name: 'Obstetric Theatre',
      unitId: 'unit-ms',
      specialty: 'obstetrics',
      turnoverMinutes: 20,
    },
  ]);
  await addTestPatients(database, 'race', RACERS);
  ctx = { database, clock, actor: scheduler };
});

const book = (input: Record<string, unknown>) =>
  invokeOperation(
    bookTheatre,
    { theatreId: 'thr-gen', patientId: 'pat-1', procedure: 'laparoscopic cholecystectomy', ...input },
    ctx,
  ) as Promise<Booking & { replayed: boolean }>;

/** What a refused call must leave exactly as it was. */
const snapshot = () =>
  Promise.all([
    rowCount(database, 'audit_log'),
    database.sql`select id, theatre_id, status, starts_at, turnover_ends_at, rescheduled_to
      from theatre_bookings order by id`,
  ]);

describe('listing theatres', () => {
  it('lists every theatre with its unit and turnover', async () => {
    const out = (await invokeOperation(listTheatres, {}, ctx)) as { theatres: { theatreId: string }[] };
    expect(out.theatres).toEqual([
      {
        theatreId: 'thr-any',
        name: 'Emergency Theatre',
        unitId: 'unit-ms',
        unitName: 'Med-Surg 3',
        specialty: null,
        turnoverMinutes: 45,
      },
      expect.objectContaining({ theatreId: 'thr-gen', specialty: 'general-surgery', turnoverMinutes: 30 }),
      expect.objectContaining({ theatreId: 'thr-obs', specialty: 'obstetrics' }),
    ]);
  });

  it('for a specialty: its theatres and the general ones', async () => {
    const out = (await invokeOperation(listTheatres, { specialty: 'obstetrics' }, ctx)) as {
      theatres: { theatreId: string }[];
    };
    expect(out.theatres.map((t) => t.theatreId)).toEqual(['thr-any', 'thr-obs']);
  });
});

describe('booking a theatre', () => {
  let first: Booking;

  it('books a case: taken until its end plus the theatre’s turnover, with an audit entry', async () => {
    const out = await book({
      startsAt: '2026-03-02T14:00:00+01:00',
      durationMinutes: 90,
      surgeonStaffId: 'stf-endo',
    });
    expect(out).toMatchObject({
      theatreId: 'thr-gen',
      patientId: 'pat-1',
      surgeonStaffId: 'stf-endo',
      startsAt: '2026-03-02T13:00:00.000Z',
      endsAt: '2026-03-02T14:30:00.000Z',
      turnoverEndsAt: '2026-03-02T15:00:00.000Z',
      status: 'booked',
      rescheduledTo: null,
      replayed: false,
    });
    first = out;
    const [entry] =
      await database.sql`select actor, input, outcome from audit_log where tool = 'book_theatre'`;
    expect(entry).toMatchObject({
      actor: 'staff:theatre-coordinator',
      input: { theatreId: 'thr-gen', startsAt: '2026-03-02T14:00:00+01:00' },
      outcome: { bookingId: out.bookingId, status: 'booked' },
    });
  });

  it.each([
    ['starting inside the previous case', { startsAt: '2026-03-02T14:00:00Z', durationMinutes: 30 }],
    [
      'starting inside the previous case’s turnover',
      { startsAt: '2026-03-02T14:45:00Z', durationMinutes: 30 },
    ],
    ['whose own turnover runs into the next case', { startsAt: '2026-03-02T12:00:00Z', durationMinutes: 45 }],
    ['spanning the whole case', { startsAt: '2026-03-02T12:00:00Z', endsAt: '2026-03-02T16:00:00Z' }],
  ])('refuses a case %s, naming the booking in the way, and writes nothing', async (_, times) => {
    const before = await snapshot();
    const err = await refusal(book({ patientId: 'pat-2', ...times }));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain(
      `booking ${first.bookingId} runs 2026-03-02T13:00:00.000Z to 2026-03-02T14:30:00.000Z`,
    );
    expect(err.message).toContain('turnover until 2026-03-02T15:00:00.000Z');
    expect(err.issues).toEqual([{ field: 'startsAt', message: `overlaps booking ${first.bookingId}` }]);
    expect(await snapshot()).toEqual(before);
  });

  it('allows cases exactly adjacent: one ending (turnover included) as it starts, one starting as its turnover ends', async () => {
    const before = await book({ patientId: 'pat-2', startsAt: '2026-03-02T11:30:00Z', durationMinutes: 60 });
    expect(before.turnoverEndsAt).toBe('2026-03-02T13:00:00.000Z');
    const after = await book({ patientId: 'pat-2', startsAt: '2026-03-02T15:00:00Z', durationMinutes: 60 });
    expect(after.startsAt).toBe('2026-03-02T15:00:00.000Z');
  });

  it('books another theatre at the same time', async () => {
    const out = await book({
      theatreId: 'thr-any',
      patientId: 'pat-2',
      startsAt: '2026-03-02T13:00:00Z',
      durationMinutes: 90,
    });
    expect(out.turnoverEndsAt).toBe('2026-03-02T15:15:00.000Z');
  });

  it('keeps a surgeon and a patient to one case at a time, across theatres', async () => {
    const first = await book({
      theatreId: 'thr-gen',
      patientId: 'race-0',
      surgeonStaffId: 'stf-icu',
      startsAt: '2026-04-17T08:00:00Z',
      durationMinutes: 120,
    });
    const before = await snapshot();
    const surgeon = await refusal(
      book({
        theatreId: 'thr-any',
        patientId: 'race-1',
        surgeonStaffId: 'stf-icu',
        startsAt: '2026-04-17T09:00:00Z',
        durationMinutes: 60,
      }),
    );
    expect(surgeon.code).toBe('conflict');
    expect(surgeon.message).toContain(`Surgeon stf-icu already has a case from 2026-04-17T09:00`);
    expect(surgeon.message).toContain(`booking ${first.bookingId} in thr-gen`);
    expect(surgeon.issues[0]!.field).toBe('surgeonStaffId');
    const patient = await refusal(
      book({
        theatreId: 'thr-any',
        patientId: 'race-0',
        startsAt: '2026-04-17T09:30:00Z',
        durationMinutes: 30,
      }),
    );
    expect(patient.issues[0]!.field).toBe('patientId');
    expect(await snapshot()).toEqual(before);
    // The theatre's turnover is not the surgeon's: the next case elsewhere may start as this one ends.
    await book({
      theatreId: 'thr-any',
      patientId: 'race-1',
      surgeonStaffId: 'stf-icu',
      startsAt: '2026-04-17T10:00:00Z',
      durationMinutes: 60,
    });
  });

  it('is safe to retry with a bookingId: the same booking comes back, once stored and audited', async () => {
    const input = { bookingId: 'case-2026-0001', startsAt: '2026-03-04T08:00:00Z', durationMinutes: 120 };
    const audited = await rowCount(database, "audit_log where tool = 'book_theatre'");
    const made = await book(input);
    const again = await book(input);
    expect(made).toMatchObject({ bookingId: 'case-2026-0001', replayed: false });
    expect(again).toEqual({ ...made, replayed: true });
    expect(await rowCount(database, "theatre_bookings where id = 'case-2026-0001'")).toBe(1);
    expect(await rowCount(database, "audit_log where tool = 'book_theatre'")).toBe(audited + 1);
    const err = await refusal(book({ ...input, startsAt: '2026-03-04T12:00:00Z' }));
    expect(err.code).toBe('conflict');
    expect(err.issues.map((i) => i.field)).toEqual(['bookingId']);
  });

  it.each([
    [{ startsAt: '2026-03-02T09:59:00Z', durationMinutes: 60 }, 'invalid', 'startsAt', /in the past/],
    [{ startsAt: '2027-06-01T09:00:00Z', durationMinutes: 60 }, 'invalid', 'startsAt', /too far ahead/],
    [{ startsAt: '2026-03-05T09:00:00', durationMinutes: 60 }, 'invalid', 'startsAt', /startsAt/],
    [
      { startsAt: '2026-03-05T09:00:00Z', durationMinutes: 5 },
      'invalid',
      'durationMinutes',
      /durationMinutes/,
    ],
    [
      { startsAt: '2026-03-05T09:00:00Z', durationMinutes: 1441 },
      'invalid',
      'durationMinutes',
      /durationMinutes/,
    ],
    [{ startsAt: '2026-03-05T09:00:00Z' }, 'invalid', 'durationMinutes', /give durationMinutes or endsAt/],
    [
      { startsAt: '2026-03-05T09:00:00Z', durationMinutes: 60, endsAt: '2026-03-05T10:00:00Z' },
      'invalid',
      'endsAt',
      /not both/,
    ],
    [
      { startsAt: '2026-03-05T09:00:00Z', endsAt: '2026-03-05T08:00:00Z' },
      'invalid',
      'endsAt',
      /after startsAt/,
    ],
    [
      { startsAt: '2026-03-05T09:00:00Z', durationMinutes: 60, theatreId: 'thr-404' },
      'not_found',
      'theatreId',
      /No theatre/,
    ],
    [
      { startsAt: '2026-03-05T09:00:00Z', durationMinutes: 60, patientId: 'pat-404' },
      'not_found',
      'patientId',
      /No patient/,
    ],
    [
      { startsAt: '2026-03-05T09:00:00Z', durationMinutes: 60, surgeonStaffId: 'stf-404' },
      'not_found',
      'surgeonStaffId',
      /No staff member/,
    ],
    [
      { startsAt: '2026-03-05T09:00:00Z', durationMinutes: 60, surgeonStaffId: 'stf-nurse' },
      'invalid',
      'surgeonStaffId',
      /is a RN, not a physician/,
    ],
    [
      { startsAt: '2026-03-05T09:00:00Z', durationMinutes: 60, bookingId: 'x' },
      'invalid',
      'bookingId',
      /bookingId/,
    ],
  ] as const)('refuses %j (%s, naming %s) and writes nothing', async (input, code, field, message) => {
    const before = await snapshot();
    const err = await refusal(book(input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(err.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a key bound to another patient and a key without beds:write', async () => {
    const boundCtx = {
      ...ctx,
      actor: { ...scheduler, id: 'agent:for-pat-2', kind: 'agent' as const, patientId: 'pat-2' },
    };
    const bound = await refusal(
      invokeOperation(
        bookTheatre,
        {
          theatreId: 'thr-gen',
          patientId: 'pat-1',
          procedure: 'appendicectomy',
          startsAt: '2026-03-05T09:00:00Z',
          durationMinutes: 60,
        },
        boundCtx,
      ),
    );
    expect([bound.code, bound.issues[0]?.field]).toEqual(['forbidden', 'patientId']);
    const reader = { ...ctx, actor: { ...scheduler, scopes: ['beds:read'] } };
    const readOnly = await refusal(
      invokeOperation(
        bookTheatre,
        {
          theatreId: 'thr-gen',
          patientId: 'pat-1',
          procedure: 'appendicectomy',
          startsAt: '2026-03-05T09:00:00Z',
          durationMinutes: 60,
        },
        reader,
      ),
    );
    expect(readOnly.code).toBe('forbidden');
  });

  it(`lets exactly one of ${RACERS} concurrent overlapping bookings of one theatre win`, async () => {
    const audited = await rowCount(database, "audit_log where tool = 'book_theatre'");
    const outcomes = await Promise.allSettled(
      Array.from({ length: RACERS }, (_, i) =>
        invokeOperation(
          bookTheatre,
          {
            theatreId: 'thr-obs',
            patientId: `race-${i}`,
            procedure: 'caesarean section',
            // Every pair overlaps: starts a minute apart, each an hour long.
            startsAt: new Date(ms('2026-03-03T09:00:00Z') + i * 60_000).toISOString(),
            durationMinutes: 60,
          },
          ctx,
        ),
      ),
    );
    const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value as Booking] : []));
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(RACERS - 1);
    for (const err of lost) {
      expect(err).toBeInstanceOf(OperationError);
      expect((err as OperationError).code).toBe('conflict');
      expect((err as OperationError).message).toContain(
        `booking ${won[0]!.bookingId} runs ${won[0]!.startsAt}`,
      );
    }
    expect(
      await rowCount(database, "theatre_bookings where theatre_id = 'thr-obs' and status = 'booked'"),
    ).toBe(1);
    expect(await rowCount(database, "audit_log where tool = 'book_theatre'")).toBe(audited + 1);
  });
});

describe('the database’s guarantee', () => {
  it('refuses an overlapping live booking even when written past the operations', async () => {
    const row = {
      theatreId: 'thr-gen',
      patientId: 'pat-2',
      procedure: 'direct insert',
      startsAt: new Date('2026-03-02T14:45:00Z'),
      endsAt: new Date('2026-03-02T15:00:00Z'),
      turnoverEndsAt: new Date('2026-03-02T15:30:00Z'),
      createdBy: 'test',
      createdAt: clock.now(),
      updatedAt: clock.now(),
    };
    const err = await database.db
      .insert(theatreBookings)
      .values({ id: 'direct-1', ...row })
      .then(
        () => null,
        (e: { cause?: { code?: string; constraint_name?: string } }) => e.cause,
      );
    expect(err).toMatchObject({ code: '23P01', constraint_name: 'theatre_bookings_no_overlap' });
    // A cancelled booking does not count.
    await database.db.insert(theatreBookings).values({ id: 'direct-2', ...row, status: 'cancelled' });
  });
});

describe('finding slots', () => {
  it('offers the earliest free stretches, turnover included, across theatres', async () => {
    const out = (await invokeOperation(
      findTheatreSlots,
      { durationMinutes: 60, to: '2026-03-02T20:00:00Z', specialty: 'general-surgery', limit: 10 },
      ctx,
    )) as {
      from: string;
      slots: { theatreId: string; startsAt: string; latestStartsAt: string; turnoverEndsAt: string }[];
    };
    expect(out.from).toBe('2026-03-02T10:00:00.000Z');
    // thr-gen is taken 11:30–13:00, 13:00–15:00 and 15:00–16:30; thr-any 13:00–15:15. thr-obs is not general surgery.
    expect(
      out.slots.map((s) => [s.theatreId, s.startsAt.slice(11, 16), s.latestStartsAt.slice(11, 16)]),
    ).toEqual([
      ['thr-gen', '10:00', '10:00'],
      ['thr-any', '10:00', '11:15'],
      ['thr-any', '15:15', '19:00'],
      ['thr-gen', '16:30', '19:00'],
    ]);
    expect(out.slots[0]?.turnoverEndsAt).toBe('2026-03-02T11:30:00.000Z');
  });

  it('books what it offers', async () => {
    const out = (await invokeOperation(
      findTheatreSlots,
      {
        durationMinutes: 45,
        theatreId: 'thr-gen',
        from: '2026-03-02T16:00:00Z',
        sessionHours: null,
        limit: 1,
      },
      ctx,
    )) as { slots: { theatreId: string; startsAt: string }[] };
    expect(out.slots).toEqual([
      expect.objectContaining({ theatreId: 'thr-gen', startsAt: '2026-03-02T16:30:00.000Z' }),
    ]);
    const booked = await book({ patientId: 'pat-2', startsAt: out.slots[0]!.startsAt, durationMinutes: 45 });
    expect(booked.turnoverEndsAt).toBe('2026-03-02T17:45:00.000Z');
  });

  it.each([
    [{ durationMinutes: 60, to: '2026-03-02T09:00:00Z' }, 'to'],
    [{ durationMinutes: 60, to: '2026-04-30T09:00:00Z' }, 'to'],
    [{ durationMinutes: 60, sessionHours: { opens: '20:00', closes: '07:00' } }, 'sessionHours.closes'],
    [{ durationMinutes: 60, sessionHours: { opens: '7am', closes: '20:00' } }, 'sessionHours.opens'],
    [
      { durationMinutes: 60, sessionHours: { opens: '07:00', closes: '20:00', timeZone: 'Mars/Olympus' } },
      'sessionHours.timeZone',
    ],
    [{ durationMinutes: 60, theatreId: 'thr-404' }, 'theatreId'],
  ])('refuses %j naming %s', async (input, field) => {
    const err = await refusal(invokeOperation(findTheatreSlots, input, ctx));
    expect(err.issues.map((i) => i.field)).toContain(field);
  });
});

describe('cancelling and rescheduling', () => {
  const schedule = async (input: Record<string, unknown>) =>
    ((await invokeOperation(getTheatreSchedule, input, ctx)) as { bookings: Booking[] }).bookings;

  it('cancelling frees the slot; cancelling twice is harmless and audited once', async () => {
    const made = await book({ startsAt: '2026-03-05T08:00:00Z', durationMinutes: 60 });
    const cancelled = await invokeOperation(
      cancelTheatreBooking,
      { bookingId: made.bookingId, reason: 'patient unwell' },
      ctx,
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'patient unwell', replayed: false });
    const audited = await rowCount(database, "audit_log where tool = 'cancel_theatre_booking'");
    const again = await invokeOperation(
      cancelTheatreBooking,
      { bookingId: made.bookingId, reason: 'again' },
      ctx,
    );
    expect(again).toMatchObject({ status: 'cancelled', cancelReason: 'patient unwell', replayed: true });
    expect(await rowCount(database, "audit_log where tool = 'cancel_theatre_booking'")).toBe(audited);
    const other = await book({ patientId: 'pat-2', startsAt: '2026-03-05T08:15:00Z', durationMinutes: 60 });
    expect(other.status).toBe('booked');
    const day5 = { theatreId: 'thr-gen', from: '2026-03-05T00:00:00Z', to: '2026-03-06T00:00:00Z' };
    expect((await schedule(day5)).map((b) => b.bookingId)).toEqual([other.bookingId]);
    expect((await schedule({ ...day5, includeCancelled: true })).map((b) => b.bookingId)).toEqual([
      made.bookingId,
      other.bookingId,
    ]);
  });

  it('refuses to cancel an unknown booking, naming bookingId', async () => {
    const err = await refusal(
      invokeOperation(cancelTheatreBooking, { bookingId: 'nope', reason: 'typo' }, ctx),
    );
    expect([err.code, err.issues[0]?.field]).toEqual(['not_found', 'bookingId']);
  });

  it('reschedules in one step: the old booking cancelled and pointing to the new one', async () => {
    const made = await book({ startsAt: '2026-03-06T08:00:00Z', durationMinutes: 120 });
    // Half an hour later, overlapping its own old time: allowed, the old booking leaves first.
    const out = (await invokeOperation(
      rescheduleTheatreBooking,
      {
        bookingId: made.bookingId,
        startsAt: '2026-03-06T08:30:00Z',
        reason: 'surgeon delayed',
        newBookingId: 'case-2026-0002',
      },
      ctx,
    )) as { previous: Booking & { rescheduledTo: string }; booking: Booking; replayed: boolean };
    expect(out.previous).toMatchObject({
      bookingId: made.bookingId,
      status: 'cancelled',
      rescheduledTo: 'case-2026-0002',
      cancelReason: 'rescheduled: surgeon delayed',
    });
    expect(out.booking).toMatchObject({
      bookingId: 'case-2026-0002',
      theatreId: 'thr-gen',
      patientId: 'pat-1',
      procedure: 'laparoscopic cholecystectomy',
      startsAt: '2026-03-06T08:30:00.000Z',
      endsAt: '2026-03-06T10:30:00.000Z',
      status: 'booked',
    });
    const [entry] =
      await database.sql`select outcome from audit_log where tool = 'reschedule_theatre_booking'`;
    expect(entry?.outcome).toMatchObject({ booking: { bookingId: 'case-2026-0002' }, replayed: false });

    const retry = await invokeOperation(
      rescheduleTheatreBooking,
      {
        bookingId: made.bookingId,
        startsAt: '2026-03-06T08:30:00Z',
        reason: 'surgeon delayed',
        newBookingId: 'case-2026-0002',
      },
      ctx,
    );
    expect(retry).toMatchObject({ replayed: true, booking: { bookingId: 'case-2026-0002' } });
    expect(await rowCount(database, "audit_log where tool = 'reschedule_theatre_booking'")).toBe(1);
  });

  it('moves to another theatre with its turnover', async () => {
    const out = (await invokeOperation(
      rescheduleTheatreBooking,
      {
        bookingId: 'case-2026-0002',
        theatreId: 'thr-any',
        startsAt: '2026-03-06T12:00:00Z',
        durationMinutes: 60,
        reason: 'list overran',
      },
      ctx,
    )) as { booking: Booking & { theatreId: string } };
    expect(out.booking).toMatchObject({ theatreId: 'thr-any', turnoverEndsAt: '2026-03-06T13:45:00.000Z' });
  });

  it.each([
    ['into another case', { startsAt: '2026-03-02T14:00:00Z' }, 'conflict', 'startsAt'],
    ['into the past', { startsAt: '2026-03-02T08:00:00Z' }, 'invalid', 'startsAt'],
    [
      'to an unknown theatre',
      { startsAt: '2026-03-09T08:00:00Z', theatreId: 'thr-404' },
      'not_found',
      'theatreId',
    ],
  ])('refuses a move %s and leaves the booking exactly as it was', async (_, move, code, field) => {
    const made = await book({ startsAt: '2026-03-07T08:00:00Z', durationMinutes: 60, patientId: 'pat-2' });
    const before = await snapshot();
    const err = await refusal(
      invokeOperation(rescheduleTheatreBooking, { bookingId: made.bookingId, reason: 'try', ...move }, ctx),
    );
    expect([err.code, err.issues[0]?.field]).toEqual([code, field]);
    expect(await snapshot()).toEqual(before);
    await invokeOperation(cancelTheatreBooking, { bookingId: made.bookingId, reason: 'tidy up' }, ctx);
  });

  it('refuses to reschedule a cancelled booking, or one already moved elsewhere', async () => {
    const cancelledErr = await refusal(
      invokeOperation(
        rescheduleTheatreBooking,
        { bookingId: 'case-2026-0002', startsAt: '2026-03-09T08:00:00Z', reason: 'again' },
        ctx,
      ),
    );
    expect([cancelledErr.code, cancelledErr.issues[0]?.field]).toEqual(['conflict', 'bookingId']);
    expect(cancelledErr.message).toMatch(/already rescheduled to/);
    const made = await book({ startsAt: '2026-03-09T08:00:00Z', durationMinutes: 60 });
    await invokeOperation(
      cancelTheatreBooking,
      { bookingId: made.bookingId, reason: 'declined surgery' },
      ctx,
    );
    const err = await refusal(
      invokeOperation(
        rescheduleTheatreBooking,
        { bookingId: made.bookingId, startsAt: '2026-03-10T08:00:00Z', reason: 'x-y-z' },
        ctx,
      ),
    );
    expect(err.message).toMatch(/is cancelled; it cannot be rescheduled/);
  });
});

describe('the schedule', () => {
  it('lists bookings of all theatres in a window, in time order', async () => {
    const out = (await invokeOperation(
      getTheatreSchedule,
      { from: '2026-03-02T12:00:00Z', to: '2026-03-02T16:00:00Z' },
      ctx,
    )) as { bookings: (Booking & { theatreId: string })[] };
    expect(out.bookings.map((b) => `${b.theatreId} ${b.startsAt.slice(11, 16)}`)).toEqual([
      'thr-gen 11:30',
      'thr-any 13:00',
      'thr-gen 13:00',
      'thr-gen 15:00',
    ]);
  });

  it.each([
    [{ theatreId: 'thr-404' }, 'not_found', 'theatreId'],
    [{ from: '2026-03-03T00:00:00Z', to: '2026-03-02T00:00:00Z' }, 'invalid', 'to'],
    [{ from: 'yesterday' }, 'invalid', 'from'],
  ])('refuses %j naming %s', async (input, code, field) => {
    const err = await refusal(invokeOperation(getTheatreSchedule, input, ctx));
    expect([err.code, err.issues[0]?.field]).toEqual([code, field]);
  });
});

describe('over MCP, as the agents call it', () => {
  it('books through the beds server; a clash comes back as a tool error naming the booking', async () => {
    const tools = await HmsTools.connectInProcess(['beds'], ctx);
    const args = {
      theatreId: 'thr-any',
      patientId: 'pat-2',
      procedure: 'open reduction, internal fixation',
      startsAt: '2026-03-10T08:00:00Z',
      durationMinutes: 120,
    };
    const made = await tools.call<Booking>('book_theatre', args);
    expect(made).toMatchObject({ status: 'booked', turnoverEndsAt: '2026-03-10T10:45:00.000Z' });
    const err = await tools
      .call('book_theatre', { ...args, startsAt: '2026-03-10T10:30:00Z' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolCallError);
    expect((err as ToolCallError).message).toMatch(
      new RegExp(`conflict: Theatre thr-any is not free .*booking ${made.bookingId}`),
    );
    const bad = await tools
      .call('book_theatre', { ...args, durationMinutes: undefined })
      .catch((e: unknown) => e);
    expect((bad as ToolCallError).message).toMatch(/give durationMinutes or endsAt at durationMinutes/);
  });
});

describe('the audit trail', () => {
  it('has one entry per change, and the chain verifies', async () => {
    const byTool =
      await database.sql`select tool, count(*)::int as n from audit_log group by tool order by tool`;
    const counts = Object.fromEntries(byTool.map((r) => [r.tool, r.n]));
    // Each booking row was made by one audited book or reschedule; refusals and replays left none.
    expect(counts.book_theatre + counts.reschedule_theatre_booking).toBe(
      await rowCount(database, "theatre_bookings where created_by <> 'test'"),
    );
    expect(counts.reschedule_theatre_booking).toBe(2);
    expect(Object.keys(counts)).toEqual([
      'book_theatre',
      'cancel_theatre_booking',
      'reschedule_theatre_booking',
    ]);
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });
});

describe('the seeded hospital', () => {
  it.each(['small', 'medium', 'large'] as const)('has theatres in its own units (%s)', (size) => {
    const h = generateHospital(5, size);
    const unitIds = new Set(h.units.map((u) => u.id));
    expect(h.theatres.length).toBe({ small: 2, medium: 4, large: 12 }[size]);
    for (const t of h.theatres) expect(unitIds.has(t.unitId)).toBe(true);
    expect(JSON.stringify(generateHospital(5, size).theatres)).toBe(JSON.stringify(h.theatres));
  });
});
