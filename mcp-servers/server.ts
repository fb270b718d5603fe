import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { appendAudit } from '../tools/audit/chain.ts';
import { type Actor, hasScope } from '../tools/core/actor.ts';
import { OperationError } from '../tools/core/errors.ts';
import { type AnyOperation, invokeOperation, type OperationContext } from '../tools/core/operation.ts';
import { operationsByModule, type ServedModule } from '../tools/registry.ts';
import { type ToolCallLog, type ToolOutcome, toolCallLogger } from './logging.ts';
import {
  argsHash,
  cappedText,
  defaultPageLimits,
  offsetOfCursor,
  type PageLimits,
  pageableInput,
  pageNote,
  pageOf,
} from './paging.ts';
import { type CallExtra, callContext } from './progress.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';

export const SERVER_VERSION = '0.1.0';

/**
 * A client that declares this experimental capability takes whole results and is never paged: the
 * agents' in-process client, which reads every row an operation returns (counts, sweeps).
 */
export const WHOLE_RESULTS_CAPABILITY = 'carebridge/whole-results';

/** Failures a caller (or a model) can act on become tool errors; anything else is a server fault. */
export function toolError(err: unknown): CallToolResult {
  const text =
    err instanceof OperationError
      ? `${err.code}: ${err.message}`
      : `internal error: ${err instanceof Error ? err.message : String(err)}`;
  return { isError: true, content: [{ type: 'text', text }] };
}

export interface RegisterOptions {
  limits?: PageLimits;
  /** Record each successful read in the audit log (writes record themselves). */
  auditReads?: boolean;
  log?: (extra: CallExtra, entry: ToolCallLog) => void;
}

function outcomeOf(err: unknown, extra: CallExtra): ToolOutcome {
  if (extra.signal.aborted) return 'cancelled';
  return err instanceof OperationError ? 'refused' : 'fault';
}

function takesWholeResults(server: McpServer): boolean {
  const client = server.server;
  // The bundled agents' client (agents/runtime/mcp-client.ts) declares it: it follows no cursor.
  return client.getClientCapabilities()?.experimental?.[WHOLE_RESULTS_CAPABILITY] !== undefined;
}

/** The answer to a read: its first page (or the page the cursor names) when it is too big for one. */
function pagedAnswer(
  result: Record<string, unknown>,
  offset: number,
  hash: string,
  limits: PageLimits,
): CallToolResult {
  const { result: shown, page } = pageOf(result, offset, hash, limits);
  if (!page)
    return { content: [{ type: 'text', text: cappedText(result, limits) }], structuredContent: result };
  return {
    content: [
      { type: 'text', text: cappedText(shown, limits) },
      { type: 'text', text: pageNote(page) },
    ],
    structuredContent: shown,
    _meta: { 'carebridge/page': page },
  };
}

export function registerOperation(
  server: McpServer,
  op: AnyOperation,
  context: () => OperationContext,
  options: RegisterOptions = {},
): void {
  const { limits = defaultPageLimits, log, auditReads = false } = options;
  const pageable = pageableInput(op);
  server.registerTool(
    op.name,
    {
      title: op.title,
      description: op.description,
      inputSchema: pageable ?? op.input,
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
    async (args: unknown, extra: CallExtra): Promise<CallToolResult> => {
      const base = context();
      const entry = (outcome: ToolOutcome, detail?: string) =>
        log?.(extra, { tool: op.name, module: op.module, outcome, callerId: base.actor.id, detail });
      try {
        let input = args;
        let offset = 0;
        let hash = '';
        if (pageable) {
          const { cursor, ...rest } = (args ?? {}) as Record<string, unknown>;
          input = rest;
          hash = argsHash(op.name, rest);
          if (typeof cursor === 'string') offset = offsetOfCursor(cursor, hash);
        }
        const result = (await invokeOperation(op, input, callContext(base, extra))) as Record<
          string,
          unknown
        >;
        if (auditReads && op.risk === 'read') await auditRead(base, op.name, args, result);
        entry('ok');
        if (!pageable || takesWholeResults(server)) {
          return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
        }
        return pagedAnswer(result, offset, hash, limits);
      } catch (err) {
        entry(outcomeOf(err, extra), err instanceof Error ? err.message : String(err));
        return toolError(err);
      }
    },
  );
}

/**
 * An access record for a read by an outside client (45 CFR 164.312(b): audit controls record
 * activity in systems holding ePHI). It names what was asked and how much came back, not the data.
 */
async function auditRead(
  ctx: OperationContext,
  tool: string,
  args: unknown,
  result: Record<string, unknown>,
): Promise<void> {
  const returned: Record<string, number> = {};
  for (const [key, value] of Object.entries(result)) if (Array.isArray(value)) returned[key] = value.length;
  await ctx.database.db.transaction((tx) =>
    appendAudit(tx, {
      at: ctx.clock.now(),
      actor: ctx.actor.id,
      onBehalfOf: ctx.onBehalfOf,
      tool,
      input: args ?? {},
      outcome: { read: true, returned },
      status: 'ok',
    }),
  );
}

export interface CreateServerOptions {
  limits?: PageLimits;
  /** Outside clients' reads are audited; the agents' are not (their writes are, like everyone's). */
  auditReads?: boolean;
  /**
   * List only the tools the context's actor may call: a client's model is not offered what would be
   * refused. The agents keep the whole list (their graphs name their tools).
   */
  permittedOnly?: boolean;
}

/** The modules in which `actor` may call at least one tool. */
export function modulesUsableBy(actor: Actor, modules: readonly ServedModule[]): ServedModule[] {
  return modules.filter((m) => operationsByModule[m].some((op) => hasScope(actor, op.scope)));
}

/** A module named explicitly must be one the caller can use: otherwise the error names its scopes. */
export function unusableModuleError(actor: Actor, modules: readonly ServedModule[]): string | null {
  const refused = modules.filter((m) => modulesUsableBy(actor, [m]).length === 0);
  if (refused.length === 0) return null;
  const scopes = [...new Set(refused.flatMap((m) => operationsByModule[m].map((op) => op.scope)))];
  return `${actor.id} holds none of the scopes of ${refused.join(', ')} (${scopes.join(', ')})`;
}

/**
 * One MCP server for the given HMS modules (their tools, resources and prompts), acting as the
 * identity its context names. The server checks scopes, validates and audits: a client is trusted
 * with nothing.
 */
export function createMcpServer(
  modules: readonly ServedModule[],
  context: () => OperationContext,
  options: CreateServerOptions = {},
): McpServer {
  const [only] = modules;
  const name = modules.length === 1 && only ? `carebridge-${only}` : 'carebridge';
  const server = new McpServer(
    { name, version: SERVER_VERSION },
    {
      capabilities: { logging: {} },
      instructions: `CareBridge ${modules.join(', ')} tools. Every ${options.auditReads ? 'read and write' : 'write'} is audited under the caller's identity.`,
    },
  );
  const limits = options.limits ?? defaultPageLimits;
  const log = toolCallLogger(server);
  const actor = options.permittedOnly ? context().actor : null;
  for (const module of modules) {
    for (const op of operationsByModule[module]) {
      if (actor && !hasScope(actor, op.scope)) continue;
      registerOperation(server, op, context, { limits, log, auditReads: options.auditReads });
    }
  }
  registerResources(server, modules, context, limits);
  registerPrompts(server, modules);
  return server;
}

/** One MCP server for one HMS module. */
export function createModuleServer(
  module: ServedModule,
  context: () => OperationContext,
  options: CreateServerOptions = {},
): McpServer {
  return createMcpServer([module], context, options);
}
