import { randomUUID } from 'node:crypto';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  administrativeSexes,
  isolationKinds,
  patients,
  staff,
  surgeryRequestStatuses,
  surgeryRequests,
} from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { type AnyOperation, assertPatientAccess, auditedWrite, defineOperation } from '../core/operation.ts';
import { checkDiagnosis } from '../revenue/charges/rules.ts';
import { codeSets } from '../revenue/codesets/codesets.ts';
import { recordSurgeryPlan } from './record-operation.ts';
import {
  loadProcedures,
  lockRequest,
  presentRequest,
  procedureSchema,
  requireProcedure,
  requireRequest,
  type SurgeryRequestRow,
  surgeryRequestSchema,
  wakeSurgery,
} from './store.ts';

const DAY_MS = 86_400_000;
/** How far ahead a case may be requested, and how wide its window may be. */
export const MAX_AHEAD_DAYS = 90;
export const DEFAULT_WINDOW_DAYS = 14;
const isoTime = z.iso.datetime({ offset: true });

export const listSurgicalProcedures = defineOperation({
  name: 'list_surgical_procedures',
  module: 'surgery',
  title: 'Surgical procedures',
  description:
    'The procedures the hospital books, with what each needs: duration, specialty, the team’s places, ' +
    'the post-operative bed (unit type and nights; none for a day case) and the items reserved for it ' +
    'with their substitutes.',
  input: z.object({ specialty: z.string().min(1).optional() }),
  output: z.object({ procedures: z.array(procedureSchema) }),
  scope: 'surgery:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const all = await loadProcedures(ctx.database.db);
    return { procedures: input.specialty ? all.filter((p) => p.specialty === input.specialty) : all };
  },
});

export const requestSurgery = defineOperation({
  name: 'request_surgery',
  module: 'surgery',
  title: 'Request a surgery',
  description:
    'A surgeon’s office asks for a procedure for a patient, to start between earliestAt (default now) and ' +
    `latestAt (default ${DEFAULT_WINDOW_DAYS} days later). The surgery orchestration then plans it: a ` +
    'theatre slot, the drugs and supplies reserved, a surgical team, a post-op bed for an inpatient case; ' +
    'if any part cannot be had it releases what it held and proposes alternatives. Returns the request ' +
    '(status planning); get_surgery_request shows how planning went. Send a requestId of your own to make ' +
    'retries safe.',
  input: z.object({
    patientId: z.string().min(1),
    procedureCode: z.string().min(1).describe('CPT code, from list_surgical_procedures'),
    surgeonStaffId: z
      .string()
      .min(1)
      .describe('The operating surgeon: a physician of the procedure’s specialty'),
    diagnosisCodes: z
      .array(z.string().trim().min(3).max(10))
      .min(1)
      .max(4)
      .describe('The indication, ICD-10-CM, principal first: coded on the encounter when the case is done'),
    earliestAt: isoTime.optional(),
    latestAt: isoTime.optional(),
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'letters, digits and _ . : - only, at most 80')
      .optional(),
  }),
  output: surgeryRequestSchema.extend({ replayed: z.boolean() }),
  scope: 'surgery:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    const db = ctx.database.db;
    const now = ctx.clock.now();
    const procedure = await requireProcedure(db, input.procedureCode);
    const earliest = input.earliestAt ? new Date(input.earliestAt) : now;
    const latest = input.latestAt
      ? new Date(input.latestAt)
      : new Date(earliest.getTime() + DEFAULT_WINDOW_DAYS * DAY_MS);
    const replay = (r: SurgeryRequestRow) => {
      const same =
        r.patientId === input.patientId &&
        r.procedureCode === input.procedureCode &&
        r.surgeonStaffId === input.surgeonStaffId;
      if (!same) {
        throw new OperationError('conflict', `Request id ${r.id} is already used for another request`, [
          { field: 'requestId', message: 'already used for a different patient, procedure or surgeon' },
        ]);
      }
      return { ...presentRequest(r, procedure), replayed: true };
    };
    if (input.requestId) {
      const [earlier] = await db
        .select()
        .from(surgeryRequests)
        .where(eq(surgeryRequests.id, input.requestId));
      if (earlier) return replay(earlier);
    }
    const sets = codeSets();
    const diagnosisCodes = input.diagnosisCodes.map((code, i) => {
      const check = checkDiagnosis(sets, code);
      if (!check.ok) {
        throw new OperationError('invalid', `diagnosisCodes.${i}: ${check.problem}`, [
          { field: `diagnosisCodes.${i}`, message: check.problem },
        ]);
      }
      return check.dotted;
    });
    if (earliest.getTime() < now.getTime() - 60_000) {
      throw new OperationError('invalid', `earliestAt ${input.earliestAt} is in the past`, [
        { field: 'earliestAt', message: 'must not be in the past' },
      ]);
    }
    if (latest <= earliest) {
      throw new OperationError('invalid', 'latestAt must be after earliestAt', [
        { field: 'latestAt', message: 'must be after earliestAt' },
      ]);
    }
    if (latest.getTime() > now.getTime() + MAX_AHEAD_DAYS * DAY_MS) {
      throw new OperationError('invalid', `latestAt is more than ${MAX_AHEAD_DAYS} days ahead`, [
        { field: 'latestAt', message: `at most ${MAX_AHEAD_DAYS} days ahead` },
      ]);
    }
    const [patient] = await db
      .select({ id: patients.id })
      .from(patients)
      .where(eq(patients.id, input.patientId));
    if (!patient) {
      throw new OperationError('not_found', `No patient ${input.patientId}`, [
        { field: 'patientId', message: 'no such patient' },
      ]);
    }
    const [surgeon] = await db.select().from(staff).where(eq(staff.id, input.surgeonStaffId));
    if (!surgeon) {
      throw new OperationError('not_found', `No staff member ${input.surgeonStaffId}`, [
        { field: 'surgeonStaffId', message: 'no such staff member' },
      ]);
    }
    if (surgeon.role !== 'physician' || surgeon.specialty !== procedure.specialty) {
      throw new OperationError(
        'invalid',
        `${surgeon.name} (${surgeon.role}${surgeon.specialty ? `, ${surgeon.specialty}` : ''}) cannot operate: ` +
          `${procedure.name} needs a physician of ${procedure.specialty}`,
        [{ field: 'surgeonStaffId', message: `not a physician of ${procedure.specialty}` }],
      );
    }
    return auditedWrite(
      ctx,
      'request_surgery',
      input,
      async (tx) => {
        const [row] = await tx
          .insert(surgeryRequests)
          .values({
            id: input.requestId ?? `sr-${randomUUID()}`,
            patientId: input.patientId,
            procedureCode: procedure.code,
            surgeonStaffId: surgeon.id,
            diagnosisCodes,
            earliestAt: earliest,
            latestAt: latest,
            createdBy: ctx.actor.id,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing()
          .returning();
        if (!row) return replay(await requireRequest(tx, input.requestId!));
        await wakeSurgery(tx, row.id, now);
        return { ...presentRequest(row, procedure), replayed: false };
      },
      (outcome) => !outcome.replayed,
    );
  },
});

export const getSurgeryRequest = defineOperation({
  name: 'get_surgery_request',
  module: 'surgery',
  title: 'A surgery request',
  description:
    'One surgery request: its status (planning, booked, failed, cancelled, completed, billed), the plan it ' +
    'holds (theatre booking, stock reservations, team, post-op bed), each slot tried and what stopped it, ' +
    'the alternatives proposed when nothing fit, and the orchestration’s notes.',
  input: z.object({ requestId: z.string().min(1) }),
  output: surgeryRequestSchema.extend({
    patient: z
      .object({ sex: z.enum(administrativeSexes), isolation: z.enum(isolationKinds) })
      .describe('What a post-op bed must suit'),
  }),
  scope: 'surgery:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const row = await requireRequest(db, input.requestId);
    assertPatientAccess(ctx, row.patientId);
    const [patient] = await db
      .select({ sex: patients.sex, isolation: patients.isolation })
      .from(patients)
      .where(eq(patients.id, row.patientId));
    return { ...presentRequest(row, await requireProcedure(db, row.procedureCode)), patient: patient! };
  },
});

export const listSurgeryRequests = defineOperation({
  name: 'list_surgery_requests',
  module: 'surgery',
  title: 'Surgery requests',
  description: 'Surgery requests, newest first, by status or patient; at most `limit` (default 20).',
  input: z.object({
    status: z.enum(surgeryRequestStatuses).optional(),
    patientId: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  }),
  output: z.object({ requests: z.array(surgeryRequestSchema), more: z.boolean() }),
  scope: 'surgery:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    // A patient-bound key sees its own patient's requests only.
    const patientId = input.patientId ?? ctx.actor.patientId;
    if (patientId) assertPatientAccess(ctx, patientId);
    const conditions: SQL[] = [];
    if (input.status) conditions.push(eq(surgeryRequests.status, input.status));
    if (patientId) conditions.push(eq(surgeryRequests.patientId, patientId));
    const rows = await ctx.database.db
      .select()
      .from(surgeryRequests)
      .where(and(...conditions))
      .orderBy(desc(surgeryRequests.createdAt), desc(surgeryRequests.id))
      .limit(input.limit + 1);
    const procedures = new Map(
      (await loadProcedures(ctx.database.db, [...new Set(rows.map((r) => r.procedureCode))])).map((p) => [
        p.code,
        p,
      ]),
    );
    return {
      requests: rows.slice(0, input.limit).map((r) => presentRequest(r, procedures.get(r.procedureCode)!)),
      more: rows.length > input.limit,
    };
  },
});

export const cancelSurgery = defineOperation({
  name: 'cancel_surgery',
  module: 'surgery',
  title: 'Cancel a surgery request',
  description:
    'Cancels a request that is planning, booked or failed, with a reason. The orchestration then releases ' +
    'everything the plan holds (theatre booking, stock reservations, team, post-op bed). A case already ' +
    'performed cannot be cancelled.',
  input: z.object({ requestId: z.string().min(1), reason: z.string().trim().min(3).max(500) }),
  output: surgeryRequestSchema,
  scope: 'surgery:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'cancel_surgery', input, async (tx) => {
      const row = await lockRequest(tx, input.requestId);
      assertPatientAccess(ctx, row.patientId);
      const procedure = await requireProcedure(tx, row.procedureCode);
      if (row.status === 'cancelled') return presentRequest(row, procedure);
      if (row.status === 'completed' || row.status === 'billed') {
        throw new OperationError('conflict', `Request ${row.id} is ${row.status}: the case was performed`, [
          { field: 'requestId', message: `the request is ${row.status}` },
        ]);
      }
      const [updated] = await tx
        .update(surgeryRequests)
        .set({ status: 'cancelled', outcome: `Cancelled: ${input.reason}`, updatedAt: now })
        .where(eq(surgeryRequests.id, row.id))
        .returning();
      await wakeSurgery(tx, row.id, now);
      return presentRequest(updated!, procedure);
    });
  },
});

export const surgeryOperations: readonly AnyOperation[] = [
  listSurgicalProcedures,
  requestSurgery,
  getSurgeryRequest,
  listSurgeryRequests,
  cancelSurgery,
  recordSurgeryPlan,
];
