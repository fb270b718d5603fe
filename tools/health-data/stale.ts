import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { enqueueJob } from '../../db/jobs.ts';
import { devices, escalationEvents, escalations } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/chain.ts';
import type { OperationContext } from '../core/operation.ts';
import { STALE_INTERVALS, TRIAGE_QUEUE } from './ingest.ts';

/**
 * Opens a 'device-stale' escalation for each device that has sent before but has now been silent
 * for more than STALE_INTERVALS expected intervals, once per silence (a new reading re-arms it).
 */
export async function sweepStaleDevices(ctx: OperationContext): Promise<string[]> {
  const now = ctx.clock.now();
  return ctx.database.db.transaction(async (tx) => {
    const silent = await tx
      .select()
      .from(devices)
      .where(
        and(
          isNotNull(devices.lastSeenAt),
          or(isNull(devices.staleAlertedAt), lt(devices.staleAlertedAt, devices.lastSeenAt)),
          lt(
            devices.lastSeenAt,
            sql`${now.toISOString()}::timestamptz - make_interval(secs => ${STALE_INTERVALS} * ${devices.expectedIntervalSeconds})`,
          ),
        ),
      )
      .for('update', { skipLocked: true })
      .limit(500);
    const opened: string[] = [];
    for (const device of silent) {
      const escalationId = randomUUID();
      const minutes = Math.round((now.getTime() - device.lastSeenAt!.getTime()) / 60_000);
      const summary = `Device ${device.id} (${device.kind}) has sent nothing for ${minutes} min`;
      await tx.update(devices).set({ staleAlertedAt: now }).where(eq(devices.id, device.id));
      await tx.insert(escalations).values({
        id: escalationId,
        patientId: device.patientId,
        condition: 'device-stale',
        severity: 1,
        level: 'notify',
        screen: {
          condition: 'device-stale',
          severity: 1,
          level: 'notify',
          summary,
          deviceGapMinutes: minutes,
        },
        createdAt: now,
        updatedAt: now,
      });
      await tx
        .insert(escalationEvents)
        .values({ escalationId, at: now, step: 'accepted', message: `Accepted: ${summary}` });
      await enqueueJob(tx, TRIAGE_QUEUE, { escalationId }, now);
      opened.push(escalationId);
    }
    if (opened.length > 0) {
      await appendAudit(tx, {
        at: now,
        actor: ctx.actor.id,
        tool: 'sweep_stale_devices',
        input: {},
        outcome: { escalations: opened, devices: silent.map((d) => d.id) },
        status: 'ok',
      });
    }
    return opened;
  });
}
