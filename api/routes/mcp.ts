import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { createModuleServer } from '../../mcp-servers/server.ts';
import { isServedModule } from '../../tools/registry.ts';
import { type AppDeps, type AppEnv, operationContext } from '../context.ts';
import { problem } from '../problem.ts';

/**
 * Streamable HTTP at /mcp/<module>, stateless: each request gets a fresh server acting as the
 * caller's key. A browser Origin that is not allowed is refused (DNS-rebinding protection).
 */
export function mcpRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.all('/mcp/:module', async (c) => {
    const module = c.req.param('module');
    if (!isServedModule(module)) return problem(c, 'not_found', `No MCP server for module ${module}`);
    const origin = c.req.header('origin');
    if (origin && !(deps.allowedOrigins ?? []).includes(origin)) {
      return problem(c, 'forbidden', `Origin ${origin} is not allowed to call the MCP endpoint`);
    }
    const ctx = operationContext(deps, c.get('actor'));
    const server = createModuleServer(module, () => ctx);
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
  });
  return app;
}
