import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  encounterDiagnoses,
  encounterServices,
  serviceKinds,
  staff,
  theatreBookings,
} from '../../../db/schema/index.ts';
import { type FieldIssue, OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation } from '../../core/operation.ts';
import { codeSets } from '../codesets/codesets.ts';
import { refuseCancelled, requireEncounter } from './records.ts';
import { checkDiagnosis, isoDay, MODIFIER, POA_INDICATORS, procedureCodeProblem } from './rules.ts';
import { diagnosisSchema, presentService, serviceSchema } from './schema.ts';

function refuse(op: string, issues: FieldIssue[]): never {
  throw new OperationError(
    'invalid',
    `Invalid input to ${op}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    issues,
  );
}

export const setEncounterDiagnoses = defineOperation({
  name: 'set_encounter_diagnoses',
  module: 'revenue',
  title: "Code an encounter's diagnoses",
  description:
    "Replaces an encounter's coded diagnoses with this ordered list of ICD-10-CM codes: the first is the " +
    'principal diagnosis, the rest secondary, in claim order (at most 25: the 837I carries 1 principal and ' +
    '24 others). Each may carry a present-on-admission indicator (Y, N, U, W, 1). Every code is checked ' +
    'against ICD-10-CM; an invalid or header code is refused naming its position (diagnoses.N). Services ' +
    'point at diagnoses by sequence (1 = first), so recode before recording services. Returns the list as ' +
    'stored and warnings for codes the code file cannot confirm.',
  input: z.object({
    encounterId: z.string().min(1),
    diagnoses: z
      .array(
        z.object({
          code: z.string().trim().min(1).max(10),
          presentOnAdmission: z.enum(POA_INDICATORS).optional(),
        }),
      )
      .min(1)
      .max(25),
  }),
  output: z.object({
    encounterId: z.string(),
    diagnoses: z.array(diagnosisSchema),
    warnings: z.array(z.string()),
  }),
  scope: 'revenue:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const sets = codeSets();
    const issues: FieldIssue[] = [];
    const warnings: string[] = [];
    const coded = input.diagnoses.map((d, i) => {
      const check = checkDiagnosis(sets, d.code);
      if (!check.ok) {
        issues.push({ field: `diagnoses.${i}.code`, message: check.problem });
        return null;
      }
      if (check.warning) warnings.push(`diagnoses.${i}: ${check.warning}`);
      return { sequence: i + 1, code: check.dotted, presentOnAdmission: d.presentOnAdmission ?? null };
    });
    const seen = new Map<string, number>();
    coded.forEach((c, i) => {
      if (!c) return;
      const first = seen.get(c.code);
      if (first !== undefined) {
        issues.push({ field: `diagnoses.${i}.code`, message: `${c.code} is already diagnoses.${first}` });
      } else seen.set(c.code, i);
    });
    if (issues.length) refuse('set_encounter_diagnoses', issues);
    const rows = coded.filter((c) => c !== null);
    await auditedWrite(ctx, 'set_encounter_diagnoses', input, async (tx) => {
      const encounter = await requireEncounter(tx, input.encounterId, { lock: true });
      refuseCancelled(encounter, 'it is not billed');
      // Services point at diagnoses by sequence: a shorter list must not leave a pointer dangling.
      const services = await tx
        .select({ id: encounterServices.id, pointers: encounterServices.diagnosisSequences })
        .from(encounterServices)
        .where(eq(encounterServices.encounterId, encounter.id));
      const dangling = services.filter((s) => s.pointers.some((p) => p > rows.length));
      if (dangling.length) {
        throw new OperationError(
          'conflict',
          `Services ${dangling.map((s) => s.id).join(', ')} point at diagnoses beyond the ${rows.length} given`,
          [
            {
              field: 'diagnoses',
              message: `services point at diagnosis ${Math.max(...dangling.flatMap((s) => s.pointers))}`,
            },
          ],
        );
      }
      await tx.delete(encounterDiagnoses).where(eq(encounterDiagnoses.encounterId, encounter.id));
      await tx.insert(encounterDiagnoses).values(rows.map((r) => ({ encounterId: encounter.id, ...r })));
    });
    return {
      encounterId: input.encounterId,
      diagnoses: rows.map((r) => ({ ...r, principal: r.sequence === 1 })),
      warnings,
    };
  },
});

export const recordEncounterService = defineOperation({
  name: 'record_encounter_service',
  module: 'revenue',
  title: 'Record a service given in an encounter',
  description:
    'Records one billable fact of an encounter for charge capture: a procedure (CPT/HCPCS, up to 4 ' +
    'modifiers), a drug (an 11-digit NDC, or a HCPCS J-code) or a supply (HCPCS), with quantity, the date ' +
    "(within the encounter's dates), the performing clinician (staff id), the diagnosis sequences it " +
    'treats (from set_encounter_diagnoses) and, for surgery, the theatre booking. Codes are checked ' +
    'against the code sets. Returns the service; run capture_charges afterwards to price it.',
  input: z.object({
    encounterId: z.string().min(1),
    kind: z.enum(serviceKinds),
    code: z.string().trim().toUpperCase().min(1).max(11),
    modifiers: z
      .array(z.string().trim().toUpperCase().regex(MODIFIER, 'a modifier is two letters or digits'))
      .max(4)
      .default([]),
    quantity: z.number().positive().max(10_000),
    servicedOn: z.iso.date(),
    performerId: z.string().min(1).optional(),
    diagnosisSequences: z.array(z.number().int().min(1).max(25)).max(4).default([]),
    theatreBookingId: z.string().min(1).optional(),
  }),
  output: z.object({ service: serviceSchema }),
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const problem = procedureCodeProblem(codeSets(), input.kind, input.code);
    if (problem) refuse('record_encounter_service', [{ field: 'code', message: problem }]);
    if (input.kind === 'drug' && input.modifiers.length && /^[0-9]{11}$/.test(input.code)) {
      refuse('record_encounter_service', [
        { field: 'modifiers', message: 'a drug billed by NDC takes no modifiers' },
      ]);
    }
    const now = ctx.clock.now();
    const row = await auditedWrite(ctx, 'record_encounter_service', input, async (tx) => {
      const encounter = await requireEncounter(tx, input.encounterId, { lock: true });
      refuseCancelled(encounter, 'nothing is recorded on it');
      const issues: FieldIssue[] = [];
      const from = isoDay(encounter.startedAt);
      const to = encounter.endedAt ? isoDay(encounter.endedAt) : isoDay(now);
      if (input.servicedOn < from || input.servicedOn > to) {
        issues.push({ field: 'servicedOn', message: `outside the encounter's dates, ${from} to ${to}` });
      }
      if (input.performerId) {
        const [p] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, input.performerId));
        if (!p) issues.push({ field: 'performerId', message: `no staff member ${input.performerId}` });
      }
      const sequences = new Set(
        (
          await tx
            .select({ s: encounterDiagnoses.sequence })
            .from(encounterDiagnoses)
            .where(eq(encounterDiagnoses.encounterId, encounter.id))
        ).map((d) => d.s),
      );
      input.diagnosisSequences.forEach((s, i) => {
        if (!sequences.has(s)) {
          issues.push({
            field: `diagnosisSequences.${i}`,
            message: `the encounter has no diagnosis ${s} (it has ${sequences.size}; set_encounter_diagnoses first)`,
          });
        }
      });
      if (input.theatreBookingId) {
        const [b] = await tx
          .select()
          .from(theatreBookings)
          .where(eq(theatreBookings.id, input.theatreBookingId));
        if (!b)
          issues.push({ field: 'theatreBookingId', message: `no theatre booking ${input.theatreBookingId}` });
        else if (b.patientId !== encounter.patientId) {
          issues.push({ field: 'theatreBookingId', message: `the booking is for patient ${b.patientId}` });
        }
      }
      if (issues.length) refuse('record_encounter_service', issues);
      const [inserted] = await tx
        .insert(encounterServices)
        .values({
          id: `svc-${randomUUID()}`,
          encounterId: encounter.id,
          kind: input.kind,
          code: input.code,
          modifiers: input.modifiers,
          quantity: input.quantity,
          servicedOn: input.servicedOn,
          performerId: input.performerId ?? null,
          diagnosisSequences: input.diagnosisSequences,
          theatreBookingId: input.theatreBookingId ?? null,
          recordedBy: ctx.actor.id,
          recordedAt: now,
        })
        .returning();
      return inserted!;
    });
    return { service: presentService(row) };
  },
});

/** An encounter's diagnoses and services in claim order, for the billing views. */
export async function loadCoding(db: Parameters<typeof requireEncounter>[0], encounterId: string) {
  const diagnoses = await db
    .select()
    .from(encounterDiagnoses)
    .where(eq(encounterDiagnoses.encounterId, encounterId))
    .orderBy(asc(encounterDiagnoses.sequence));
  const services = await db
    .select()
    .from(encounterServices)
    .where(eq(encounterServices.encounterId, encounterId))
    .orderBy(asc(encounterServices.servicedOn), asc(encounterServices.recordedAt), asc(encounterServices.id));
  return { diagnoses, services };
}
