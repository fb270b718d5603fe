import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Database } from '../db/client.ts';
import type { Actor } from '../tools/core/actor.ts';
import type { Clock } from '../tools/core/clock.ts';
import type { ServedModule } from '../tools/registry.ts';
import { createModuleServer } from './server.ts';

/**
 * One module's tools on stdin/stdout, acting as `actor`. Nothing but protocol may go to stdout, so
 * `log` must write elsewhere. Resolves when the client disconnects or the process is told to stop.
 */
export async function serveStdio(opts: {
  module: ServedModule;
  database: Database;
  actor: Actor;
  clock: Clock;
  log: (line: string) => void;
}): Promise<void> {
  const { module, database, actor, clock } = opts;
  const server = createModuleServer(module, () => ({ database, clock, actor, onBehalfOf: actor.patientId }));
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });
  await server.connect(transport);
  opts.log(`CareBridge MCP server '${module}' on stdio as ${actor.id}`);
  await closed;
  await server.close();
}
