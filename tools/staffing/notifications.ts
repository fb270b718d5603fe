import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { notifications } from '../../db/schema/index.ts';

export interface NewNotification {
  escalationId?: string | undefined;
  channel: 'page' | 'notify' | 'advice';
  recipientKind: 'patient' | 'staff';
  recipientId: string;
  message: string;
  createdBy: string;
}

/**
 * Records a message once per (escalation, channel, recipient): a retried agent step after a crash
 * finds the first one instead of sending a second page.
 */
export async function sendOnce(tx: Tx, n: NewNotification, now: Date) {
  const inserted = await tx
    .insert(notifications)
    .values({ id: randomUUID(), ...n, escalationId: n.escalationId ?? null, createdAt: now })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { notification: inserted[0], replayed: false };
  const [existing] = await tx
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.escalationId, n.escalationId ?? ''),
        eq(notifications.channel, n.channel),
        eq(notifications.recipientId, n.recipientId),
      ),
    );
  return { notification: existing!, replayed: true };
}

export function presentNotification(n: typeof notifications.$inferSelect, replayed: boolean) {
  return {
    notificationId: n.id,
    channel: n.channel,
    recipientKind: n.recipientKind,
    recipientId: n.recipientId,
    message: n.message,
    sentAt: n.createdAt.toISOString(),
    replayed,
  };
}
