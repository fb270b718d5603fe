import type { Database } from '../../db/client.ts';
import { encounters } from '../../db/schema/index.ts';
import type { InventoryStep, KeyName } from './types.ts';

// The fixture's facts (tools/inventory/test-fixtures.ts, priced by tools/revenue/test-fixtures.ts) and
// the steps most scenarios share. Insulin at the pharmacy: INS-OLD expired 03-10 (3), INS-A 03-25 (2),
// INS-B 06-30 (10); chargemaster $12.00 a 5-unit dose. Strips at the central store: STR-1 (40), $45.00 a box.
export const ADA_WARD = 'enc-ada-ward';
export const BO_WARD = 'enc-bo-ward';
export const INSULIN_CENTS = 1_200;
export const STRIPS_CENTS = 4_500;

type Extra = Record<string, unknown> & { tag?: string; as?: KeyName };

const split = (extra: Extra) => {
  const { tag, as, ...body } = extra;
  return { body, meta: { ...(tag ? { tag } : {}), ...(as ? { as } : {}) } };
};

/** dispense_to_patient: insulin from the pharmacy to Ada on her ward stay, unless `extra` says otherwise. */
export function dispense(quantity: number, extra: Extra = {}): InventoryStep {
  const { body, meta } = split(extra);
  return {
    op: 'dispense_to_patient',
    body: {
      itemId: 'itm-insulin',
      locationId: 'loc-pharmacy',
      quantity,
      patientId: 'pat-1',
      encounterId: ADA_WARD,
      ...body,
    },
    ...meta,
  };
}

/** dispense_to_patient using the reservation held for `subject`. */
export function dispenseReserved(subject: string, quantity: number, extra: Extra = {}): InventoryStep {
  const { body, meta } = split(extra);
  return {
    op: 'dispense_to_patient',
    body: (ids) => ({
      itemId: 'itm-insulin',
      locationId: 'loc-pharmacy',
      quantity,
      patientId: 'pat-1',
      encounterId: ADA_WARD,
      reservationId: ids.reservation(subject),
      ...body,
    }),
    ...meta,
  };
}

/** reserve_stock of insulin at the pharmacy for a theatre booking needed tomorrow morning, unless `extra` says otherwise. */
export function reserve(subjectId: string, quantity: number, extra: Extra = {}): InventoryStep {
  const { body, meta } = split(extra);
  return {
    op: 'reserve_stock',
    body: {
      itemId: 'itm-insulin',
      locationId: 'loc-pharmacy',
      quantity,
      purpose: 'theatre-booking',
      subjectId,
      neededAt: '2026-03-21T08:00:00Z',
      ...body,
    },
    ...meta,
  };
}

export const release = (subject: string, reason: string, tag?: string): InventoryStep => ({
  op: 'release_stock_reservation',
  body: (ids) => ({ reservationId: ids.reservation(subject), reason }),
  ...(tag ? { tag } : {}),
});

export function consume(subject: string, extra: Extra = {}): InventoryStep {
  const { body, meta } = split(extra);
  return {
    op: 'consume_stock_reservation',
    body: (ids) => ({ reservationId: ids.reservation(subject), ...body }),
    ...meta,
  };
}

export const propose = (body: Record<string, unknown> = {}, tag?: string): InventoryStep => ({
  op: 'propose_reorders',
  body,
  ...(tag ? { tag } : {}),
});

/** answer_purchase_order on the newest order at a location. */
export function answer(
  location: string,
  decision: 'approve' | 'decline',
  extra: { staffId?: string; reason?: string; tag?: string } = {},
): InventoryStep {
  return {
    op: 'answer_purchase_order',
    body: (ids) => ({
      purchaseOrderId: ids.order(location),
      staffId: extra.staffId ?? 'stf-materials',
      decision,
      ...(extra.reason ? { reason: extra.reason } : {}),
    }),
    ...(extra.tag ? { tag: extra.tag } : {}),
  };
}

/** receive_purchase_order on the newest order at a location. */
export function receiveOrder(
  location: string,
  lines: { itemId: string; lotNumber: string; expiresOn: string; quantity: number }[],
  tag?: string,
): InventoryStep {
  return {
    op: 'receive_purchase_order',
    body: (ids) => ({ purchaseOrderId: ids.order(location), lines }),
    ...(tag ? { tag } : {}),
  };
}

/** set_inventory_item for insulin as the fixture has it, with another lead time or order multiple. */
export const insulinOrdered = (leadTimeDays: number, orderMultiple: number): InventoryStep => ({
  op: 'set_inventory_item',
  body: {
    itemId: 'itm-insulin',
    name: 'Insulin lispro 100 units/mL',
    kind: 'drug',
    unit: '5-unit dose',
    ndc: '00002751001',
    hcpcs: 'J1815',
    unitCostCents: 300,
    leadTimeDays,
    orderMultiple,
  },
});

export const alerts = (tag: string, body: Record<string, unknown> = {}): InventoryStep => ({
  op: 'list_inventory_alerts',
  body,
  tag,
});

export const waste = (lotId: string, quantity: number, reason: string): InventoryStep => ({
  op: 'waste_stock',
  body: { lotId, quantity, reason },
});

/** Bo (pat-2) on Med-Surg since 03-19, in progress: a second patient to dispense to. */
export async function boOnTheWard(database: Database): Promise<void> {
  await database.db.insert(encounters).values({
    id: BO_WARD,
    patientId: 'pat-2',
    class: 'IMP',
    status: 'in-progress',
    unitId: 'unit-ms',
    attendingId: 'stf-endo',
    startedAt: new Date('2026-03-19T10:00:00Z'),
  });
}
