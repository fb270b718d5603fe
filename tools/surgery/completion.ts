import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { randomUUID } from 'node:crypto';
import {
  encounterDiagnoses,
  encounterServices,
  stockReservations,
  surgeryRequests,
  surgicalTeamAssignments,
  theatreBookings,
} from '../../db/schema/index.ts';
import type { OperationContext } from '../core/operation.ts';
import { withdraw } from '../inventory/dispense.ts';
import { lockStock } from '../inventory/store.ts';
import { wakeSurgery } from './store.ts';

/** Stock reserved for a surgery request carries this purpose and the request's id. */
export const SURGERY_PURPOSE = 'surgery';

/**
 * What the claim is built from, as the theatre record gives it: the procedure performed by the surgeon
 * (linked to the booking) and, when the encounter has no diagnoses coded yet, the request's indication.
 * A procedure already recorded for the booking (a coder was first) is left as it is.
 */
async function documentCase(
  tx: Tx,
  request: typeof surgeryRequests.$inferSelect,
  encounterId: string,
  theatreBookingId: string,
  by: string,
  now: Date,
): Promise<void> {
  const coded = await tx
    .select({ sequence: encounterDiagnoses.sequence })
    .from(encounterDiagnoses)
    .where(eq(encounterDiagnoses.encounterId, encounterId));
  if (coded.length === 0 && request.diagnosisCodes.length > 0) {
    await tx.insert(encounterDiagnoses).values(
      request.diagnosisCodes.map((code, i) => ({
        encounterId,
        sequence: i + 1,
        code,
        presentOnAdmission: null,
      })),
    );
  }
  const [recorded] = await tx
    .select({ id: encounterServices.id })
    .from(encounterServices)
    .where(
      and(
        eq(encounterServices.encounterId, encounterId),
        eq(encounterServices.theatreBookingId, theatreBookingId),
      ),
    );
  if (recorded) return;
  const [booking] = await tx.select().from(theatreBookings).where(eq(theatreBookings.id, theatreBookingId));
  await tx.insert(encounterServices).values({
    id: `svc-${randomUUID()}`,
    encounterId,
    kind: 'procedure',
    code: request.procedureCode,
    modifiers: [],
    quantity: 1,
    servicedOn: booking!.startsAt.toISOString().slice(0, 10),
    performerId: request.surgeonStaffId,
    diagnosisSequences: [1],
    theatreBookingId,
    recordedBy: by,
    recordedAt: now,
  });
}

/**
 * The case of a booked surgery request was performed (complete_theatre_booking, in its transaction):
 * the reserved drugs, supplies and implants are used and charged to the encounter, the team's
 * assignments are done, and the orchestration is woken to admit the patient to the post-op bed and see
 * the claim through. Returns the request's id, or null when the booking belongs to no booked request.
 */
export async function completeSurgeryCase(
  tx: Tx,
  ctx: OperationContext,
  c: { theatreBookingId: string; encounterId: string | null; revenueTaskId: string | null },
): Promise<string | null> {
  const now = ctx.clock.now();
  const [request] = await tx
    .select()
    .from(surgeryRequests)
    .where(
      and(eq(surgeryRequests.theatreBookingId, c.theatreBookingId), eq(surgeryRequests.status, 'booked')),
    )
    .for('update');
  if (!request) return null;
  if (c.encounterId) await documentCase(tx, request, c.encounterId, c.theatreBookingId, ctx.actor.id, now);
  const held = await tx
    .select()
    .from(stockReservations)
    .where(
      and(
        eq(stockReservations.purpose, SURGERY_PURPOSE),
        eq(stockReservations.subjectId, request.id),
        eq(stockReservations.status, 'held'),
      ),
    );
  // Lock every pair before the first withdrawal, in key order, as the inventory operations do.
  await lockStock(
    tx,
    held.map((r) => ({ itemId: r.itemId, locationId: r.locationId })),
  );
  for (const r of held) {
    await withdraw(tx, ctx, {
      itemId: r.itemId,
      locationId: r.locationId,
      quantity: r.quantity,
      patientId: r.patientId,
      encounterId: c.encounterId,
      reservation: r,
      reason: `${SURGERY_PURPOSE} ${request.id}`,
    });
  }
  await tx
    .update(surgicalTeamAssignments)
    .set({ status: 'completed', closedAt: now, closedReason: 'case done' })
    .where(
      and(eq(surgicalTeamAssignments.subjectId, request.id), eq(surgicalTeamAssignments.status, 'assigned')),
    );
  const notes =
    c.encounterId === null && held.length > 0
      ? [
          `Used ${held.length} reserved item(s) without a charge: the patient had no encounter in progress ` +
            'when the case was completed',
        ]
      : [];
  await tx
    .update(surgeryRequests)
    .set({
      status: 'completed',
      notes: [...request.notes, ...notes],
      encounterId: c.encounterId,
      revenueTaskId: c.revenueTaskId,
      updatedAt: now,
    })
    .where(eq(surgeryRequests.id, request.id));
  await wakeSurgery(tx, request.id, now);
  return request.id;
}
