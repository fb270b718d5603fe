import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { surgeryRequests } from '../../db/schema/index.ts';
import { wakeSurgery } from './store.ts';

// How the revenue cycle tells a performed surgery about its bill (kept apart from the completion, which
// reaches into inventory, so that the revenue tasks import nothing that imports them back).

/**
 * A bill-encounter task was opened (an inpatient's discharge): a performed surgery in that encounter
 * learns which task bills it, and its orchestration is woken to wait for the claim.
 */
export async function linkSurgeryBilling(
  tx: DbOrTx,
  encounterId: string,
  revenueTaskId: string,
  now: Date,
): Promise<void> {
  const linked = await tx
    .update(surgeryRequests)
    .set({ revenueTaskId, updatedAt: now })
    .where(
      and(
        eq(surgeryRequests.encounterId, encounterId),
        eq(surgeryRequests.status, 'completed'),
        isNull(surgeryRequests.revenueTaskId),
      ),
    )
    .returning({ id: surgeryRequests.id });
  for (const r of linked) await wakeSurgery(tx, r.id, now);
}

/** The revenue task billing a surgery finished: wake the orchestrations waiting on it. */
export async function wakeSurgeriesBilledBy(tx: DbOrTx, revenueTaskId: string, now: Date): Promise<void> {
  const rows = await tx
    .select({ id: surgeryRequests.id })
    .from(surgeryRequests)
    .where(and(eq(surgeryRequests.revenueTaskId, revenueTaskId), eq(surgeryRequests.status, 'completed')));
  for (const r of rows) await wakeSurgery(tx, r.id, now);
}
