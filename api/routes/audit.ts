import { and, asc, eq, gt, type SQL } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { auditLog } from '../../db/schema/index.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import { invalidInput } from '../../tools/core/errors.ts';
import { type AppDeps, type AppEnv, requireRole } from '../context.ts';
import { errorResponse } from '../problem.ts';

const auditQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).describe('Return entries after this sequence number'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  actor: z.string().optional(),
  tool: z.string().optional(),
  agentRunId: z.string().optional(),
});

/** The audit trail, for admins only: paged by sequence number, filterable, and verifiable. */
export function auditRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('/v1/audit', requireRole('admin'));
  app.use('/v1/audit/*', requireRole('admin'));
  app.get('/v1/audit', async (c) => {
    try {
      const q = auditQuery.safeParse(c.req.query());
      if (!q.success) throw invalidInput(q.error, 'query');
      const filters: SQL[] = [gt(auditLog.seq, q.data.after)];
      if (q.data.actor) filters.push(eq(auditLog.actor, q.data.actor));
      if (q.data.tool) filters.push(eq(auditLog.tool, q.data.tool));
      if (q.data.agentRunId) filters.push(eq(auditLog.agentRunId, q.data.agentRunId));
      const rows = await deps.database.db
        .select()
        .from(auditLog)
        .where(and(...filters))
        .orderBy(asc(auditLog.seq))
        .limit(q.data.limit + 1);
      const page = rows.slice(0, q.data.limit);
      const last = page.at(-1);
      return c.json({
        entries: page.map((r) => ({ ...r, at: r.at.toISOString() })),
        next: rows.length > q.data.limit && last ? `/v1/audit?after=${last.seq}&limit=${q.data.limit}` : null,
      });
    } catch (err) {
      return errorResponse(c, err);
    }
  });
  app.get('/v1/audit/verify', async (c) => c.json(await verifyAuditChain(deps.database.sql)));
  return app;
}
