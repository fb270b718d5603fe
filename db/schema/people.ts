import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
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
  // Approves overtime and agency cover above the threshold (the staffing office).
  'staffing-manager',
  // Reviews claims the scrubber could not clear and approves corrected claims and appeals (the billing office).
  'coder',
  // Approves purchase orders above the threshold (materials management).
  'materials-manager',
] as const;
export type StaffRole = (typeof staffRoles)[number];

export const employmentTypes = ['full-time', 'part-time', 'per-diem', 'agency'] as const;

export const staff = pgTable(
  'staff',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role', { enum: staffRoles }).notNull(),
    specialty: text('specialty'),
    unitId: text('unit_id').references(() => units.id),
    pager: text('pager').notNull(),
    // National Provider Identifier, for the clinicians named on claims (rendering, attending, operating).
    npi: text('npi'),
    employmentType: text('employment_type', { enum: employmentTypes }).notNull().default('full-time'),
    // May work on units other than the home unit (the float pool).
    floatEligible: boolean('float_eligible').notNull().default(false),
    contractedMinutesPerWeek: integer('contracted_minutes_per_week').notNull().default(2400),
    // Base pay in cents per hour; null for staff not paid hourly through this payroll (e.g. salaried).
    hourlyRateCents: integer('hourly_rate_cents'),
    // Overtime basis: FLSA weekly 40 h, or the 8/80 system hospitals may use (29 CFR 778.601).
    overtimeBasis: text('overtime_basis', { enum: ['weekly-40', '8-80'] })
      .notNull()
      .default('weekly-40'),
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

export const shiftStatuses = ['scheduled', 'worked', 'called-out', 'cancelled'] as const;

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
    // scheduled → worked (clocked) | called-out | cancelled; payroll counts worked shifts only.
    status: text('status', { enum: shiftStatuses }).notNull().default('scheduled'),
    clockInAt: timestamp('clock_in_at', { withTimezone: true, mode: 'date' }),
    clockOutAt: timestamp('clock_out_at', { withTimezone: true, mode: 'date' }),
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

// Skills and certifications (BLS, ACLS, PALS, CCRN, charge…); a lapsed certification no longer counts.
export const staffSkills = pgTable(
  'staff_skills',
  {
    id: text('id').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    skill: text('skill').notNull(),
    certifiedUntil: date('certified_until', { mode: 'string' }),
  },
  (t) => [uniqueIndex('staff_skills_uq').on(t.staffId, t.skill), index('staff_skills_skill_idx').on(t.skill)],
);

export const leaveKinds = ['annual', 'sick', 'study', 'parental', 'other'] as const;
export const requestStatuses = ['requested', 'approved', 'declined', 'withdrawn'] as const;

export const staffLeave = pgTable(
  'staff_leave',
  {
    id: text('id').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    kind: text('kind', { enum: leaveKinds }).notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: requestStatuses }).notNull().default('requested'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    decidedBy: text('decided_by'),
  },
  (t) => [index('staff_leave_staff_idx').on(t.staffId, t.startsOn)],
);

// A wish to work (on) or not work (off) a shift kind on a day; the roster solver weighs it.
export const shiftRequests = pgTable(
  'shift_requests',
  {
    id: text('id').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    day: date('day', { mode: 'string' }).notNull(),
    kind: text('kind', { enum: ['day', 'evening', 'night', 'any'] }).notNull(),
    want: text('want', { enum: ['on', 'off'] }).notNull(),
    weight: integer('weight').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('shift_requests_staff_idx').on(t.staffId, t.day)],
);

// A unit's staffing rule where it differs from the default policy (tools/staffing/demand): patients
// per licensed nurse, charge nurses per shift, and a skill at least one nurse on shift must hold.
export const unitStaffingPolicies = pgTable('unit_staffing_policies', {
  unitId: text('unit_id')
    .primaryKey()
    .references(() => units.id),
  patientsPerNurse: integer('patients_per_nurse').notNull(),
  chargeNursesPerShift: integer('charge_nurses_per_shift').notNull().default(1),
  requiredSkill: text('required_skill'),
  source: text('source').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedBy: text('updated_by').notNull(),
});

export const coverRequestStatuses = ['open', 'awaiting-approval', 'filled', 'unfilled', 'cancelled'] as const;
export type CoverRequestStatus = (typeof coverRequestStatuses)[number];
export const coverTiers = ['float', 'extra-shift', 'overtime', 'agency'] as const;
export type CoverTier = (typeof coverTiers)[number];

// A shift that needs a person: a call-out to repair, or an open shift. The staffing agent (agents/staffing)
// works it; the request's thread is its id.
export const coverRequests = pgTable(
  'cover_requests',
  {
    id: text('id').primaryKey(),
    // The called-out shift this replaces; null for an open shift posted directly.
    shiftId: text('shift_id').references(() => shifts.id),
    unitId: text('unit_id')
      .notNull()
      .references(() => units.id),
    role: text('role', { enum: staffRoles }).notNull(),
    kind: text('kind', { enum: ['day', 'evening', 'night'] }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    requiredSkill: text('required_skill'),
    status: text('status', { enum: coverRequestStatuses }).notNull().default('open'),
    // Overtime or agency cover costing more than this waits for a staffing manager's approval.
    approvalThresholdCents: integer('approval_threshold_cents').notNull(),
    filledBy: text('filled_by').references(() => staff.id),
    coverShiftId: text('cover_shift_id').references(() => shifts.id),
    costCents: integer('cost_cents'),
    tier: text('tier', { enum: coverTiers }),
    // The question waiting for a staffing manager (the candidate, tier, cost and why it needs approval).
    question: jsonb('question'),
    // Every manager answer, in order; a declined candidate is not asked for again.
    decisions: jsonb('decisions').notNull().default([]),
    outcome: text('outcome'),
    agentLeaseBy: text('agent_lease_by'),
    agentLeaseUntil: timestamp('agent_lease_until', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    // A called-out shift is repaired once, however often the call-out is reported.
    uniqueIndex('cover_requests_shift_uq')
      .on(t.shiftId)
      .where(sql`shift_id is not null and status <> 'cancelled'`),
    index('cover_requests_status_idx').on(t.status, t.startsAt),
  ],
);

export const rosterProposalStatuses = ['proposed', 'published', 'discarded'] as const;

// A roster the solver proposed for a unit from its staff, requests and leave; publishing writes its shifts.
export const rosterProposals = pgTable(
  'roster_proposals',
  {
    id: text('id').primaryKey(),
    unitId: text('unit_id')
      .notNull()
      .references(() => units.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    days: integer('days').notNull(),
    status: text('status', { enum: rosterProposalStatuses }).notNull().default('proposed'),
    // The solver's input and output as they were: staff, cover, requests; the assignments; the breakdown.
    input: jsonb('input').notNull(),
    roster: jsonb('roster').notNull(),
    objective: integer('objective').notNull(),
    lowerBound: integer('lower_bound'),
    report: jsonb('report').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('roster_proposals_unit_idx').on(t.unitId, t.startsOn)],
);
