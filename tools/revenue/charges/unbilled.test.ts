import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { encounters } from '../../../db/schema/index.ts';
import { miniHospital } from '../../../evals/hospital.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { systemActor } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../core/operation.ts';
import { buildClaimsOp } from '../claims/build-operations.ts';
import { startRevenueTask } from '../tasks.ts';
import { ADA_ENCOUNTER, BO_ENCOUNTER, revenueWard, TODAY_AT } from '../test-fixtures.ts';
import { captureCharges } from './charge-operations.ts';
import { listUnbilledEncounters } from './unbilled-operations.ts';

let database: Database;
const clock = new ManualClock(TODAY_AT);
const call = <T>(op: AnyOperation, input: unknown) =>
  invokeOperation(op, input, { database, clock, actor: systemActor }) as Promise<T>;
type Row = {
  encounterId: string;
  daysSinceDischarge: number;
  uncapturedServices: number;
  openCharges: number;
  openChargeCents: number;
  claims: number;
  revenueTask: { status: string } | null;
};
const unbilled = async (input: Record<string, unknown> = {}) =>
  (await call<{ encounters: Row[] }>(listUnbilledEncounters, input)).encounters;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  // Still in hospital: not on the list.
  await database.db.insert(encounters).values({
    id: 'enc-ada-now',
    patientId: 'pat-1',
    class: 'IMP',
    status: 'in-progress',
    startedAt: new Date('2026-03-18T10:00:00Z'),
  });
});

describe('list_unbilled_encounters (discharged, not final billed)', () => {
  it('lists finished encounters oldest discharge first, with what is left to bill', async () => {
    expect(await unbilled()).toEqual([
      expect.objectContaining({
        encounterId: ADA_ENCOUNTER,
        daysSinceDischarge: 14,
        uncapturedServices: 7,
        openCharges: 0,
        claims: 0,
        revenueTask: null,
      }),
      expect.objectContaining({
        encounterId: BO_ENCOUNTER,
        daysSinceDischarge: 9,
        uncapturedServices: 1,
        claims: 0,
      }),
    ]);
    expect((await unbilled({ minDays: 10 })).map((e) => e.encounterId)).toEqual([ADA_ENCOUNTER]);
  });

  it('shows open charges once captured, and drops an encounter whose charges are all on claims', async () => {
    await call(captureCharges, { encounterId: ADA_ENCOUNTER });
    await call(startRevenueTask, { kind: 'bill-encounter', subjectId: ADA_ENCOUNTER });
    const [ada] = await unbilled();
    expect(ada).toMatchObject({
      encounterId: ADA_ENCOUNTER,
      uncapturedServices: 0,
      openCharges: 10,
      openChargeCents: 1_362_800,
      revenueTask: { status: 'open' },
    });
    await call(buildClaimsOp, { encounterId: ADA_ENCOUNTER });
    expect((await unbilled()).map((e) => e.encounterId)).toEqual([BO_ENCOUNTER]);
  });
});
