import { Hono } from 'hono';
import { z } from 'zod';
import { askStaffing } from '../../agents/staffing/assistant.ts';
import { type AppDeps, type AppEnv, requireRole } from '../context.ts';
import { errorResponse, problem } from '../problem.ts';

const askBody = z.object({ question: z.string().trim().min(3).max(2000) });

/**
 * POST /v1/agents/staffing/ask {question}: the staffing agent answers a staff member's question through
 * the staffing tools, with the caller's key (a staff key reads; an admin key may also roster cover).
 */
export function staffingAgentRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('/v1/agents/staffing/*', requireRole('staff', 'admin'));
  app.post('/v1/agents/staffing/ask', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return problem(c, 'invalid', 'The body must be JSON: { "question": "…" }');
    }
    const parsed = askBody.safeParse(body);
    if (!parsed.success) {
      return problem(c, 'invalid', 'question: a question of 3 to 2000 characters is required', [
        { field: 'question', message: parsed.error.issues[0]?.message ?? 'invalid' },
      ]);
    }
    try {
      const answer = await askStaffing(
        { database: deps.database, clock: deps.clock, actor: c.get('actor'), model: deps.model ?? null },
        parsed.data.question,
      );
      return c.json(answer);
    } catch (err) {
      return errorResponse(c, err);
    }
  });
  return app;
}
