import { and, asc, eq, gt } from 'drizzle-orm';
import { Hono } from 'hono';
import { bedReservations, escalationEvents, notifications } from '../../db/schema/index.ts';
import { loadEscalation } from '../../tools/health-data/escalations.ts';
import { type AppDeps, type AppEnv, operationContext } from '../context.ts';
import { errorResponse } from '../problem.ts';
import { type PollOptions, pollingStream } from '../sse.ts';

const TERMINAL = new Set(['completed', 'suppressed', 'failed']);

function presentEvent(e: typeof escalationEvents.$inferSelect) {
  return { id: e.id, at: e.at.toISOString(), step: e.step, message: e.message, data: e.data };
}

export function escalationRoutes(deps: AppDeps, opts: PollOptions = {}) {
  const app = new Hono<AppEnv>();
  const db = deps.database.db;

  app.get('/v1/escalations/:id', async (c) => {
    try {
      const esc = await loadEscalation(operationContext(deps, c.get('actor')), c.req.param('id'));
      const [events, sent, reservations] = await Promise.all([
        db
          .select()
          .from(escalationEvents)
          .where(eq(escalationEvents.escalationId, esc.id))
          .orderBy(asc(escalationEvents.id)),
        db
          .select()
          .from(notifications)
          .where(eq(notifications.escalationId, esc.id))
          .orderBy(asc(notifications.createdAt)),
        db.select().from(bedReservations).where(eq(bedReservations.escalationId, esc.id)),
      ]);
      return c.json({
        escalationId: esc.id,
        patientId: esc.patientId,
        condition: esc.condition,
        level: esc.level,
        severity: esc.severity,
        status: esc.status,
        outcome: esc.outcome,
        duplicateOf: esc.duplicateOf,
        summary: (esc.screen as { summary?: string }).summary,
        createdAt: esc.createdAt.toISOString(),
        completedAt: esc.completedAt?.toISOString() ?? null,
        events: events.map(presentEvent),
        notifications: sent.map((n) => ({
          channel: n.channel,
          recipientKind: n.recipientKind,
          recipientId: n.recipientId,
          message: n.message,
          sentAt: n.createdAt.toISOString(),
        })),
        bedReservations: reservations.map((r) => ({
          reservationId: r.id,
          bedId: r.bedId,
          status: r.status,
          holdExpiresAt: r.holdExpiresAt.toISOString(),
        })),
      });
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  /**
   * Server-sent events: every step so far, then each new one as the agent records it, and an `end`
   * event once the escalation reaches its end state. Last-Event-ID resumes after a reconnect.
   */
  app.get('/v1/escalations/:id/events', async (c) => {
    let escalationId: string;
    try {
      escalationId = (await loadEscalation(operationContext(deps, c.get('actor')), c.req.param('id'))).id;
    } catch (err) {
      return errorResponse(c, err);
    }
    let after = Number(c.req.header('last-event-id') ?? 0) || 0;
    return pollingStream(c, opts, async (stream) => {
      const fresh = await db
        .select()
        .from(escalationEvents)
        .where(and(eq(escalationEvents.escalationId, escalationId), gt(escalationEvents.id, after)))
        .orderBy(asc(escalationEvents.id));
      for (const e of fresh) {
        await stream.writeSSE({ id: String(e.id), event: 'step', data: JSON.stringify(presentEvent(e)) });
        after = e.id;
      }
      if (fresh.length > 0) return 'sent';
      const esc = await loadEscalation(operationContext(deps, c.get('actor')), escalationId);
      if (!TERMINAL.has(esc.status)) return 'idle';
      await stream.writeSSE({
        event: 'end',
        data: JSON.stringify({ status: esc.status, outcome: esc.outcome }),
      });
      return 'done';
    });
  });
  return app;
}
