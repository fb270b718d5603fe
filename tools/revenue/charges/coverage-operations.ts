import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  coveragePriorities,
  coverages,
  payerKinds,
  payerPlans,
  payers,
  priorAuthorizations,
} from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation } from '../../core/operation.ts';
import { codeSets } from '../codesets/codesets.ts';
import { loadCoverages, requirePatient } from './records.ts';
import { procedureCodeProblem, RELATIONSHIP_CODES, isoDay } from './rules.ts';
import { coverageSchema, priorAuthorizationSchema } from './schema.ts';

// Payer kinds without their own rule use Medicare's 365 days from the date of service (42 CFR 424.44).
const DEFAULT_TIMELY_FILING_DAYS = 365;

export const listPayers = defineOperation({
  name: 'list_payers',
  module: 'revenue',
  title: 'Payers and their plans',
  description:
    'Every payer the hospital bills (Medicare, Medicaid, commercial) with its X12 payer id, claim filing ' +
    'indicators, timely-filing limit in days, and its plans with the CPT/HCPCS codes each plan will not ' +
    'pay without a prior authorisation. Use it to pick a plan for add_coverage or to check a filing limit.',
  input: z.object({}),
  output: z.object({
    payers: z.array(
      z.object({
        payerId: z.string(),
        name: z.string(),
        kind: z.enum(payerKinds),
        x12PayerId: z.string(),
        professionalFilingIndicator: z.string(),
        institutionalFilingIndicator: z.string(),
        timelyFilingDays: z.number().int(),
        plans: z.array(
          z.object({ planId: z.string(), name: z.string(), priorAuthCodes: z.array(z.string()) }),
        ),
      }),
    ),
  }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(_input, ctx) {
    const db = ctx.database.db;
    const payerRows = await db.select().from(payers).orderBy(asc(payers.id));
    const plans = await db.select().from(payerPlans).orderBy(asc(payerPlans.id));
    return {
      payers: payerRows.map((p) => ({
        payerId: p.id,
        name: p.name,
        kind: p.kind,
        x12PayerId: p.x12PayerId,
        professionalFilingIndicator: p.professionalFilingIndicator,
        institutionalFilingIndicator: p.institutionalFilingIndicator,
        timelyFilingDays: p.timelyFilingDays ?? DEFAULT_TIMELY_FILING_DAYS,
        plans: plans
          .filter((pl) => pl.payerId === p.id)
          .map((pl) => ({ planId: pl.id, name: pl.name, priorAuthCodes: pl.priorAuthCodes })),
      })),
    };
  },
});

export const getPatientCoverage = defineOperation({
  name: 'get_patient_coverage',
  module: 'revenue',
  title: "A patient's insurance coverage",
  description:
    "A patient's coverages with plan and payer, which are in force on a date (default today) and which " +
    'is the primary one then, and the prior authorisations on each. No active coverage means self-pay. ' +
    'Use it before billing an encounter (with the admission date) or to check an authorisation number.',
  input: z.object({
    patientId: z.string().min(1),
    on: z.iso.date().optional().describe('YYYY-MM-DD; default today'),
  }),
  output: z.object({
    patientId: z.string(),
    on: z.string(),
    coverages: z.array(coverageSchema).describe('In force on the date first, primary before secondary'),
    primaryCoverageId: z.string().nullable().describe('The primary coverage in force on the date'),
    selfPay: z.boolean().describe('No coverage is in force on the date'),
  }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    await requirePatient(db, input.patientId);
    const on = input.on ?? isoDay(ctx.clock.now());
    const list = await loadCoverages(db, { patientId: input.patientId }, on);
    const primary = list.find((c) => c.activeOn && c.priority === 'primary');
    return {
      patientId: input.patientId,
      on,
      coverages: list,
      primaryCoverageId: primary?.coverageId ?? null,
      selfPay: !list.some((c) => c.activeOn),
    };
  },
});

const coverageResult = z.object({ coverage: coverageSchema });

export const addCoverage = defineOperation({
  name: 'add_coverage',
  module: 'revenue',
  title: 'Add insurance coverage',
  description:
    "Records a patient's insurance with a plan (list_payers) over its eligibility dates (inclusive; no end " +
    'date while in force): priority, member id, group number, relationship to the subscriber (SBR02: 18 ' +
    'self, 01 spouse, 19 child). Refused when the patient already has coverage of the same priority with ' +
    'the same payer over any of those dates (end the old one first with end_coverage).',
  input: z
    .object({
      patientId: z.string().min(1),
      planId: z.string().min(1),
      priority: z.enum(coveragePriorities).default('primary'),
      memberId: z.string().trim().min(1).max(80),
      groupNumber: z.string().trim().min(1).max(50).optional(),
      relationship: z.enum(RELATIONSHIP_CODES).default('18'),
      startsOn: z.iso.date(),
      endsOn: z.iso.date().optional(),
    })
    .refine((i) => i.endsOn === undefined || i.endsOn >= i.startsOn, {
      path: ['endsOn'],
      message: 'must not be before startsOn',
    }),
  output: coverageResult,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const id = await auditedWrite(ctx, 'add_coverage', input, async (tx) => {
      // The patient's row serialises coverage changes, so two overlapping adds cannot both pass.
      await requirePatient(tx, input.patientId, true);
      const [plan] = await tx.select().from(payerPlans).where(eq(payerPlans.id, input.planId));
      if (!plan) {
        throw new OperationError('not_found', `No payer plan ${input.planId}`, [
          { field: 'planId', message: 'no such plan (see list_payers)' },
        ]);
      }
      const existing = await tx
        .select({ c: coverages })
        .from(coverages)
        .innerJoin(payerPlans, eq(payerPlans.id, coverages.planId))
        .where(
          and(
            eq(coverages.patientId, input.patientId),
            eq(coverages.priority, input.priority),
            eq(payerPlans.payerId, plan.payerId),
          ),
        );
      const endsOn = input.endsOn ?? null;
      const clash = existing.find(
        ({ c }) => c.startsOn <= (endsOn ?? '9999-12-31') && (c.endsOn ?? '9999-12-31') >= input.startsOn,
      );
      if (clash) {
        throw new OperationError(
          'conflict',
          `Patient ${input.patientId} already has ${input.priority} coverage ${clash.c.id} with payer ` +
            `${plan.payerId} from ${clash.c.startsOn} to ${clash.c.endsOn ?? 'open'}, overlapping these dates`,
          [{ field: 'startsOn', message: `overlaps coverage ${clash.c.id}` }],
        );
      }
      const coverageId = `cov-${randomUUID()}`;
      await tx.insert(coverages).values({
        id: coverageId,
        patientId: input.patientId,
        planId: input.planId,
        priority: input.priority,
        memberId: input.memberId,
        groupNumber: input.groupNumber ?? null,
        relationship: input.relationship,
        startsOn: input.startsOn,
        endsOn,
      });
      return coverageId;
    });
    const [coverage] = await loadCoverages(ctx.database.db, { coverageIds: [id] }, isoDay(ctx.clock.now()));
    return { coverage: coverage! };
  },
});

export const endCoverage = defineOperation({
  name: 'end_coverage',
  module: 'revenue',
  title: 'End insurance coverage',
  description:
    'Sets the last day a coverage is in force (inclusive), e.g. when the patient changed plans or the ' +
    'payer reports the member terminated. Returns the coverage as it now stands.',
  input: z.object({ coverageId: z.string().min(1), endsOn: z.iso.date() }),
  output: coverageResult,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    await auditedWrite(ctx, 'end_coverage', input, async (tx) => {
      const [c] = await tx.select().from(coverages).where(eq(coverages.id, input.coverageId)).for('update');
      if (!c) {
        throw new OperationError('not_found', `No coverage ${input.coverageId}`, [
          { field: 'coverageId', message: 'no such coverage' },
        ]);
      }
      if (input.endsOn < c.startsOn) {
        throw new OperationError(
          'invalid',
          `Coverage ${c.id} starts on ${c.startsOn}: it cannot end before that`,
          [{ field: 'endsOn', message: `must not be before ${c.startsOn}` }],
        );
      }
      await tx.update(coverages).set({ endsOn: input.endsOn }).where(eq(coverages.id, c.id));
    });
    const [coverage] = await loadCoverages(
      ctx.database.db,
      { coverageIds: [input.coverageId] },
      isoDay(ctx.clock.now()),
    );
    return { coverage: coverage! };
  },
});

export const addPriorAuthorization = defineOperation({
  name: 'add_prior_authorization',
  module: 'revenue',
  title: 'Record a prior authorisation',
  description:
    "Records the payer's prior authorisation number on a coverage: the CPT/HCPCS codes it authorises, " +
    'the dates it is valid (inclusive) and the units allowed. The number goes on the claim as REF*G1. ' +
    'Codes are checked against the CPT/HCPCS code sets.',
  input: z
    .object({
      coverageId: z.string().min(1),
      number: z.string().trim().min(1).max(50),
      procedureCodes: z.array(z.string().trim().toUpperCase().min(1)).min(1).max(20),
      validFrom: z.iso.date(),
      validTo: z.iso.date(),
      units: z.number().int().positive().optional(),
    })
    .refine((i) => i.validTo >= i.validFrom, { path: ['validTo'], message: 'must not be before validFrom' }),
  output: z.object({ coverageId: z.string(), priorAuthorization: priorAuthorizationSchema }),
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const sets = codeSets();
    const bad = input.procedureCodes.flatMap((code, i) => {
      const problem = procedureCodeProblem(sets, 'procedure', code);
      return problem ? [{ field: `procedureCodes.${i}`, message: problem }] : [];
    });
    if (bad.length) {
      throw new OperationError(
        'invalid',
        `Invalid input to add_prior_authorization: ${bad.map((b) => `${b.field}: ${b.message}`).join('; ')}`,
        bad,
      );
    }
    const id = `pa-${randomUUID()}`;
    await auditedWrite(ctx, 'add_prior_authorization', input, async (tx) => {
      const [c] = await tx.select().from(coverages).where(eq(coverages.id, input.coverageId));
      if (!c) {
        throw new OperationError('not_found', `No coverage ${input.coverageId}`, [
          { field: 'coverageId', message: 'no such coverage' },
        ]);
      }
      if (c.startsOn > input.validTo || (c.endsOn !== null && c.endsOn < input.validFrom)) {
        throw new OperationError(
          'conflict',
          `Coverage ${c.id} is not in force between ${input.validFrom} and ${input.validTo}`,
          [{ field: 'validFrom', message: `coverage runs ${c.startsOn} to ${c.endsOn ?? 'open'}` }],
        );
      }
      await tx.insert(priorAuthorizations).values({
        id,
        coverageId: c.id,
        number: input.number,
        procedureCodes: input.procedureCodes,
        validFrom: input.validFrom,
        validTo: input.validTo,
        units: input.units ?? null,
      });
    });
    return {
      coverageId: input.coverageId,
      priorAuthorization: {
        priorAuthorizationId: id,
        number: input.number,
        procedureCodes: input.procedureCodes,
        validFrom: input.validFrom,
        validTo: input.validTo,
        units: input.units ?? null,
      },
    };
  },
});
