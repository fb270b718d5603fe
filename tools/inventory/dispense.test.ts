import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { charges, encounterServices, stockLots } from '../../db/schema/index.ts';
import { miniHospital } from '../../evals/hospital.ts';
import { createTestDatabase } from '../../test/db.ts';
import { rowCount } from '../../test/mcp.ts';
import { refusal } from '../../test/refusal.ts';
import { type Actor, roleScopes, systemActor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../core/operation.ts';
import { captureCharges } from '../revenue/charges/charge-operations.ts';
import { revenueWard, TODAY_AT } from '../revenue/test-fixtures.ts';
import {
  consumeStockReservation,
  dispenseToPatient,
  releaseStockReservation,
  reserveStock,
} from './dispense-operations.ts';
import { getStock, receiveStock } from './stock-operations.ts';
import { inventoryWard, WARD_ENCOUNTER } from './test-fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: outputs are checked by their zod schemas; the tests read them loosely.
type Out = any;

let database: Database;
const clock = new ManualClock(TODAY_AT);
const nurse: Actor = { id: 'staff:stf-nurse', kind: 'staff', scopes: roleScopes.staff };
const call = <T = Out>(op: AnyOperation, input: unknown, actor: Actor = nurse) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<T>;

const lotQuantity = async (id: string) =>
  (await database.db.select().from(stockLots).where(eq(stockLots.id, id)))[0]!.quantity;
const available = async (itemId: string, locationId: string): Promise<number> => {
  const { stock } = await call<{ stock: { available: number }[] }>(getStock, { itemId, locationId });
  return stock[0]!.available;
};
const counts = async () => ({
  lots: await rowCount(database, 'stock_lots'),
  movements: await rowCount(database, 'stock_movements'),
  services: await rowCount(database, 'encounter_services'),
  charges: await rowCount(database, 'charges'),
  reservations: await rowCount(database, 'stock_reservations'),
  audit: await rowCount(database, 'audit_log'),
});
const insulin = { itemId: 'itm-insulin', locationId: 'loc-pharmacy' };
const forAda = { patientId: 'pat-1', encounterId: WARD_ENCOUNTER };

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  await inventoryWard(database);
});

describe('dispensing insulin to Ada', () => {
  let out: Out;
  beforeAll(async () => {
    out = await call(dispenseToPatient, { ...insulin, ...forAda, quantity: 3 });
  });

  it('takes the lot expiring first, then the next, and never the expired lot', async () => {
    expect(out.movements.map((m: Out) => [m.lotId, m.quantity])).toEqual([
      ['lot-ins-a', -2],
      ['lot-ins-b', -1],
    ]);
    expect(await lotQuantity('lot-ins-old')).toBe(3);
    expect(await lotQuantity('lot-ins-a')).toBe(0);
    expect(await lotQuantity('lot-ins-b')).toBe(9);
  });

  it('records the dispense as a drug service on the encounter and captures its charge', async () => {
    const [svc] = await database.db
      .select()
      .from(encounterServices)
      .where(eq(encounterServices.id, out.charge.serviceId));
    expect(svc).toMatchObject({ kind: 'drug', code: '00002751001', quantity: 3, servicedOn: '2026-03-20' });
    const [charge] = await database.db.select().from(charges).where(eq(charges.id, out.charge.chargeId));
    expect(charge).toMatchObject({
      encounterId: WARD_ENCOUNTER,
      source: `service:${svc!.id}`,
      procedureCode: 'J1815',
      ndc: '00002751001',
      units: 3,
      amountCents: 3_600,
      status: 'open',
    });
    expect(out.movements.every((m: Out) => m.chargeId === charge!.id && m.patientId === 'pat-1')).toBe(true);
  });

  it('is not charged twice when the encounter is captured later', async () => {
    const captured = await call<Out>(captureCharges, { encounterId: WARD_ENCOUNTER }, systemActor);
    expect(captured.created.map((c: Out) => c.source)).not.toContain(`service:${out.charge.serviceId}`);
    expect(captured.existing.map((c: Out) => c.chargeId ?? c.id)).toContain(out.charge.chargeId);
  });
});

describe('refusals write nothing', () => {
  it('refuses an item with no chargemaster price, naming it', async () => {
    await call(receiveStock, {
      itemId: 'itm-propofol',
      locationId: 'loc-pharmacy',
      lotNumber: 'PRO-1',
      expiresOn: '2026-12-31',
      quantity: 5,
    });
    const before = await counts();
    const err = await refusal(
      call(dispenseToPatient, { itemId: 'itm-propofol', locationId: 'loc-pharmacy', ...forAda, quantity: 1 }),
    );
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('no chargemaster price');
    expect(err.issues[0]!.field).toBe('itemId');
    expect(await counts()).toEqual(before);
  });

  it.each([
    [{ quantity: -1 }, 'quantity'],
    [{ quantity: 'two' }, 'quantity'],
    [{ encounterId: '' }, 'encounterId'],
    [{ patientId: undefined }, 'patientId'],
  ])('refuses bad input %j naming %s', async (patch, field) => {
    const before = await counts();
    const err = await refusal(call(dispenseToPatient, { ...insulin, ...forAda, quantity: 1, ...patch }));
    expect(err.code).toBe('invalid');
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('refuses an encounter that is not in progress today', async () => {
    const before = await counts();
    const err = await refusal(
      call(dispenseToPatient, { ...insulin, patientId: 'pat-1', encounterId: 'enc-ada-icu', quantity: 1 }),
    );
    expect(err.message).toContain('2026-03-02 to 2026-03-05');
    expect(err.issues[0]!.field).toBe('encounterId');
    expect(await counts()).toEqual(before);
  });

  it("refuses another patient's encounter", async () => {
    const before = await counts();
    const err = await refusal(
      call(dispenseToPatient, { ...insulin, patientId: 'pat-2', encounterId: WARD_ENCOUNTER, quantity: 1 }),
    );
    expect(err.issues[0]!.field).toBe('encounterId');
    expect(await counts()).toEqual(before);
  });
});

describe('reservations', () => {
  const booking = {
    ...insulin,
    purpose: 'theatre-booking',
    subjectId: 'tb-ada-later',
    patientId: 'pat-1',
    neededAt: '2026-03-22T08:00:00Z',
  };
  let reservationId: string;

  it('refuses to reserve more than is available, naming the shortfall', async () => {
    expect(await available('itm-insulin', 'loc-pharmacy')).toBe(9);
    const err = await refusal(call(reserveStock, { ...booking, quantity: 10 }));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('1 5-unit dose short');
  });

  it('counts only lots still unexpired when the stock is needed', async () => {
    // PRO-1 expires 2026-12-31: needed in 2027 it cannot be reserved.
    const err = await refusal(
      call(reserveStock, {
        itemId: 'itm-propofol',
        locationId: 'loc-pharmacy',
        quantity: 1,
        purpose: 'theatre-booking',
        subjectId: 'tb-2027',
        neededAt: '2027-01-05T08:00:00Z',
      }),
    );
    expect(err.message).toContain('1 vial short');
  });

  it('reduces what others may take, and is idempotent', async () => {
    const first = await call<Out>(reserveStock, { ...booking, quantity: 8 });
    reservationId = first.reservation.reservationId;
    const again = await call<Out>(reserveStock, { ...booking, quantity: 8 });
    expect(again).toMatchObject({ replayed: true, reservation: { reservationId } });
    expect(await available('itm-insulin', 'loc-pharmacy')).toBe(1);
    const err = await refusal(
      call(dispenseToPatient, { ...insulin, patientId: 'pat-2', encounterId: 'enc-bo-knee', quantity: 2 }),
    );
    expect(err.message).toContain('1 5-unit dose short');
  });

  it("lets the patient's own reservation be used, returning the remainder", async () => {
    const out = await call<Out>(dispenseToPatient, { ...insulin, ...forAda, quantity: 6, reservationId });
    expect(out.reservation).toMatchObject({
      status: 'consumed',
      closedReason: 'used 6 of 8 5-unit dose reserved',
    });
    expect(out.movements.every((m: Out) => m.reservationId === reservationId)).toBe(true);
    expect(await available('itm-insulin', 'loc-pharmacy')).toBe(3);
    const err = await refusal(call(releaseStockReservation, { reservationId, reason: 'changed plan' }));
    expect(err.message).toContain('consumed');
  });

  it('releases a reservation back to stock', async () => {
    const { reservation } = await call<Out>(reserveStock, { ...booking, subjectId: 'tb-x', quantity: 3 });
    expect(await available('itm-insulin', 'loc-pharmacy')).toBe(0);
    await call(releaseStockReservation, {
      reservationId: reservation.reservationId,
      reason: 'surgery cancelled',
    });
    expect(await available('itm-insulin', 'loc-pharmacy')).toBe(3);
  });

  it('consumes a reservation for a surgery and charges the encounter', async () => {
    await call(receiveStock, {
      itemId: 'itm-strips',
      locationId: 'loc-th-1',
      lotNumber: 'STR-TH',
      expiresOn: '2027-03-31',
      quantity: 5,
    });
    const { reservation } = await call<Out>(reserveStock, {
      itemId: 'itm-strips',
      locationId: 'loc-th-1',
      quantity: 3,
      purpose: 'theatre-booking',
      subjectId: 'tb-ada-2',
      patientId: 'pat-1',
      neededAt: '2026-03-20T12:00:00Z',
    });
    const missing = await refusal(
      call(consumeStockReservation, { reservationId: reservation.reservationId }),
    );
    expect(missing.issues[0]!.field).toBe('encounterId');
    const out = await call<Out>(consumeStockReservation, {
      reservationId: reservation.reservationId,
      quantity: 2,
      encounterId: WARD_ENCOUNTER,
    });
    expect(out.charge.amountCents).toBe(9_000);
    expect(out.reservation.status).toBe('consumed');
    expect(await available('itm-strips', 'loc-th-1')).toBe(3);
  });
});

describe('concurrency', () => {
  it('two dispenses of the last unit: one succeeds, one is refused, stock is never negative', async () => {
    await call(receiveStock, {
      itemId: 'itm-strips',
      locationId: 'loc-cab-icu',
      lotNumber: 'LAST-1',
      expiresOn: '2027-01-31',
      quantity: 1,
    });
    const dispense = () =>
      call(dispenseToPatient, { itemId: 'itm-strips', locationId: 'loc-cab-icu', ...forAda, quantity: 1 });
    const results = await Promise.allSettled([dispense(), dispense()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).toBe('conflict');
    expect(rejected.reason.message).toContain('1 box short');
    const [lot] = await database.db.select().from(stockLots).where(eq(stockLots.lotNumber, 'LAST-1'));
    expect(lot!.quantity).toBe(0);
  });

  it('two reservations of the last units: one is held, one is refused', async () => {
    await call(receiveStock, {
      itemId: 'itm-strips',
      locationId: 'loc-cab-icu',
      lotNumber: 'LAST-2',
      expiresOn: '2027-01-31',
      quantity: 2,
    });
    const reserve = (subjectId: string) =>
      call(reserveStock, {
        itemId: 'itm-strips',
        locationId: 'loc-cab-icu',
        quantity: 2,
        purpose: 'theatre-booking',
        subjectId,
        neededAt: '2026-03-21T08:00:00Z',
      });
    const results = await Promise.allSettled([reserve('tb-a'), reserve('tb-b')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await available('itm-strips', 'loc-cab-icu')).toBe(0);
  });
});
