/** Shared by the claims tests: the fixture with charges captured, a caller, and the model without raw segments. */
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { claims } from '../../../db/schema/index.ts';
import { miniHospital } from '../../../evals/hospital.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { type Actor, systemActor } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../core/operation.ts';
import { ADA_ENCOUNTER, BO_ENCOUNTER, revenueWard, TODAY_AT } from '../test-fixtures.ts';
import { captureCharges } from './test-charges.ts';

export interface Ward {
  database: Database;
  clock: ManualClock;
  call<T = Record<string, unknown>>(op: AnyOperation, input: unknown, actor?: Actor): Promise<T>;
}

export async function claimsWard(): Promise<Ward> {
  const database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  await captureCharges(database, ADA_ENCOUNTER);
  await captureCharges(database, BO_ENCOUNTER);
  const clock = new ManualClock(TODAY_AT);
  return {
    database,
    clock,
    call: <T>(op: AnyOperation, input: unknown, actor: Actor = systemActor) =>
      invokeOperation(op, input, { database, clock, actor }) as Promise<T>,
  };
}

/** The model as data: raw `segments` dropped, absent fields absent. */
export function modelOf(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'segments' ? undefined : v)));
}

export async function claimRow(database: Database, id: string) {
  const [row] = await database.db.select().from(claims).where(eq(claims.id, id));
  return row!;
}

export const billingActor: Actor = {
  id: 'billing:office',
  kind: 'billing',
  scopes: ['revenue:read', 'revenue:write'],
};
export const readOnlyActor: Actor = { id: 'billing:reader', kind: 'billing', scopes: ['revenue:read'] };
