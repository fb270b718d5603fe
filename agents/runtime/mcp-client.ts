import type { DynamicStructuredTool } from '@langchain/core/tools';
import { loadMcpTools } from '@langchain/mcp-adapters';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createModuleServer, WHOLE_RESULTS_CAPABILITY } from '../../mcp-servers/server.ts';
import type { OperationContext } from '../../tools/core/operation.ts';
import { operationsByModule, type ServedModule } from '../../tools/registry.ts';

/** A tool call the server refused: carries the server's readable message. */
export class ToolCallError extends Error {
  readonly tool: string;
  constructor(tool: string, message: string) {
    super(`${tool}: ${message}`);
    this.name = 'ToolCallError';
    this.tool = tool;
  }
  /** The server's error code (conflict, not_found, …) from the "code: message" convention. */
  get code(): string {
    return this.message.split(': ')[1] ?? 'error';
  }
}

/**
 * The agents' only way into the HMS: MCP clients, one per module. In one process they reach the
 * bundled servers over the SDK's in-memory transport; the server side acts as the agent's identity.
 */
export class HmsTools {
  readonly #clients = new Map<ServedModule, Client>();
  readonly #toolModule = new Map<string, ServedModule>();

  static async connectInProcess(
    modules: readonly ServedModule[],
    context: OperationContext,
  ): Promise<HmsTools> {
    const tools = new HmsTools();
    for (const module of modules) {
      const server = createModuleServer(module, () => context);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      // The agents read every row an operation returns (counts, sweeps): they follow no page cursor.
      const client = new Client(
        { name: `carebridge-agent:${context.actor.id}`, version: '0.1.0' },
        { capabilities: { experimental: { [WHOLE_RESULTS_CAPABILITY]: {} } } },
      );
      await client.connect(clientSide);
      // The bundled servers serve exactly the registry's operations, so there is no need to ask
      // (listing converts every schema to JSON Schema, on each of the runs' fresh connections).
      tools.#clients.set(module, client);
      for (const op of operationsByModule[module]) tools.#toolModule.set(op.name, module);
    }
    return tools;
  }

  clientFor(module: ServedModule): Client {
    const c = this.#clients.get(module);
    if (!c) throw new Error(`No MCP client for module ${module}`);
    return c;
  }

  /** Calls a tool and returns its structured output; a tool error becomes a ToolCallError. */
  async call<T = Record<string, unknown>>(tool: string, args: Record<string, unknown>): Promise<T> {
    const module = this.#toolModule.get(tool);
    if (!module) throw new ToolCallError(tool, 'no connected MCP server offers this tool');
    const result = (await this.clientFor(module).callTool({ name: tool, arguments: args })) as CallToolResult;
    if (result.isError) {
      const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join(' ');
      throw new ToolCallError(tool, text);
    }
    return result.structuredContent as T;
  }

  /**
   * The same tools as LangChain tools, for a model that is allowed to call them: the adapter reads
   * each tool's name, description and input schema from the MCP server, so they are derived from the
   * operation definitions like everything else, and every call still goes through MCP.
   */
  async langChainTools(): Promise<DynamicStructuredTool[]> {
    const perModule = await Promise.all(
      [...this.#clients.entries()].map(([module, client]) =>
        loadMcpTools(module, client, { throwOnLoadError: true, prefixToolNameWithServerName: false }),
      ),
    );
    return perModule.flat();
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
    this.#clients.clear();
  }
}
