import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { theatres, units } from './hospital.ts';
import { encounters, patients } from './people.ts';

// Inventory and pharmacy: items, where they are kept, stock by lot, every movement, par levels,
// reservations for future use (a surgery's drugs and implants) and purchase orders. Quantities are in
// the item's unit of measure; a lot's quantity never goes below zero (a check constraint, not only code).

export const inventoryItemKinds = ['drug', 'supply', 'implant'] as const;

export const inventoryItems = pgTable(
  'inventory_items',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: inventoryItemKinds }).notNull(),
    // The unit stock is counted and dispensed in: each, vial, mL, tablet, box…
    unit: text('unit').notNull(),
    // An 11-digit NDC for a drug; the HCPCS code billed for it (a J-code, or a supply's A/C/L code).
    ndc: text('ndc'),
    hcpcs: text('hcpcs'),
    unitCostCents: integer('unit_cost_cents').notNull(),
    // Days from order to delivery, and the multiple it is ordered in.
    leadTimeDays: integer('lead_time_days').notNull().default(2),
    orderMultiple: integer('order_multiple').notNull().default(1),
    // A discontinued item keeps its history but is no longer received, reserved or reordered.
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('inventory_items_ndc_uq').on(t.ndc).where(sql`ndc is not null`)],
);

export const inventoryLocationKinds = ['central-store', 'pharmacy', 'unit-cabinet', 'theatre-store'] as const;

export const inventoryLocations = pgTable('inventory_locations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: inventoryLocationKinds }).notNull(),
  unitId: text('unit_id').references(() => units.id),
  theatreId: text('theatre_id').references(() => theatres.id),
  // Where this location's reorders are filled from; null: from the supplier (central store, pharmacy).
  replenishedFrom: text('replenished_from'),
});

export const stockLots = pgTable(
  'stock_lots',
  {
    id: text('id').primaryKey(),
    itemId: text('item_id')
      .notNull()
      .references(() => inventoryItems.id),
    locationId: text('location_id')
      .notNull()
      .references(() => inventoryLocations.id),
    lotNumber: text('lot_number').notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    quantity: numeric('quantity', { mode: 'number' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('stock_lots_item_location_lot_uq').on(t.itemId, t.locationId, t.lotNumber),
    index('stock_lots_fefo_idx').on(t.itemId, t.locationId, t.expiresOn),
    check('stock_lots_quantity_not_negative', sql`${t.quantity} >= 0`),
  ],
);

export const stockMovementKinds = [
  'receive',
  'transfer-out',
  'transfer-in',
  'dispense',
  'waste',
  'adjust',
] as const;

// Every change to a lot's quantity, signed (+ in, − out), with why and for whom.
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: stockMovementKinds }).notNull(),
    itemId: text('item_id')
      .notNull()
      .references(() => inventoryItems.id),
    lotId: text('lot_id')
      .notNull()
      .references(() => stockLots.id),
    locationId: text('location_id')
      .notNull()
      .references(() => inventoryLocations.id),
    quantity: numeric('quantity', { mode: 'number' }).notNull(),
    patientId: text('patient_id').references(() => patients.id),
    encounterId: text('encounter_id').references(() => encounters.id),
    reservationId: text('reservation_id'),
    purchaseOrderId: text('purchase_order_id'),
    // The charge a dispense created (charges.id), for the revenue cycle.
    chargeId: text('charge_id'),
    reason: text('reason'),
    by: text('by').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('stock_movements_item_idx').on(t.itemId, t.locationId, t.at),
    index('stock_movements_patient_idx').on(t.patientId),
  ],
);

// Par level: what a location should hold; reorder point: below it, a reorder is proposed.
export const parLevels = pgTable(
  'par_levels',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => inventoryLocations.id),
    itemId: text('item_id')
      .notNull()
      .references(() => inventoryItems.id),
    parLevel: numeric('par_level', { mode: 'number' }).notNull(),
    reorderPoint: numeric('reorder_point', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.itemId] })],
);

export const stockReservationStatuses = ['held', 'consumed', 'released'] as const;

// Stock set aside for a future use: it counts against what others may take until consumed or released.
export const stockReservations = pgTable(
  'stock_reservations',
  {
    id: text('id').primaryKey(),
    itemId: text('item_id')
      .notNull()
      .references(() => inventoryItems.id),
    locationId: text('location_id')
      .notNull()
      .references(() => inventoryLocations.id),
    quantity: numeric('quantity', { mode: 'number' }).notNull(),
    // What it is for: 'theatre-booking' and the booking id, say.
    purpose: text('purpose').notNull(),
    subjectId: text('subject_id').notNull(),
    patientId: text('patient_id').references(() => patients.id),
    neededAt: timestamp('needed_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: stockReservationStatuses }).notNull().default('held'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    closedReason: text('closed_reason'),
  },
  (t) => [
    index('stock_reservations_item_idx').on(t.itemId, t.locationId).where(sql`status = 'held'`),
    index('stock_reservations_subject_idx').on(t.purpose, t.subjectId),
    check('stock_reservations_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export const purchaseOrderStatuses = [
  'proposed',
  'awaiting-approval',
  'approved',
  'received',
  'cancelled',
] as const;

export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: text('id').primaryKey(),
    locationId: text('location_id')
      .notNull()
      .references(() => inventoryLocations.id),
    status: text('status', { enum: purchaseOrderStatuses }).notNull().default('proposed'),
    totalCents: integer('total_cents').notNull(),
    // Orders costing more than this wait for a manager's approval.
    approvalThresholdCents: integer('approval_threshold_cents').notNull(),
    expectedOn: date('expected_on', { mode: 'string' }),
    // Why the scheduler proposed it: the items below their reorder point, the consumption it used.
    basis: text('basis'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('purchase_orders_status_idx').on(t.status, t.locationId)],
);

export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    purchaseOrderId: text('purchase_order_id')
      .notNull()
      .references(() => purchaseOrders.id),
    itemId: text('item_id')
      .notNull()
      .references(() => inventoryItems.id),
    quantity: numeric('quantity', { mode: 'number' }).notNull(),
    unitCostCents: integer('unit_cost_cents').notNull(),
    receivedQuantity: numeric('received_quantity', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.purchaseOrderId, t.itemId] })],
);
