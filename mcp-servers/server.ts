import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { OperationError } from '../tools/core/errors.ts';
import { type AnyOperation, invokeOperation, type OperationContext } from '../tools/core/operation.ts';
import { operationsByModule, type ServedModule } from '../tools/registry.ts';

export const SERVER_VERSION = '0.1.0';

/** Failures a caller (or a model) can act on become tool errors; anything else is a server fault. */
export function toolError(err: unknown): CallToolResult {
  const text =
    err instanceof OperationError
      ? `${err.code}: ${err.message}`
      : `internal error: ${err instanceof Error ? err.message : String(err)}`;
  return { isError: true, content: [{ type: 'text', text }] };
}

export function registerOperation(
  server: McpServer,
  op: AnyOperation,
  context: () => OperationContext,
): void {
  server.registerTool(
    op.name,
    {
      title: op.title,
      description: op.description,
      inputSchema: op.input,
      outputSchema: op.output,
      annotations: {
        title: op.title,
        readOnlyHint: op.risk === 'read',
        destructiveHint: op.risk === 'critical',
        idempotentHint: op.idempotent,
        openWorldHint: false,
      },
      _meta: { 'carebridge/scope': op.scope, 'carebridge/risk': op.risk },
    },
    async (args: unknown): Promise<CallToolResult> => {
      try {
        const result = (await invokeOperation(op, args, context())) as Record<string, unknown>;
        return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
      } catch (err) {
        return toolError(err);
      }
    },
  );
}

/**
 * One MCP server for one HMS module, acting as the identity its context names. The server checks
 * scopes, validates and audits: a client is trusted with nothing.
 */
export function createModuleServer(module: ServedModule, context: () => OperationContext): McpServer {
  const server = new McpServer(
    { name: `carebridge-${module}`, version: SERVER_VERSION },
    { instructions: `CareBridge ${module} tools. Every write is audited under the caller's identity.` },
  );
  for (const op of operationsByModule[module]) registerOperation(server, op, context);
  return server;
}
