import { z } from 'zod';
import {
  inventoryItemKinds,
  inventoryLocationKinds,
  purchaseOrderStatuses,
  stockMovementKinds,
  stockReservationStatuses,
} from '../../db/schema/index.ts';
import { isExpired } from './rules.ts';
import type { ItemRow, LocationRow, LotRow, ReservationRow } from './store.ts';

/** What the inventory operations take and return, as zod schemas, and the presenters of rows. */

export const quantitySchema = z.number().positive().max(1_000_000);
export const reasonSchema = z.string().trim().min(3).max(500);

export const itemSchema = z.object({
  itemId: z.string(),
  name: z.string(),
  kind: z.enum(inventoryItemKinds),
  unit: z.string(),
  ndc: z.string().nullable(),
  hcpcs: z.string().nullable(),
  unitCostCents: z.number().int(),
  leadTimeDays: z.number().int(),
  orderMultiple: z.number().int(),
  active: z.boolean(),
});

export function presentItem(r: ItemRow): z.infer<typeof itemSchema> {
  return {
    itemId: r.id,
    name: r.name,
    kind: r.kind,
    unit: r.unit,
    ndc: r.ndc,
    hcpcs: r.hcpcs,
    unitCostCents: r.unitCostCents,
    leadTimeDays: r.leadTimeDays,
    orderMultiple: r.orderMultiple,
    active: r.active,
  };
}

export const locationSchema = z.object({
  locationId: z.string(),
  name: z.string(),
  kind: z.enum(inventoryLocationKinds),
  unitId: z.string().nullable(),
  theatreId: z.string().nullable(),
  replenishedFrom: z.string().nullable(),
});

export function presentLocation(r: LocationRow): z.infer<typeof locationSchema> {
  return {
    locationId: r.id,
    name: r.name,
    kind: r.kind,
    unitId: r.unitId,
    theatreId: r.theatreId,
    replenishedFrom: r.replenishedFrom,
  };
}

export const lotSchema = z.object({
  lotId: z.string(),
  itemId: z.string(),
  locationId: z.string(),
  lotNumber: z.string(),
  expiresOn: z.string(),
  quantity: z.number(),
  expired: z.boolean(),
});

export function presentLot(r: LotRow, today: string): z.infer<typeof lotSchema> {
  return {
    lotId: r.id,
    itemId: r.itemId,
    locationId: r.locationId,
    lotNumber: r.lotNumber,
    expiresOn: r.expiresOn,
    quantity: r.quantity,
    expired: isExpired(r, today),
  };
}

export const movementSchema = z.object({
  movementId: z.string(),
  kind: z.enum(stockMovementKinds),
  itemId: z.string(),
  lotId: z.string(),
  locationId: z.string(),
  quantity: z.number().describe('Signed: + into the lot, − out of it'),
  patientId: z.string().nullable(),
  encounterId: z.string().nullable(),
  reservationId: z.string().nullable(),
  purchaseOrderId: z.string().nullable(),
  chargeId: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
});

export function presentMovement(r: {
  id: string;
  kind: (typeof stockMovementKinds)[number];
  itemId: string;
  lotId: string;
  locationId: string;
  quantity: number;
  patientId: string | null;
  encounterId: string | null;
  reservationId: string | null;
  purchaseOrderId: string | null;
  chargeId: string | null;
  reason: string | null;
  at: Date;
}): z.infer<typeof movementSchema> {
  return {
    movementId: r.id,
    kind: r.kind,
    itemId: r.itemId,
    lotId: r.lotId,
    locationId: r.locationId,
    quantity: r.quantity,
    patientId: r.patientId,
    encounterId: r.encounterId,
    reservationId: r.reservationId,
    purchaseOrderId: r.purchaseOrderId,
    chargeId: r.chargeId,
    reason: r.reason,
    at: r.at.toISOString(),
  };
}

export const reservationSchema = z.object({
  reservationId: z.string(),
  itemId: z.string(),
  locationId: z.string(),
  quantity: z.number(),
  purpose: z.string(),
  subjectId: z.string(),
  patientId: z.string().nullable(),
  neededAt: z.string(),
  status: z.enum(stockReservationStatuses),
  closedAt: z.string().nullable(),
  closedReason: z.string().nullable(),
});

export function presentReservation(r: ReservationRow): z.infer<typeof reservationSchema> {
  return {
    reservationId: r.id,
    itemId: r.itemId,
    locationId: r.locationId,
    quantity: r.quantity,
    purpose: r.purpose,
    subjectId: r.subjectId,
    patientId: r.patientId,
    neededAt: r.neededAt.toISOString(),
    status: r.status,
    closedAt: r.closedAt?.toISOString() ?? null,
    closedReason: r.closedReason,
  };
}

export const purchaseOrderSchema = z.object({
  purchaseOrderId: z.string(),
  locationId: z.string(),
  status: z.enum(purchaseOrderStatuses),
  totalCents: z.number().int(),
  approvalThresholdCents: z.number().int(),
  expectedOn: z.string().nullable(),
  basis: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  lines: z.array(
    z.object({
      itemId: z.string(),
      quantity: z.number(),
      unitCostCents: z.number().int(),
      receivedQuantity: z.number(),
    }),
  ),
});
export type PurchaseOrderView = z.infer<typeof purchaseOrderSchema>;
