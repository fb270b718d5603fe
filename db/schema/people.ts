import { index, integer, pgTable, text, timestamp, uniqueIndex, date } from 'drizzle-orm/pg-core';
import { units, beds } from './hospital.ts';

export const administrativeSexes = ['male', 'female', 'other', 'unknown'] as const;

export const staffRoles = [
  'RN',
  'LPN',
  'CNA',
  'physician',
  'charge-nurse',
  'bed-manager',
  'housekeeping',
] as const;
export type StaffRole = (typeof staffRoles)[number];

export const staff = pgTable(
  'staff',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role', { enum: staffRoles }).notNull(),
    specialty: text('specialty'),
    unitId: text('unit_id').references(() => units.id),
    pager: text('pager').notNull(),
  },
  (t) => [index('staff_unit_idx').on(t.unitId), index('staff_specialty_idx').on(t.specialty)],
);

export const patients = pgTable(
  'patients',
  {
    id: text('id').primaryKey(),
    mrn: text('mrn').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    sex: text('sex', { enum: administrativeSexes }).notNull(),
    // The nurse the care team assigned: notified for ward-level responses.
    assignedNurseId: text('assigned_nurse_id').references(() => staff.id),
    // The specialty paged for this patient's emergencies (e.g. endocrinology for a diabetic).
    careSpecialty: text('care_specialty').notNull().default('internal-medicine'),
    // The unit type an emergency admission needs, when the patient's condition dictates one.
    isolation: text('isolation', { enum: ['none', 'contact', 'droplet', 'airborne'] })
      .notNull()
      .default('none'),
  },
  (t) => [uniqueIndex('patients_mrn_uq').on(t.mrn)],
);

export const encounterClasses = ['IMP', 'EMER', 'AMB', 'HH'] as const;
export const encounterStatuses = ['planned', 'in-progress', 'finished', 'cancelled'] as const;

export const encounters = pgTable(
  'encounters',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    class: text('class', { enum: encounterClasses }).notNull(),
    status: text('status', { enum: encounterStatuses }).notNull(),
    unitId: text('unit_id').references(() => units.id),
    bedId: text('bed_id').references(() => beds.id),
    attendingId: text('attending_id').references(() => staff.id),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    // A pending discharge: when the care team expects the patient to leave (shown on the bed board).
    expectedDischargeAt: timestamp('expected_discharge_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('encounters_patient_idx').on(t.patientId, t.status)],
);

export const shifts = pgTable(
  'shifts',
  {
    id: text('id').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    unitId: text('unit_id')
      .notNull()
      .references(() => units.id),
    kind: text('kind', { enum: ['day', 'evening', 'night'] }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('shifts_unit_time_idx').on(t.unitId, t.startsAt)],
);

// A weekly rota: on-call cover repeats every week, so "who is on call now" never goes stale.
// Minutes are counted from Monday 00:00 in the hospital's time zone (UTC in the demo).
export const onCallRota = pgTable(
  'on_call_rota',
  {
    id: text('id').primaryKey(),
    specialty: text('specialty').notNull(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    tier: text('tier', { enum: ['primary', 'backup'] }).notNull(),
    startMinute: integer('start_minute').notNull(),
    endMinute: integer('end_minute').notNull(),
  },
  (t) => [index('on_call_specialty_idx').on(t.specialty, t.tier)],
);
