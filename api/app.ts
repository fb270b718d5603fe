import { Hono } from 'hono';
import { type AppDeps, type AppEnv, requireKey } from './context.ts';
import { oauthConfig, oauthSettingsFromEnv } from './oauth/config.ts';
import { requireMcpAuth } from './oauth/guard.ts';
import { oauthRoutes } from './oauth/routes.ts';
import { docsPage, openApiDocument } from './openapi.ts';
import { problem } from './problem.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { auditRoutes } from './routes/audit.ts';
import { bedRoutes } from './routes/beds.ts';
import { escalationRoutes } from './routes/escalations.ts';
import { mcpRoutes } from './routes/mcp.ts';
import type { McpSessions } from './routes/mcp-sessions.ts';
import { observationRoutes } from './routes/observations.ts';
import { operationRoutes } from './routes/operations.ts';
import { payrollRoutes } from './routes/payroll.ts';
import { agentAskRoutes } from './routes/agent-ask.ts';
import { theatreRoutes } from './routes/theatres.ts';

export type { AppDeps } from './context.ts';

/** The whole HTTP surface. Exported without a server so tests call it with app.request(). */
export function createApp(
  deps: AppDeps,
  opts: { publicUrl?: string; ssePollMs?: number; mcpSessions?: McpSessions } = {},
) {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await deps.database.sql`select 1`;
      return c.json({ status: 'ready' });
    } catch {
      return problem(c, 'unavailable', 'The database is not reachable');
    }
  });
  const doc = openApiDocument(opts.publicUrl ?? '/');
  app.get('/openapi.json', (c) => c.json(doc));
  app.get('/docs', (c) => c.html(docsPage(doc)));
  app.get('/', (c) => c.redirect('/docs'));

  for (const prefix of ['/v1/*', '/fhir/*']) app.use(prefix, requireKey(deps));
  // /mcp takes API keys as before, and OAuth access tokens (MCP Authorization): see api/oauth.
  const oauth = oauthConfig(deps.oauth ?? oauthSettingsFromEnv());
  app.use('/mcp/*', requireMcpAuth(deps, oauth));
  app.route('/', oauthRoutes(deps, oauth));
  app.route('/', observationRoutes(deps));
  app.route('/', escalationRoutes(deps, { ssePollMs: opts.ssePollMs }));
  app.route('/', auditRoutes(deps));
  app.route('/', bedRoutes(deps, { ssePollMs: opts.ssePollMs }));
  app.route('/', approvalRoutes(deps));
  app.route('/', theatreRoutes(deps));
  app.route('/', payrollRoutes(deps));
  app.route('/', agentAskRoutes(deps));
  app.route('/', operationRoutes(deps));
  app.route('/', mcpRoutes(deps, opts.mcpSessions));
  app.notFound((c) => problem(c, 'not_found', `No route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    console.error('[api]', err);
    return c.json({ type: 'about:blank', title: 'Internal Server Error', status: 500 }, 500);
  });
  return app;
}
