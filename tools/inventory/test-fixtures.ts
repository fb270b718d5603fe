import type { Database } from '../../db/client.ts';
import {
  encounters,
  inventoryItems,
  inventoryLocations,
  parLevels,
  staff,
  stockLots,
} from '../../db/schema/index.ts';

/**
 * Stock on top of the mini hospital (evals/hospital.ts) and the billing office (revenueWard, for the
 * chargemaster and theatre th-1). Today is 2026-03-20 (TODAY in ../revenue/test-fixtures.ts).
 *
 *   locations  loc-central (central store), loc-pharmacy, loc-cab-icu (ICU cabinet, filled from the
 *              central store), loc-th-1 (theatre 1's store)
 *   items      itm-insulin (drug, NDC 00002751001 = the chargemaster's insulin, per 5-unit dose)
 *              itm-strips (supply A4253, priced), itm-propofol (drug with an NDC the chargemaster lacks),
 *              itm-knee (implant C1776, no price), itm-gauze (supply, no HCPCS)
 *   lots       insulin at the pharmacy: INS-OLD expired 03-10 (3), INS-A 03-25 (2), INS-B 06-30 (10)
 *              strips at the central store: STR-1 2027-01-31 (40)
 *   encounter  enc-ada-ward: Ada (pat-1) in the ICU since 03-18, in progress
 *   staff      stf-materials, the materials manager
 */
export const WARD_ENCOUNTER = 'enc-ada-ward';
export const RECEIVED_AT = new Date('2026-03-01T08:00:00Z');

export async function inventoryWard(database: Database): Promise<void> {
  const { db } = database;
  await db.insert(staff).values({
    id: 'stf-materials',
    name: 'Mo Materials',
    role: 'materials-manager',
    pager: 'PGR-0201',
  });
  await db.insert(encounters).values({
    id: WARD_ENCOUNTER,
    patientId: 'pat-1',
    class: 'IMP',
    status: 'in-progress',
    unitId: 'unit-icu',
    attendingId: 'stf-endo',
    startedAt: new Date('2026-03-18T10:00:00Z'),
  });
  await db.insert(inventoryLocations).values([
    { id: 'loc-central', name: 'Central store', kind: 'central-store' },
    { id: 'loc-pharmacy', name: 'Pharmacy', kind: 'pharmacy' },
    {
      id: 'loc-cab-icu',
      name: 'ICU cabinet',
      kind: 'unit-cabinet',
      unitId: 'unit-icu',
      replenishedFrom: 'loc-central',
    },
    { id: 'loc-th-1', name: 'Theatre 1 store', kind: 'theatre-store', theatreId: 'th-1' },
  ]);
  await db.insert(inventoryItems).values([
    {
      id: 'itm-insulin',
      name: 'Insulin lispro 100 units/mL',
      kind: 'drug',
      unit: '5-unit dose',
      ndc: '00002751001',
      hcpcs: 'J1815',
      unitCostCents: 300,
      leadTimeDays: 3,
      orderMultiple: 10,
    },
    {
      id: 'itm-strips',
      name: 'Blood glucose test strips, box of 50',
      kind: 'supply',
      unit: 'box',
      hcpcs: 'A4253',
      unitCostCents: 1_500,
      leadTimeDays: 5,
      orderMultiple: 12,
    },
    {
      id: 'itm-propofol',
      name: 'Propofol 10 mg/mL, 20 mL vial',
      kind: 'drug',
      unit: 'vial',
      ndc: '63323026920',
      hcpcs: 'J2704',
      unitCostCents: 250,
    },
    {
      id: 'itm-knee',
      name: 'Knee joint implant',
      kind: 'implant',
      unit: 'each',
      hcpcs: 'C1776',
      unitCostCents: 180_000,
      leadTimeDays: 7,
    },
    { id: 'itm-gauze', name: 'Gauze swabs, pack of 10', kind: 'supply', unit: 'pack', unitCostCents: 40 },
  ]);
  const lot = (id: string, itemId: string, locationId: string, expiresOn: string, quantity: number) => ({
    id,
    itemId,
    locationId,
    lotNumber: id.replace(/^lot-/, '').toUpperCase(),
    expiresOn,
    quantity,
    receivedAt: RECEIVED_AT,
  });
  await db
    .insert(stockLots)
    .values([
      lot('lot-ins-old', 'itm-insulin', 'loc-pharmacy', '2026-03-10', 3),
      lot('lot-ins-a', 'itm-insulin', 'loc-pharmacy', '2026-03-25', 2),
      lot('lot-ins-b', 'itm-insulin', 'loc-pharmacy', '2026-06-30', 10),
      lot('lot-str-1', 'itm-strips', 'loc-central', '2027-01-31', 40),
    ]);
  await db.insert(parLevels).values([
    { locationId: 'loc-pharmacy', itemId: 'itm-insulin', parLevel: 30, reorderPoint: 15 },
    { locationId: 'loc-central', itemId: 'itm-strips', parLevel: 40, reorderPoint: 10 },
    { locationId: 'loc-th-1', itemId: 'itm-knee', parLevel: 2, reorderPoint: 1 },
  ]);
}
