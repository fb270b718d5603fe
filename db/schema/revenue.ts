import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { encounters, patients, staff } from './people.ts';
import { theatreBookings } from './hospital.ts';

// The revenue cycle: payers and coverage, the chargemaster, what was done in an encounter, the charges
// captured from it, claims (837P/837I) and their submissions, remittances (835) posted against them and
// the denial work queue. Money is integer cents throughout.

// The hospital as it bills: the 837's billing provider (2010AA), submitter (1000A) and receiver (1000B).
export const billingProfiles = pgTable('billing_profiles', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  npi: text('npi').notNull(),
  // EIN, nine digits (2010AA REF*EI).
  taxId: text('tax_id').notNull(),
  taxonomy: text('taxonomy').notNull(),
  addressLine1: text('address_line1').notNull(),
  city: text('city').notNull(),
  state: text('state').notNull(),
  postalCode: text('postal_code').notNull(),
  // Our ETIN at the clearinghouse (ISA06, GS02, 1000A NM109) and its id for us (ISA08, GS03, 1000B).
  submitterId: text('submitter_id').notNull(),
  contactName: text('contact_name').notNull(),
  contactPhone: text('contact_phone').notNull(),
  receiverName: text('receiver_name').notNull(),
  receiverId: text('receiver_id').notNull(),
});

export const payerKinds = ['medicare', 'medicaid', 'commercial', 'self-pay'] as const;
export type PayerKind = (typeof payerKinds)[number];

export const payers = pgTable('payers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: payerKinds }).notNull(),
  // The payer's id on claims (2010BB NM109, qualifier PI) and in 835s (N1*PR).
  x12PayerId: text('x12_payer_id').notNull().unique(),
  // SBR09: MB Medicare Part B, MA Part A, MC Medicaid, CI commercial.
  professionalFilingIndicator: text('professional_filing_indicator').notNull(),
  institutionalFilingIndicator: text('institutional_filing_indicator').notNull(),
  // Days from the date of service; null uses the payer kind's rule (Medicare 365, 42 CFR 424.44).
  timelyFilingDays: integer('timely_filing_days'),
  // The clearinghouse route (tools/revenue/clearinghouse): 'outbox' writes X12 files to a folder.
  clearinghouse: text('clearinghouse').notNull().default('outbox'),
});

export const payerPlans = pgTable(
  'payer_plans',
  {
    id: text('id').primaryKey(),
    payerId: text('payer_id')
      .notNull()
      .references(() => payers.id),
    name: text('name').notNull(),
    // CPT/HCPCS codes the plan will not pay without a prior authorisation number.
    priorAuthCodes: jsonb('prior_auth_codes').$type<string[]>().notNull().default([]),
  },
  (t) => [index('payer_plans_payer_idx').on(t.payerId)],
);

export const coveragePriorities = ['primary', 'secondary', 'tertiary'] as const;

// A patient's insurance with a plan, over its eligibility dates (both inclusive; open-ended while active).
export const coverages = pgTable(
  'coverages',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    planId: text('plan_id')
      .notNull()
      .references(() => payerPlans.id),
    priority: text('priority', { enum: coveragePriorities }).notNull().default('primary'),
    memberId: text('member_id').notNull(),
    groupNumber: text('group_number'),
    // SBR02 / PAT01: 18 self, 01 spouse, 19 child.
    relationship: text('relationship').notNull().default('18'),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
  },
  (t) => [index('coverages_patient_idx').on(t.patientId)],
);

export const priorAuthorizations = pgTable(
  'prior_authorizations',
  {
    id: text('id').primaryKey(),
    coverageId: text('coverage_id')
      .notNull()
      .references(() => coverages.id),
    // The payer's number, sent as REF*G1.
    number: text('number').notNull(),
    procedureCodes: jsonb('procedure_codes').$type<string[]>().notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    units: integer('units'),
  },
  (t) => [index('prior_authorizations_coverage_idx').on(t.coverageId)],
);

export const chargeKinds = ['accommodation', 'procedure', 'drug', 'supply'] as const;
export type ChargeKind = (typeof chargeKinds)[number];

// The hospital's price list. Accommodation items are keyed by unit type (a bed-day on that kind of unit).
export const chargemasterItems = pgTable(
  'chargemaster_items',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: chargeKinds }).notNull(),
    // CPT/HCPCS for procedures, supplies and J-code drugs; NDC (11 digits) for drugs billed by NDC;
    // the unit type for accommodation.
    code: text('code').notNull(),
    description: text('description').notNull(),
    // NUBC revenue code for institutional claims (e.g. 0200 ICU, 0120 semi-private room, 0250 pharmacy).
    revenueCode: text('revenue_code').notNull(),
    // A drug billed by NDC carries its J-code here for professional claims.
    hcpcsCode: text('hcpcs_code'),
    unitPriceCents: integer('unit_price_cents').notNull(),
    // UN units, DA days, MJ minutes, ML millilitres (NDC quantity).
    unitBasis: text('unit_basis').notNull().default('UN'),
  },
  (t) => [uniqueIndex('chargemaster_kind_code_uq').on(t.kind, t.code)],
);

// What a payer's plan allows for a code: the expected payment a remittance is measured against.
export const feeScheduleEntries = pgTable(
  'fee_schedule_entries',
  {
    planId: text('plan_id')
      .notNull()
      .references(() => payerPlans.id),
    code: text('code').notNull(),
    allowedCents: integer('allowed_cents').notNull(),
  },
  (t) => [uniqueIndex('fee_schedule_plan_code_uq').on(t.planId, t.code)],
);

// Diagnoses coded for an encounter, in claim order (sequence 1 is the principal diagnosis).
export const encounterDiagnoses = pgTable(
  'encounter_diagnoses',
  {
    encounterId: text('encounter_id')
      .notNull()
      .references(() => encounters.id),
    sequence: integer('sequence').notNull(),
    code: text('code').notNull(),
    // Present on admission (Y, N, U, W, 1), institutional claims.
    presentOnAdmission: text('present_on_admission'),
  },
  (t) => [uniqueIndex('encounter_diagnoses_uq').on(t.encounterId, t.sequence)],
);

export const serviceKinds = ['procedure', 'drug', 'supply'] as const;

// What was done for the patient in an encounter: the facts charge capture prices.
export const encounterServices = pgTable(
  'encounter_services',
  {
    id: text('id').primaryKey(),
    encounterId: text('encounter_id')
      .notNull()
      .references(() => encounters.id),
    kind: text('kind', { enum: serviceKinds }).notNull(),
    // CPT/HCPCS, or an NDC for a drug.
    code: text('code').notNull(),
    modifiers: jsonb('modifiers').$type<string[]>().notNull().default([]),
    quantity: numeric('quantity', { mode: 'number' }).notNull(),
    servicedOn: date('serviced_on', { mode: 'string' }).notNull(),
    performerId: text('performer_id').references(() => staff.id),
    // Diagnosis sequences (encounter_diagnoses.sequence) this service treats, for the 837P pointers.
    diagnosisSequences: jsonb('diagnosis_sequences').$type<number[]>().notNull().default([]),
    theatreBookingId: text('theatre_booking_id').references(() => theatreBookings.id),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('encounter_services_encounter_idx').on(t.encounterId)],
);

export const chargeStatuses = ['open', 'billed', 'voided'] as const;

export const charges = pgTable(
  'charges',
  {
    id: text('id').primaryKey(),
    encounterId: text('encounter_id')
      .notNull()
      .references(() => encounters.id),
    kind: text('kind', { enum: chargeKinds }).notNull(),
    // What it was captured from: 'service:<encounter_services.id>' or 'bed-day:<unit>:<date>'.
    source: text('source').notNull(),
    chargemasterItemId: text('chargemaster_item_id')
      .notNull()
      .references(() => chargemasterItems.id),
    serviceDate: date('service_date', { mode: 'string' }).notNull(),
    revenueCode: text('revenue_code').notNull(),
    // CPT/HCPCS billed (J-code for a drug); null for accommodation.
    procedureCode: text('procedure_code'),
    modifiers: jsonb('modifiers').$type<string[]>().notNull().default([]),
    ndc: text('ndc'),
    units: numeric('units', { mode: 'number' }).notNull(),
    unitBasis: text('unit_basis').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    amountCents: integer('amount_cents').notNull(),
    performerId: text('performer_id'),
    diagnosisSequences: jsonb('diagnosis_sequences').$type<number[]>().notNull().default([]),
    status: text('status', { enum: chargeStatuses }).notNull().default('open'),
    claimId: text('claim_id'),
    voidReason: text('void_reason'),
    capturedBy: text('captured_by').notNull(),
    capturedAt: timestamp('captured_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    // Capturing an encounter twice charges each fact once.
    uniqueIndex('charges_source_uq').on(t.encounterId, t.source).where(sql`status <> 'voided'`),
    index('charges_encounter_idx').on(t.encounterId, t.status),
  ],
);

export const claimTypes = ['837P', '837I'] as const;
export const claimStatuses = [
  // Built, not yet scrubbed clean.
  'draft',
  // The scrubber found what only a coder may decide; a question waits on the claim.
  'needs-review',
  // Scrubbed with no error: may be submitted.
  'ready',
  'submitted',
  'paid',
  'partially-paid',
  'denied',
  // Superseded by a replacement claim (frequency 7) or voided (8).
  'replaced',
  'void',
  'written-off',
] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

export const claims = pgTable(
  'claims',
  {
    // CLM01, the patient control number the payer echoes in CLP01.
    id: text('id').primaryKey(),
    encounterId: text('encounter_id')
      .notNull()
      .references(() => encounters.id),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    coverageId: text('coverage_id')
      .notNull()
      .references(() => coverages.id),
    payerId: text('payer_id')
      .notNull()
      .references(() => payers.id),
    type: text('type', { enum: claimTypes }).notNull(),
    // CLM05-3: 1 original, 7 replacement, 8 void.
    frequency: text('frequency', { enum: ['1', '7', '8'] })
      .notNull()
      .default('1'),
    replacesClaimId: text('replaces_claim_id'),
    status: text('status', { enum: claimStatuses }).notNull().default('draft'),
    totalChargeCents: integer('total_charge_cents').notNull(),
    // The claim as the X12 model holds it (tools/revenue/x12/types.ts ClaimInFile, without raw segments).
    document: jsonb('document').notNull(),
    // The last scrub: findings and which edits ran.
    scrub: jsonb('scrub'),
    // Changes made to the claim after it was built (automatic fixes and coder corrections), in order.
    changes: jsonb('changes').notNull().default([]),
    // The question waiting for a coder, when status is needs-review.
    question: jsonb('question'),
    // CLP07 of the payer's last remittance for it: REF*F8 of a replacement.
    payerClaimNumber: text('payer_claim_number'),
    paidCents: integer('paid_cents').notNull().default(0),
    patientResponsibilityCents: integer('patient_responsibility_cents').notNull().default(0),
    adjustedCents: integer('adjusted_cents').notNull().default(0),
    submissionId: text('submission_id'),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }),
    agentLeaseBy: text('agent_lease_by'),
    agentLeaseUntil: timestamp('agent_lease_until', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('claims_encounter_idx').on(t.encounterId),
    index('claims_status_idx').on(t.status, t.updatedAt),
  ],
);

// ISA13 is nine digits; every interchange the hospital sends takes the next one.
export const x12InterchangeControl = pgSequence('x12_interchange_control', {
  startWith: 1,
  maxValue: 999_999_999,
});

// One X12 interchange handed to a clearinghouse adapter.
export const claimSubmissions = pgTable('claim_submissions', {
  id: text('id').primaryKey(),
  adapter: text('adapter').notNull(),
  // ISA13, from the x12_interchange_control sequence: unique across every file the hospital sends.
  interchangeControl: bigint('interchange_control', { mode: 'number' }).notNull().unique(),
  claimIds: jsonb('claim_ids').$type<string[]>().notNull(),
  // Where the adapter put it (the outbox file path) or the clearinghouse's receipt.
  location: text('location').notNull(),
  bytes: integer('bytes').notNull(),
  sha256: text('sha256').notNull(),
  submittedBy: text('submitted_by').notNull(),
  submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull(),
});

// An 835 file as received; posting the same bytes twice posts nothing the second time.
export const remittances = pgTable('remittances', {
  id: text('id').primaryKey(),
  sha256: text('sha256').notNull().unique(),
  fileName: text('file_name'),
  payerName: text('payer_name'),
  x12PayerId: text('x12_payer_id'),
  paymentCents: integer('payment_cents').notNull(),
  traceNumber: text('trace_number'),
  paidOn: date('paid_on', { mode: 'string' }),
  // PLB provider-level adjustments (interest, recoupment, forwarding balance), as sent.
  providerAdjustments: jsonb('provider_adjustments').notNull().default([]),
  claimCount: integer('claim_count').notNull(),
  heldCount: integer('held_count').notNull().default(0),
  text: text('text').notNull(),
  postedBy: text('posted_by').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const claimPaymentStatuses = ['posted', 'held', 'released'] as const;

// One CLP loop of an 835: posted against its claim, or held for review when no claim matches.
export const claimPayments = pgTable(
  'claim_payments',
  {
    id: text('id').primaryKey(),
    remittanceId: text('remittance_id')
      .notNull()
      .references(() => remittances.id),
    // CLP01 as sent.
    patientControlNumber: text('patient_control_number').notNull(),
    claimId: text('claim_id').references(() => claims.id),
    status: text('status', { enum: claimPaymentStatuses }).notNull(),
    holdReason: text('hold_reason'),
    // CLP02
    claimStatusCode: text('claim_status_code').notNull(),
    chargeCents: integer('charge_cents').notNull(),
    paidCents: integer('paid_cents').notNull(),
    patientResponsibilityCents: integer('patient_responsibility_cents').notNull().default(0),
    payerClaimNumber: text('payer_claim_number'),
    // Claim- and line-level CAS with group, CARC and RARC descriptions; the service lines paid.
    adjustments: jsonb('adjustments').notNull(),
    lines: jsonb('lines').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('claim_payments_claim_idx').on(t.claimId),
    index('claim_payments_held_idx').on(t.status).where(sql`status = 'held'`),
  ],
);

export const denialCategories = [
  'coding',
  'eligibility',
  'authorization',
  'timely-filing',
  'duplicate',
  'medical-necessity',
  'bundling',
  'missing-information',
  'patient-responsibility',
  'coordination-of-benefits',
  'underpayment',
  'unmatched-remittance',
  'other',
] as const;
export type DenialCategory = (typeof denialCategories)[number];

export const denialActions = [
  'correct-and-resubmit',
  'appeal',
  'write-off',
  'bill-patient',
  'bill-secondary',
  'review',
] as const;
export type DenialAction = (typeof denialActions)[number];

export const workItemStatuses = ['open', 'awaiting-approval', 'resolved'] as const;

// A denied or short-paid claim (or an unmatched remittance) to work, with the action suggested for it.
export const denialWorkItems = pgTable(
  'denial_work_items',
  {
    id: text('id').primaryKey(),
    claimId: text('claim_id').references(() => claims.id),
    claimPaymentId: text('claim_payment_id')
      .notNull()
      .references(() => claimPayments.id),
    category: text('category', { enum: denialCategories }).notNull(),
    suggestedAction: text('suggested_action', { enum: denialActions }).notNull(),
    // The CARC/RARC codes behind it with their descriptions, and why this action.
    reasons: jsonb('reasons').notNull(),
    amountCents: integer('amount_cents').notNull(),
    status: text('status', { enum: workItemStatuses }).notNull().default('open'),
    // What the agent drafted for human approval: a replacement claim id, or an appeal letter.
    draft: jsonb('draft'),
    resolution: text('resolution'),
    resolvedBy: text('resolved_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('denial_work_items_payment_uq').on(t.claimPaymentId),
    index('denial_work_items_status_idx').on(t.status, t.category),
  ],
);

export const revenueTaskKinds = ['bill-encounter', 'work-remittance'] as const;
export const revenueTaskStatuses = ['open', 'waiting', 'done', 'failed'] as const;

// A piece of work for the revenue agent (agents/revenue): bill an encounter after discharge or surgery,
// or work the denials of a posted remittance. The task's id is the agent's thread.
export const revenueTasks = pgTable(
  'revenue_tasks',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: revenueTaskKinds }).notNull(),
    // The encounter to bill, or the remittance whose work items to work.
    subjectId: text('subject_id').notNull(),
    status: text('status', { enum: revenueTaskStatuses }).notNull().default('open'),
    // What the agent did, in order (shown to billers, graded by the evals), and how it ended.
    notes: jsonb('notes').$type<string[]>().notNull().default([]),
    outcome: text('outcome'),
    agentLeaseBy: text('agent_lease_by'),
    agentLeaseUntil: timestamp('agent_lease_until', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  // A discharge reported twice, or a surgery completed after the discharge, bills the encounter once.
  (t) => [uniqueIndex('revenue_tasks_subject_uq').on(t.kind, t.subjectId)],
);
