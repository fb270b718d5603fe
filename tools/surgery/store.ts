import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { enqueueJob } from '../../db/jobs.ts';
import {
  procedureItems,
  surgeryRequestStatuses,
  surgeryRequests,
  surgicalProcedures,
  surgicalTeamRoles,
} from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';

/** The surgery orchestration's job queue: one job per request to advance. */
export const SURGERY_QUEUE = 'surgery';

export type SurgeryRequestRow = typeof surgeryRequests.$inferSelect;
export type ProcedureRow = typeof surgicalProcedures.$inferSelect;

export const procedureSchema = z.object({
  code: z.string().describe('CPT code'),
  name: z.string(),
  specialty: z.string(),
  durationMinutes: z.number().int(),
  postOpUnitType: z.string().nullable().describe('Unit type of the post-op bed; null: a day case'),
  expectedStayNights: z.number().int(),
  team: z.array(
    z.object({
      role: z.enum(surgicalTeamRoles),
      staffRoles: z.array(z.string()),
      specialty: z.string().optional(),
      skill: z.string().optional(),
    }),
  ),
  items: z.array(
    z.object({
      itemId: z.string(),
      quantity: z.number(),
      substitutes: z.array(z.string()).describe('Items that may replace it one for one, preferred first'),
    }),
  ),
});
export type ProcedureView = z.infer<typeof procedureSchema>;

/** What a booked plan holds: every piece is released if the plan is given up. */
export const planSchema = z.object({
  theatreBookingId: z.string(),
  theatreId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  reservations: z.array(
    z.object({
      reservationId: z.string(),
      itemId: z.string(),
      locationId: z.string(),
      quantity: z.number(),
      substituteFor: z.string().nullable().describe('The item of the procedure table it stands in for'),
    }),
  ),
  team: z.array(z.object({ role: z.string(), staffId: z.string(), name: z.string() })),
  bedBooking: z
    .object({ bookingId: z.string(), unitId: z.string(), fromAt: z.string(), untilAt: z.string() })
    .nullable()
    .describe('The post-op bed; null for a day case'),
});
export type SurgeryPlan = z.infer<typeof planSchema>;

export const attemptSchema = z.object({
  theatreId: z.string(),
  startsAt: z.string(),
  step: z.enum(['theatre', 'stock', 'team', 'bed', 'confirm']),
  reason: z.string(),
});
export type SurgeryAttempt = z.infer<typeof attemptSchema>;

export const alternativeSchema = z.object({
  kind: z.enum(['another-slot', 'another-day', 'substitute-item', 'order-stock', 'another-surgeon']),
  detail: z.string(),
  theatreId: z.string().optional(),
  startsAt: z.string().optional(),
  itemId: z.string().optional(),
});
export type SurgeryAlternative = z.infer<typeof alternativeSchema>;

export const surgeryRequestSchema = z.object({
  requestId: z.string(),
  patientId: z.string(),
  procedure: procedureSchema,
  surgeonStaffId: z.string(),
  diagnosisCodes: z.array(z.string()).describe('The indication, ICD-10-CM, principal first'),
  earliestAt: z.string(),
  latestAt: z.string(),
  status: z.enum(surgeryRequestStatuses),
  plan: planSchema.nullable(),
  attempts: z.array(attemptSchema),
  alternatives: z.array(alternativeSchema).nullable(),
  notes: z.array(z.string()),
  outcome: z.string().nullable(),
  theatreBookingId: z.string().nullable(),
  encounterId: z.string().nullable(),
  revenueTaskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SurgeryRequestView = z.infer<typeof surgeryRequestSchema>;

export async function loadProcedures(db: DbOrTx, codes?: readonly string[]): Promise<ProcedureView[]> {
  const rows = await db
    .select()
    .from(surgicalProcedures)
    .where(codes ? inArray(surgicalProcedures.code, [...codes]) : undefined)
    .orderBy(asc(surgicalProcedures.code));
  if (rows.length === 0) return [];
  const items = await db
    .select()
    .from(procedureItems)
    .where(
      inArray(
        procedureItems.procedureCode,
        rows.map((r) => r.code),
      ),
    )
    .orderBy(asc(procedureItems.procedureCode), asc(procedureItems.itemId));
  return rows.map((p) => ({
    code: p.code,
    name: p.name,
    specialty: p.specialty,
    durationMinutes: p.durationMinutes,
    postOpUnitType: p.postOpUnitType,
    expectedStayNights: p.expectedStayNights,
    team: p.team,
    items: items
      .filter((i) => i.procedureCode === p.code)
      .map((i) => ({ itemId: i.itemId, quantity: i.quantity, substitutes: i.substitutes })),
  }));
}

export async function requireProcedure(db: DbOrTx, code: string, field = 'procedureCode') {
  const [p] = await loadProcedures(db, [code]);
  if (!p) {
    throw new OperationError('not_found', `No surgical procedure ${code}`, [
      { field, message: 'no such procedure (list_surgical_procedures lists them)' },
    ]);
  }
  return p;
}

export async function requireRequest(db: DbOrTx, id: string): Promise<SurgeryRequestRow> {
  const [row] = await db.select().from(surgeryRequests).where(eq(surgeryRequests.id, id));
  if (!row) throw notFound(id);
  return row;
}

export async function lockRequest(tx: Tx, id: string): Promise<SurgeryRequestRow> {
  const [row] = await tx.select().from(surgeryRequests).where(eq(surgeryRequests.id, id)).for('update');
  if (!row) throw notFound(id);
  return row;
}

function notFound(id: string) {
  return new OperationError('not_found', `No surgery request ${id}`, [
    { field: 'requestId', message: 'no such surgery request' },
  ]);
}

export function presentRequest(r: SurgeryRequestRow, procedure: ProcedureView): SurgeryRequestView {
  return {
    requestId: r.id,
    patientId: r.patientId,
    procedure,
    surgeonStaffId: r.surgeonStaffId,
    diagnosisCodes: r.diagnosisCodes,
    earliestAt: r.earliestAt.toISOString(),
    latestAt: r.latestAt.toISOString(),
    status: r.status,
    plan: (r.plan as SurgeryPlan | null) ?? null,
    attempts: r.attempts as SurgeryAttempt[],
    alternatives: (r.alternatives as SurgeryAlternative[] | null) ?? null,
    notes: r.notes,
    outcome: r.outcome,
    theatreBookingId: r.theatreBookingId,
    encounterId: r.encounterId,
    revenueTaskId: r.revenueTaskId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Wakes the orchestration on a request, inside the caller's transaction. */
export async function wakeSurgery(tx: DbOrTx, requestId: string, now: Date): Promise<void> {
  await enqueueJob(tx, SURGERY_QUEUE, { requestId }, now);
}
