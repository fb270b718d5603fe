import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { type Context, Hono } from 'hono';
import { createMcpServer, modulesUsableBy, unusableModuleError } from '../../mcp-servers/server.ts';
import { isServedModule, type ServedModule, servedModules } from '../../tools/registry.ts';
import { type AppDeps, type AppEnv, operationContext } from '../context.ts';
import { problem } from '../problem.ts';
import { type McpSession, McpSessions, identityOf } from './mcp-sessions.ts';

type Selection = { modules: ServedModule[]; route: string } | { error: Response };

/**
 * Which modules a request is for: /mcp/<module>, or /mcp with an optional `?modules=a,b` filter (by
 * default every module the caller can use). A module named explicitly must be one the caller can use.
 */
function selectModules(c: Context<AppEnv>): Selection {
  const actor = c.get('actor');
  const module = c.req.param('module');
  if (module !== undefined) {
    if (!isServedModule(module))
      return { error: problem(c, 'not_found', `No MCP server for module ${module}`) };
    const refused = unusableModuleError(actor, [module]);
    if (refused) return { error: problem(c, 'forbidden', refused) };
    return { modules: [module], route: `/mcp/${module}` };
  }
  const filter = c.req.query('modules');
  if (filter === undefined) {
    const modules = modulesUsableBy(actor, servedModules);
    if (modules.length === 0)
      return { error: problem(c, 'forbidden', `${actor.id} may call no tool of any module`) };
    return { modules, route: '/mcp' };
  }
  const names = [
    ...new Set(
      filter
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = names.filter((m) => !isServedModule(m));
  if (names.length === 0 || unknown.length > 0) {
    const message = unknown.length > 0 ? `unknown module ${unknown.join(', ')}` : 'name at least one module';
    return {
      error: problem(c, 'invalid', `modules: ${message}; modules: ${servedModules.join(', ')}`, [
        { field: 'modules', message },
      ]),
    };
  }
  const modules = names as ServedModule[];
  const refused = unusableModuleError(actor, modules);
  if (refused) return { error: problem(c, 'forbidden', refused) };
  return { modules, route: `/mcp?modules=${[...modules].sort().join(',')}` };
}

/** The one JSON-RPC message of a POST, if its body is one (a clone: the transport reads the original). */
async function messageOf(c: Context): Promise<unknown> {
  if (c.req.method !== 'POST') return undefined;
  try {
    return await c.req.raw.clone().json();
  } catch {
    return undefined;
  }
}

/** JSON-RPC error the Streamable HTTP spec asks for: 404 makes the client start a new session. */
function sessionNotFound(c: Context) {
  return c.json({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }, 404);
}

/**
 * Streamable HTTP at /mcp/<module> and /mcp (MCP transports, revision 2025-06-18). An `initialize`
 * opens a session bound to the caller's identity: its answers stream as SSE, so progress and log
 * messages reach the client, and a `notifications/cancelled` reaches the call it cancels. A request
 * without a session is served on its own (a one-off server, a JSON answer), as a plain script expects.
 * A browser Origin that is not allowed is refused (DNS-rebinding protection).
 */
export function mcpRoutes(deps: AppDeps, sessions: McpSessions = new McpSessions()) {
  const app = new Hono<AppEnv>();
  const handle = async (c: Context<AppEnv>) => {
    const origin = c.req.header('origin');
    if (origin && !(deps.allowedOrigins ?? []).includes(origin)) {
      return problem(c, 'forbidden', `Origin ${origin} is not allowed to call the MCP endpoint`);
    }
    const selection = selectModules(c);
    if ('error' in selection) return selection.error;
    const { modules, route } = selection;
    const actor = c.get('actor');
    const context = operationContext(deps, actor);

    const sessionId = c.req.header('mcp-session-id');
    if (sessionId !== undefined) {
      const session = sessions.find(sessionId, actor, route);
      if (!session) return sessionNotFound(c);
      session.context = context;
      const res = await session.transport.handleRequest(c.req.raw);
      // A DELETE ends it; the SDK has closed the transport, the server goes with it.
      if (c.req.method === 'DELETE' && res.ok) await sessions.close(session.id);
      return res;
    }

    if (isInitializeRequest(await messageOf(c))) {
      if (!sessions.hasRoom()) {
        return problem(c, 'unavailable', 'Too many open MCP sessions; close one (DELETE) or retry later');
      }
      let session: McpSession | undefined;
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          if (!session) return;
          session.id = id;
          sessions.add(session);
        },
      });
      // Reads the session's context at each call: later requests refresh it with their credential.
      const server = createMcpServer(modules, () => session?.context ?? context, {
        permittedOnly: true,
        auditReads: true,
      });
      session = { id: '', identity: identityOf(actor), route, transport, server, context, lastSeen: 0 };
      await server.connect(transport);
      const res = await transport.handleRequest(c.req.raw);
      if (!transport.sessionId) await server.close();
      return res;
    }

    const server = createMcpServer(modules, () => context, { permittedOnly: true, auditReads: true });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  };
  app.all('/mcp', handle);
  app.all('/mcp/:module', handle);
  return app;
}
