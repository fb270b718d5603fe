import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { beds, units } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import type { Actor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { OperationError } from '../core/errors.ts';
import { invokeOperation, type OperationContext } from '../core/operation.ts';
import { admitForTest } from './admissions.fixture.ts';
import { getBedBoard } from './board-operations.ts';
import type { BedBoardRow } from './board.ts';
import { reserveBed } from './operations.ts';
import { recordPendingDischarge } from './patient-flow-operations.ts';

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const manager: Actor = { id: 'staff:bed-manager', kind: 'staff', scopes: ['beds:read', 'beds:write'] };
let ctx: OperationContext;

// Med-Surg: bed-ms-0 occupied by pat-2 (discharge expected 15:00), bed-ms-1 held for pat-1,
// bed-ms-2 dirty, bed-ms-3 blocked, bed-ms-4…7 clean. ICU: two telemetry beds, one negative pressure.
beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database, { medSurgBeds: 8 });
  ctx = { database, clock, actor: manager };
  await admitForTest(database, 'pat-2', 'bed-ms-0', new Date('2026-03-01T08:00:00Z'));
  await invokeOperation(
    recordPendingDischarge,
    { patientId: 'pat-2', expectedAt: '2026-03-02T15:00:00Z' },
    ctx,
  );
  await invokeOperation(reserveBed, { bedId: 'bed-ms-1', patientId: 'pat-1', reason: 'admission' }, ctx);
  await database.db.update(beds).set({ status: 'H', housekeeping: 'dirty' }).where(eq(beds.id, 'bed-ms-2'));
  await database.db.update(beds).set({ status: 'C', housekeeping: 'blocked' }).where(eq(beds.id, 'bed-ms-3'));
});

type Board = { beds: BedBoardRow[]; nextCursor: string | null };
const board = (input: Record<string, unknown> = {}) =>
  invokeOperation(getBedBoard, input, ctx) as Promise<Board>;

describe('get_bed_board', () => {
  it('shows every bed with unit, room, attributes, status, housekeeping and occupant', async () => {
    const { beds: rows, nextCursor } = await board();
    expect(rows.map((b) => b.bedId)).toEqual([
      'bed-icu-1',
      'bed-icu-2',
      ...Array.from({ length: 8 }, (_, i) => `bed-ms-${i}`),
    ]);
    expect(nextCursor).toBeNull();
    const byId = new Map(rows.map((b) => [b.bedId, b]));
    expect(byId.get('bed-icu-2')).toEqual({
      bedId: 'bed-icu-2',
      label: 'ICU2',
      unit: { id: 'unit-icu', name: 'ICU', type: 'icu' },
      room: { id: 'room-icu-2', name: 'ICU2' },
      attributes: {
        isolation: 'airborne',
        negativePressure: true,
        telemetry: true,
        bariatric: false,
        sexPolicy: 'mixed',
        specialty: null,
        ageLimits: null,
      },
      status: 'U',
      operationalStatus: 'U',
      housekeeping: 'clean',
      occupantPatientId: null,
      reservation: null,
      availableNow: true,
      pendingDischarge: null,
    });
    expect(byId.get('bed-ms-0')).toMatchObject({
      status: 'O',
      occupantPatientId: 'pat-2',
      availableNow: false,
      pendingDischarge: { encounterId: 'enc-pat-2', expectedAt: '2026-03-02T15:00:00.000Z' },
    });
    expect(byId.get('bed-ms-1')).toMatchObject({
      status: 'reserved',
      operationalStatus: 'U',
      availableNow: false,
      reservation: { patientId: 'pat-1', status: 'held', holdExpiresAt: '2026-03-02T10:30:00.000Z' },
    });
    expect(byId.get('bed-ms-2')).toMatchObject({ status: 'H', housekeeping: 'dirty', availableNow: false });
    expect(byId.get('bed-ms-3')).toMatchObject({ status: 'C', housekeeping: 'blocked' });
  });

  it.each([
    [{ unit: 'unit-icu' }, ['bed-icu-1', 'bed-icu-2']],
    [{ status: 'O' }, ['bed-ms-0']],
    [{ status: 'reserved' }, ['bed-ms-1']],
    [{ status: 'H' }, ['bed-ms-2']],
    [{ status: 'C' }, ['bed-ms-3']],
    [{ status: 'U', unit: 'unit-ms' }, ['bed-ms-4', 'bed-ms-5', 'bed-ms-6', 'bed-ms-7']],
    [{ status: 'K' }, []],
    [{ unit: 'unit-nowhere' }, []],
  ])('filters %j', async (filter, expected) => {
    expect((await board(filter)).beds.map((b) => b.bedId)).toEqual(expected);
  });

  it("shows the unit's specialty and age limits among a bed's attributes", async () => {
    await database.db
      .update(units)
      .set({ specialty: 'general-surgery', minAgeYears: 16, maxAgeYears: null })
      .where(eq(units.id, 'unit-ms'));
    const { beds: rows } = await board({ unit: 'unit-ms', limit: 1 });
    expect(rows[0]!.attributes).toMatchObject({
      specialty: 'general-surgery',
      ageLimits: { minYears: 16, maxYears: null },
    });
    await database.db
      .update(units)
      .set({ specialty: null, minAgeYears: null })
      .where(eq(units.id, 'unit-ms'));
  });

  it('pages with an opaque cursor: every bed once, in order, and no next cursor on the last page', async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await board({ limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.beds.length).toBeLessThanOrEqual(3);
      seen.push(...page.beds.map((b) => b.bedId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual((await board()).beds.map((b) => b.bedId));
  });

  it('pages a filtered board with the same filter', async () => {
    const first = await board({ unit: 'unit-ms', status: 'U', limit: 2 });
    expect(first.beds.map((b) => b.bedId)).toEqual(['bed-ms-4', 'bed-ms-5']);
    const second = await board({ unit: 'unit-ms', status: 'U', limit: 2, cursor: first.nextCursor });
    expect(second.beds.map((b) => b.bedId)).toEqual(['bed-ms-6', 'bed-ms-7']);
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    [{ limit: 501 }, 'limit'],
    [{ limit: 0 }, 'limit'],
    [{ status: 'free' }, 'status'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
  ])('refuses %j naming %s', async (input, field) => {
    const err = await board(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as OperationError).code).toBe('invalid');
    expect((err as OperationError).issues.map((i) => i.field)).toContain(field);
  });

  it('stops showing a hold as reserved once it has lapsed', async () => {
    clock.advance(31 * 60_000);
    try {
      const { beds: rows } = await board({ status: 'U', unit: 'unit-ms', limit: 1 });
      expect(rows[0]).toMatchObject({
        bedId: 'bed-ms-1',
        status: 'U',
        reservation: null,
        availableNow: true,
      });
    } finally {
      clock.set('2026-03-02T10:00:00Z');
    }
  });
});
