import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { units } from './hospital.ts';
import { inventoryItems } from './inventory.ts';
import { patients, type StaffRole, staff } from './people.ts';

// The surgery flow: what each procedure needs, the requests the surgery orchestration plans, the
// surgical team it schedules and the post-operative beds it books ahead of time.

export const surgicalTeamRoles = ['surgeon', 'anaesthetist', 'scrub-nurse', 'circulating-nurse'] as const;
export type SurgicalTeamRole = (typeof surgicalTeamRoles)[number];

/** One place in a procedure's team: who may fill it. */
export interface TeamPlace {
  role: SurgicalTeamRole;
  staffRoles: StaffRole[];
  /** A physician's specialty; for the surgeon, the procedure's. */
  specialty?: string;
  /** A skill or certification (staff_skills) the person must hold, valid on the day. */
  skill?: string;
}

export const surgicalProcedures = pgTable('surgical_procedures', {
  // The CPT code the procedure is billed under.
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  specialty: text('specialty').notNull(),
  // Knife-to-skin preparation to leaving theatre; the theatre's turnover comes on top.
  durationMinutes: integer('duration_minutes').notNull(),
  // The unit type of the post-operative bed; null for a day case that goes home the same day.
  postOpUnitType: text('post_op_unit_type'),
  expectedStayNights: integer('expected_stay_nights').notNull().default(0),
  team: jsonb('team').$type<TeamPlace[]>().notNull(),
});

// The procedure → required items table: what is reserved for each case, and what may stand in for it.
export const procedureItems = pgTable(
  'procedure_items',
  {
    procedureCode: text('procedure_code')
      .notNull()
      .references(() => surgicalProcedures.code),
    itemId: text('item_id')
      .notNull()
      .references(() => inventoryItems.id),
    quantity: numeric('quantity', { mode: 'number' }).notNull(),
    // Items that may replace it one for one, in order of preference.
    substitutes: jsonb('substitutes').$type<string[]>().notNull().default([]),
  },
  (t) => [
    primaryKey({ columns: [t.procedureCode, t.itemId] }),
    check('procedure_items_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export const surgeryRequestStatuses = [
  // The orchestration is looking for a plan.
  'planning',
  // Theatre, stock, team and (for an inpatient case) the post-op bed are all held.
  'booked',
  // No plan could be made; the alternatives say what could be.
  'failed',
  'cancelled',
  // The case was performed; the claim follows.
  'completed',
  // The revenue agent has billed it.
  'billed',
] as const;
export type SurgeryRequestStatus = (typeof surgeryRequestStatuses)[number];

// A surgeon's office asks for a procedure; its id is the surgery orchestration's thread.
export const surgeryRequests = pgTable(
  'surgery_requests',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    procedureCode: text('procedure_code')
      .notNull()
      .references(() => surgicalProcedures.code),
    surgeonStaffId: text('surgeon_staff_id')
      .notNull()
      .references(() => staff.id),
    // The indication: ICD-10-CM codes, principal first, coded on the encounter when the case is done.
    diagnosisCodes: jsonb('diagnosis_codes').$type<string[]>().notNull().default([]),
    // The window the case may start in.
    earliestAt: timestamp('earliest_at', { withTimezone: true, mode: 'date' }).notNull(),
    latestAt: timestamp('latest_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: surgeryRequestStatuses }).notNull().default('planning'),
    // What the plan holds now (theatre booking, reservations, team, bed booking); null until booked.
    plan: jsonb('plan'),
    // Each slot tried and what stopped it, and when nothing fits, what could be done instead.
    attempts: jsonb('attempts').$type<unknown[]>().notNull().default([]),
    alternatives: jsonb('alternatives'),
    notes: jsonb('notes').$type<string[]>().notNull().default([]),
    outcome: text('outcome'),
    theatreBookingId: text('theatre_booking_id'),
    // Set when the case is done: the encounter it was performed in, and the task that bills it.
    encounterId: text('encounter_id'),
    revenueTaskId: text('revenue_task_id'),
    agentLeaseBy: text('agent_lease_by'),
    agentLeaseUntil: timestamp('agent_lease_until', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('surgery_requests_status_idx').on(t.status, t.createdAt),
    uniqueIndex('surgery_requests_booking_uq')
      .on(t.theatreBookingId)
      .where(sql`theatre_booking_id is not null`),
    index('surgery_requests_encounter_idx').on(t.encounterId).where(sql`encounter_id is not null`),
  ],
);

export const teamAssignmentStatuses = ['assigned', 'released', 'completed'] as const;

// A person scheduled into a case's team for the case's time.
export const surgicalTeamAssignments = pgTable(
  'surgical_team_assignments',
  {
    id: text('id').primaryKey(),
    // What the team is for (a surgery request), and the booking whose time it covers.
    subjectId: text('subject_id').notNull(),
    theatreBookingId: text('theatre_booking_id').notNull(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    role: text('role', { enum: surgicalTeamRoles }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: teamAssignmentStatuses }).notNull().default('assigned'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    closedReason: text('closed_reason'),
  },
  (t) => [
    index('surgical_team_staff_idx').on(t.staffId, t.startsAt).where(sql`status = 'assigned'`),
    index('surgical_team_subject_idx').on(t.subjectId),
    // One person per place in a case.
    uniqueIndex('surgical_team_place_uq').on(t.theatreBookingId, t.role).where(sql`status = 'assigned'`),
  ],
);

export const bedBookingStatuses = ['booked', 'released', 'admitted'] as const;

// A bed in a unit booked ahead for nights to come (a post-operative stay): capacity, not a named bed,
// which the bed agent assigns when the patient arrives.
export const bedBookings = pgTable(
  'bed_bookings',
  {
    id: text('id').primaryKey(),
    unitId: text('unit_id')
      .notNull()
      .references(() => units.id),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    purpose: text('purpose').notNull(),
    subjectId: text('subject_id').notNull(),
    fromAt: timestamp('from_at', { withTimezone: true, mode: 'date' }).notNull(),
    untilAt: timestamp('until_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: bedBookingStatuses }).notNull().default('booked'),
    // The bed request filed for it when the patient arrives.
    bedRequestId: text('bed_request_id'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    closedReason: text('closed_reason'),
  },
  (t) => [
    index('bed_bookings_unit_idx').on(t.unitId, t.fromAt).where(sql`status = 'booked'`),
    uniqueIndex('bed_bookings_subject_uq').on(t.purpose, t.subjectId).where(sql`status = 'booked'`),
    check('bed_bookings_span', sql`${t.untilAt} > ${t.fromAt}`),
  ],
);
