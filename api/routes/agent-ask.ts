import { Hono } from 'hono';
import { z } from 'zod';
import type { AssistantAnswer, AssistantRuntime } from '../../agents/runtime/assistant.ts';
import { askRevenue } from '../../agents/revenue/assistant.ts';
import { askStaffing } from '../../agents/staffing/assistant.ts';
import type { Actor } from '../../tools/core/actor.ts';
import { type AppDeps, type AppEnv, requireRole } from '../context.ts';
import { errorResponse, problem } from '../problem.ts';

const askBody = z.object({ question: z.string().trim().min(3).max(2000) });

const askers: {
  agent: string;
  roles: Actor['kind'][];
  ask(rt: AssistantRuntime, question: string): Promise<AssistantAnswer>;
}[] = [
  // A staff key reads; an admin key may also roster cover.
  { agent: 'staffing', roles: ['staff', 'admin'], ask: askStaffing },
  // The billing office's keys; an admin's too.
  { agent: 'revenue', roles: ['billing', 'admin'], ask: askRevenue },
];

/**
 * POST /v1/agents/<agent>/ask {question}: the agent answers a person's question through its module's
 * tools, with the caller's key (its scopes decide what the agent may do for them).
 */
export function agentAskRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  for (const { agent, roles, ask } of askers) {
    app.use(`/v1/agents/${agent}/*`, requireRole(...roles));
    app.post(`/v1/agents/${agent}/ask`, async (c) => {
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
        const answer = await ask(
          { database: deps.database, clock: deps.clock, actor: c.get('actor'), model: deps.model ?? null },
          parsed.data.question,
        );
        return c.json(answer);
      } catch (err) {
        return errorResponse(c, err);
      }
    });
  }
  return app;
}
