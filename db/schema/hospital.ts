import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
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
  // Age limits of the unit's patients (a paediatric ward: max 17), a soft rule for bed assignment.
  minAgeYears: integer('min_age_years'),
  maxAgeYears: integer('max_age_years'),
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

// fulfilled: the patient arrived and occupies the bed, so the occupancy, not the hold, now guards it.
export const reservationStatuses = ['held', 'accepted', 'released', 'expired', 'fulfilled'] as const;

export const bedReservations = pgTable(
  'bed_reservations',
  {
    id: text('id').primaryKey(),
    bedId: text('bed_id')
      .notNull()
      .references(() => beds.id),
    patientId: text('patient_id').notNull(),
    escalationId: text('escalation_id'),
    // The bed request the bed agent negotiates this hold for.
    requestId: text('request_id'),
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
    uniqueIndex('bed_reservations_active_request_uq')
      .on(t.requestId)
      .where(sql`status in ('held', 'accepted') and request_id is not null`),
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

export const bedRequestStatuses = [
  'negotiating',
  'awaiting-acceptance',
  'assigned',
  'no-fit',
  'cancelled',
] as const;
export type BedRequestStatus = (typeof bedRequestStatuses)[number];
export const bedRequesters = ['triage', 'ed', 'surgery', 'transfer', 'admissions'] as const;
export const bedRequestPriorities = ['emergency', 'urgent', 'routine'] as const;

// A request for a bed and its negotiation by the bed agent (agents/beds): the request's thread is its id.
export const bedRequests = pgTable(
  'bed_requests',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id').notNull(),
    need: jsonb('need').notNull(),
    requester: text('requester', { enum: bedRequesters }).notNull(),
    priority: text('priority', { enum: bedRequestPriorities }).notNull().default('urgent'),
    escalationId: text('escalation_id'),
    status: text('status', { enum: bedRequestStatuses }).notNull().default('negotiating'),
    holdMinutes: integer('hold_minutes').notNull(),
    escalateAfterMinutes: integer('escalate_after_minutes').notNull(),
    bedId: text('bed_id'),
    outcome: text('outcome'),
    // When nothing fits: the options proposed, each with its reason.
    options: jsonb('options'),
    // The bed agent run working on the request now; a run that dies leaves its lease to lapse.
    agentLeaseBy: text('agent_lease_by'),
    agentLeaseUntil: timestamp('agent_lease_until', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    // An escalation asks for one bed, however often its triage run is retried.
    uniqueIndex('bed_requests_escalation_uq').on(t.escalationId).where(sql`escalation_id is not null`),
    index('bed_requests_status_idx').on(t.status, t.createdAt),
  ],
);

export const approvalStatuses = ['pending', 'answered', 'escalated', 'expired', 'cancelled'] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];
export const approvalDecisions = ['accept', 'decline', 'counter'] as const;

// A question an agent put to a person (a LangGraph interrupt): the agent's thread resumes with the answer.
export const approvals = pgTable(
  'approvals',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['bed-acceptance'] }).notNull(),
    agent: text('agent').notNull(),
    threadId: text('thread_id').notNull(),
    subjectId: text('subject_id').notNull(),
    assigneeRole: text('assignee_role', { enum: ['charge-nurse', 'bed-manager'] }).notNull(),
    unitId: text('unit_id'),
    status: text('status', { enum: approvalStatuses }).notNull().default('pending'),
    question: jsonb('question').notNull(),
    decision: text('decision', { enum: approvalDecisions }),
    answer: jsonb('answer'),
    answeredBy: text('answered_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    // When an unanswered question goes to the next person up; null: it waits for its hold to lapse.
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('approvals_pending_subject_uq').on(t.subjectId).where(sql`status = 'pending'`),
    index('approvals_due_idx').on(t.dueAt).where(sql`status = 'pending'`),
  ],
);

export const theatres = pgTable('theatres', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  unitId: text('unit_id')
    .notNull()
    .references(() => units.id),
  // Cleaning and set-up after a case before the next may start.
  turnoverMinutes: integer('turnover_minutes').notNull().default(30),
  specialty: text('specialty'),
});

export const theatreBookingStatuses = ['booked', 'cancelled', 'completed'] as const;

export const theatreBookings = pgTable(
  'theatre_bookings',
  {
    id: text('id').primaryKey(),
    theatreId: text('theatre_id')
      .notNull()
      .references(() => theatres.id),
    patientId: text('patient_id').notNull(),
    procedure: text('procedure').notNull(),
    surgeonStaffId: text('surgeon_staff_id'),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    // endsAt plus the theatre's turnover: the span no other booking may overlap.
    turnoverEndsAt: timestamp('turnover_ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: theatreBookingStatuses }).notNull().default('booked'),
    // A reschedule cancels the booking and books anew; the old row points at the new one.
    rescheduledTo: text('rescheduled_to'),
    cancelReason: text('cancel_reason'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('theatre_bookings_theatre_idx').on(t.theatreId, t.startsAt)],
);
