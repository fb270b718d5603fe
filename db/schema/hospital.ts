import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const unitTypes = [
  'icu',
  'step-down',
  'telemetry',
  'med-surg',
  'ed',
  'maternity',
  'pediatrics',
  'oncology',
  'surgical',
] as const;
export type UnitType = (typeof unitTypes)[number];

export const units = pgTable('units', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  type: text('type', { enum: unitTypes }).notNull(),
  floor: integer('floor').notNull(),
  specialty: text('specialty'),
});

export const roomSexPolicies = ['mixed', 'male', 'female'] as const;
export const isolationKinds = ['none', 'contact', 'droplet', 'airborne'] as const;
export type IsolationKind = (typeof isolationKinds)[number];

export const rooms = pgTable('rooms', {
  id: text('id').primaryKey(),
  unitId: text('unit_id')
    .notNull()
    .references(() => units.id),
  name: text('name').notNull(),
  sexPolicy: text('sex_policy', { enum: roomSexPolicies }).notNull().default('mixed'),
  // Highest isolation the room supports; 'airborne' means a negative-pressure room.
  isolation: text('isolation', { enum: isolationKinds }).notNull().default('none'),
});

// HL7 v2 table 0116 (Bed Status), the codes FHIR R4 Location.operationalStatus uses.
export const bedStatuses = ['C', 'H', 'I', 'K', 'O', 'U'] as const;
export type BedStatus = (typeof bedStatuses)[number];
export const housekeepingStates = ['dirty', 'cleaning', 'clean', 'inspected', 'blocked'] as const;

export const beds = pgTable(
  'beds',
  {
    id: text('id').primaryKey(),
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id),
    unitId: text('unit_id')
      .notNull()
      .references(() => units.id),
    label: text('label').notNull(),
    status: text('status', { enum: bedStatuses }).notNull().default('U'),
    housekeeping: text('housekeeping', { enum: housekeepingStates }).notNull().default('clean'),
    telemetry: boolean('telemetry').notNull().default(false),
    bariatric: boolean('bariatric').notNull().default(false),
    occupantPatientId: text('occupant_patient_id'),
  },
  (t) => [
    index('beds_unit_idx').on(t.unitId, t.status),
    // One patient occupies at most one bed.
    uniqueIndex('beds_occupant_uq').on(t.occupantPatientId).where(sql`occupant_patient_id is not null`),
  ],
);

export const reservationStatuses = ['held', 'accepted', 'released', 'expired'] as const;

export const bedReservations = pgTable(
  'bed_reservations',
  {
    id: text('id').primaryKey(),
    bedId: text('bed_id')
      .notNull()
      .references(() => beds.id),
    patientId: text('patient_id').notNull(),
    escalationId: text('escalation_id'),
    status: text('status', { enum: reservationStatuses }).notNull().default('held'),
    reason: text('reason').notNull(),
    holdExpiresAt: timestamp('hold_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    // The database, not the code, guarantees a bed is never reserved twice.
    uniqueIndex('bed_reservations_active_bed_uq').on(t.bedId).where(sql`status in ('held', 'accepted')`),
    // One live reservation per escalation makes a retried agent step a no-op.
    uniqueIndex('bed_reservations_active_escalation_uq')
      .on(t.escalationId)
      .where(sql`status in ('held', 'accepted') and escalation_id is not null`),
    index('bed_reservations_expiry_idx').on(t.holdExpiresAt).where(sql`status = 'held'`),
  ],
);

// One row per change to a bed as the bed board shows it (status, housekeeping, occupant, hold,
// pending discharge): what GET /v1/beds/events streams. `txid` is the writing transaction's id, so a
// reader can take only events of transactions that have all ended and never skip one that committed
// late (see tools/beds/bed-events.ts). No foreign key to beds: like the audit log this is history,
// and replacing the seed truncates beds without it.
export const bedEvents = pgTable(
  'bed_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    txid: bigint('txid', { mode: 'number' }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
    bedId: text('bed_id').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    change: text('change').notNull(),
    actor: text('actor').notNull(),
  },
  (t) => [index('bed_events_order_idx').on(t.txid, t.id)],
);
