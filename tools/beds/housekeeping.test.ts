import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { beds, housekeepingStates } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { rowCount } from '../../test/mcp.ts';
import { verifyAuditChain } from '../audit/chain.ts';
import type { Actor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { invokeOperation, type OperationContext } from '../core/operation.ts';
import { admitForTest } from './admissions.fixture.ts';
import { setHousekeepingState } from './board-operations.ts';
import { type HousekeepingState, housekeepingRefusal, unoccupiedStatusFor } from './housekeeping.ts';
import { reserveBed } from './operations.ts';
import { refusal } from '../../test/refusal.ts';

const allowed: [HousekeepingState, HousekeepingState][] = [
  ['dirty', 'cleaning'],
  ['dirty', 'blocked'],
  ['cleaning', 'clean'],
  ['cleaning', 'dirty'],
  ['cleaning', 'blocked'],
  ['clean', 'inspected'],
  ['clean', 'dirty'],
  ['clean', 'blocked'],
  ['inspected', 'dirty'],
  ['inspected', 'blocked'],
  ['blocked', 'dirty'],
];
const refused = housekeepingStates
  .flatMap((from) => housekeepingStates.map((to) => [from, to] as [HousekeepingState, HousekeepingState]))
  .filter(([from, to]) => from !== to && !allowed.some(([f, t]) => f === from && t === to));

describe('the housekeeping cycle (pure rules)', () => {
  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(housekeepingRefusal(from, to)).toBeNull();
  });

  it.each(refused)('refuses %s → %s, naming the allowed next states', (from, to) => {
    expect(housekeepingRefusal(from, to)).toMatch(
      new RegExp(`^${from} → ${to} is not allowed; allowed next`),
    );
  });

  it.each([
    ['dirty', 'H'],
    ['cleaning', 'H'],
    ['clean', 'U'],
    ['inspected', 'U'],
    ['blocked', 'C'],
  ] as const)('an unoccupied %s bed has v2-0116 status %s', (state, status) => {
    expect(unoccupiedStatusFor(state)).toBe(status);
  });
});

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const housekeeper: Actor = { id: 'staff:housekeeping', kind: 'staff', scopes: ['beds:read', 'beds:write'] };
let ctx: OperationContext;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database, { medSurgBeds: 6 });
  ctx = { database, clock, actor: housekeeper };
  await database.db.update(beds).set({ status: 'H', housekeeping: 'dirty' }).where(eq(beds.id, 'bed-ms-0'));
});

const setState = (bedId: string, state: string) =>
  invokeOperation(setHousekeepingState, { bedId, state }, ctx) as Promise<{
    previousState: string;
    housekeeping: string;
    status: string;
    changed: boolean;
  }>;

const bedRow = async (id: string) => (await database.db.select().from(beds).where(eq(beds.id, id)))[0]!;

describe('set_housekeeping_state', () => {
  it.each([
    ['cleaning', 'H'],
    ['clean', 'U'],
    ['inspected', 'U'],
    ['blocked', 'C'],
    ['dirty', 'H'],
  ] as const)('moves bed-ms-0 to %s, bed status %s', async (state, status) => {
    const before = await bedRow('bed-ms-0');
    const out = await setState('bed-ms-0', state);
    expect(out).toMatchObject({
      previousState: before.housekeeping,
      housekeeping: state,
      status,
      changed: true,
    });
    expect(await bedRow('bed-ms-0')).toMatchObject({ housekeeping: state, status });
  });

  it('records an audit entry and a bed event for every change', async () => {
    expect(await rowCount(database, "audit_log where tool = 'set_housekeeping_state'")).toBe(5);
    expect(await rowCount(database, "bed_events where bed_id = 'bed-ms-0' and change = 'housekeeping'")).toBe(
      5,
    );
  });

  it('changes nothing and writes no audit entry when the bed is already in that state', async () => {
    const out = await setState('bed-ms-0', 'dirty');
    expect(out).toMatchObject({ housekeeping: 'dirty', changed: false });
    expect(await rowCount(database, "audit_log where tool = 'set_housekeeping_state'")).toBe(5);
  });

  it('refuses dirty → inspected, naming the field and the allowed next states, and writes nothing', async () => {
    const err = await refusal(setState('bed-ms-0', 'inspected'));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(
      /dirty → inspected is not allowed; allowed next states from dirty: cleaning, blocked/,
    );
    expect(err.issues).toEqual([{ field: 'state', message: expect.stringContaining('cleaning, blocked') }]);
    expect(await bedRow('bed-ms-0')).toMatchObject({ housekeeping: 'dirty', status: 'H' });
    expect(await rowCount(database, "audit_log where tool = 'set_housekeeping_state'")).toBe(5);
  });

  it.each([
    ['blocked', 'clean'],
    ['inspected', 'clean'],
  ] as const)('refuses %s → %s', async (from, to) => {
    await database.db.update(beds).set({ housekeeping: from }).where(eq(beds.id, 'bed-ms-1'));
    const err = await refusal(setState('bed-ms-1', to));
    expect(err.issues[0]!.field).toBe('state');
    expect(err.message).toContain(`${from} → ${to} is not allowed`);
  });

  it('refuses housekeeping on an occupied bed', async () => {
    await admitForTest(database, 'pat-2', 'bed-ms-2', clock.now());
    const err = await refusal(setState('bed-ms-2', 'dirty'));
    expect(err.code).toBe('conflict');
    expect(err.issues[0]).toEqual({ field: 'bedId', message: 'the bed is occupied' });
  });

  it('refuses to take a reserved bed out of use, but lets it be inspected', async () => {
    await invokeOperation(reserveBed, { bedId: 'bed-ms-3', patientId: 'pat-1', reason: 'admission' }, ctx);
    const err = await refusal(setState('bed-ms-3', 'blocked'));
    expect(err.message).toMatch(/reserved for pat-1 until 2026-03-02T10:30:00.000Z; release the reservation/);
    expect(err.issues[0]!.field).toBe('bedId');
    expect(await setState('bed-ms-3', 'inspected')).toMatchObject({ status: 'U', changed: true });
    // Once the hold has lapsed the bed may be blocked.
    clock.advance(31 * 60_000);
    expect(await setState('bed-ms-3', 'blocked')).toMatchObject({ status: 'C', changed: true });
  });

  it('answers an unknown bed with not_found naming bedId', async () => {
    const err = await refusal(setState('bed-nowhere', 'clean'));
    expect(err.code).toBe('not_found');
    expect(err.issues[0]!.field).toBe('bedId');
  });

  it('names a state that is not a housekeeping state', async () => {
    const err = await refusal(setState('bed-ms-0', 'sparkling'));
    expect(err.code).toBe('invalid');
    expect(err.issues[0]!.field).toBe('state');
  });

  it('leaves the audit chain intact', async () => {
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });
});
