import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Database } from '../db/client.ts';
import type { Actor } from '../tools/core/actor.ts';
import type { Clock } from '../tools/core/clock.ts';
import { operationsByModule, type ServedModule } from '../tools/registry.ts';
import { createMcpServer, modulesUsableBy, unusableModuleError } from './server.ts';

/**
 * The named modules' tools on stdin/stdout, acting as `actor`: one server for all of them (named
 * carebridge-<module> when there is one). Nothing but protocol may go to stdout, so `log` must
 * write elsewhere. Resolves when the client disconnects or the process is told to stop.
 */
export async function serveStdio(opts: {
  modules: readonly ServedModule[];
  /** `all`: the modules the identity can use; a module named explicitly must be usable. */
  all?: boolean;
  database: Database;
  actor: Actor;
  clock: Clock;
  log: (line: string) => void;
}): Promise<void> {
  const { database, actor, clock } = opts;
  const refused = opts.all ? null : unusableModuleError(actor, opts.modules);
  if (refused) throw new StdioRefusal(refused);
  const modules = modulesUsableBy(actor, opts.modules);
  if (modules.length === 0) throw new StdioRefusal(`${actor.id} may call no tool of any module`);
  const context = () => ({ database, clock, actor, onBehalfOf: actor.patientId });
  const server = createMcpServer(modules, context, { permittedOnly: true, auditReads: true });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });
  await server.connect(transport);
  opts.log(`CareBridge MCP server for ${modules.join(', ')} on stdio as ${actor.id}`);
  await closed;
  await server.close();
}

/** The identity cannot use what it asked to serve: a configuration error, reported before any protocol. */
export class StdioRefusal extends Error {}

/**
 * Which modules `carebridge mcp` serves: one named module, `all`, or `--modules a,b` (a filter on
 * one combined server). A wrong or unknown name is an error that names it.
 */
export function selectModules(
  positional: string | undefined,
  modulesFlag: string | undefined,
): { modules: ServedModule[]; all?: boolean } | { error: string } {
  const served = Object.keys(operationsByModule) as ServedModule[];
  const known = (name: string): name is ServedModule => Object.hasOwn(operationsByModule, name);
  if (positional && modulesFlag) return { error: 'Name a module or pass --modules, not both' };
  if (positional === 'all') return { modules: served, all: true };
  const names = modulesFlag
    ? modulesFlag
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean)
    : positional
      ? [positional]
      : [];
  if (names.length === 0) return { error: `Name a module (${served.join(', ')}), 'all', or --modules a,b` };
  const unknown = names.filter((m) => !known(m));
  if (unknown.length > 0) {
    return { error: `Unknown module ${unknown.join(', ')}; modules: ${served.join(', ')}` };
  }
  return { modules: [...new Set(names as ServedModule[])] };
}
