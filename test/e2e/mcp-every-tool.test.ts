import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { operationsByModule, type ServedModule, servedModules } from '../../tools/registry.ts';
import { createTestDatabase } from '../db.ts';
import { miniHospital } from '../fixtures.ts';
import { listen } from '../http.ts';
import { callTool, rowCount, toolText } from '../mcp.ts';
import { startTestService } from '../service.ts';
import { badArgumentFor, callEveryTool } from './every-tool.ts';

// Real clients only: the SDK client over stdio (`carebridge mcp all` in a child process, as an IDE
// starts it) and over Streamable HTTP (the hono app on a real port, /mcp/<module>), both as an admin key.
const root = fileURLToPath(new URL('../..', import.meta.url));
let database: Database;
let adminKey: string;
let server: Awaited<ReturnType<typeof listen>>;
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  const svc = await startTestService(database, systemClock, { worker: false });
  adminKey = svc.keys.admin;
  server = await listen(svc.app.fetch);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
});

async function connected(name: string, transport: Parameters<Client['connect']>[0]): Promise<Client> {
  const client = new Client({ name, version: '0.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

let stdioClient: Promise<Client> | undefined;
function stdio(): Promise<Client> {
  stdioClient ??= connected(
    'every-tool-stdio',
    new StdioClientTransport({
      command: process.execPath,
      args: ['cli/main.ts', 'mcp', 'all', '--key', adminKey],
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url } as Record<string, string>,
      stderr: 'pipe',
    }),
  );
  return stdioClient;
}

const httpClients = new Map<ServedModule, Promise<Client>>();
function http(module: ServedModule): Promise<Client> {
  let client = httpClients.get(module);
  if (!client) {
    client = connected(
      `every-tool-http-${module}`,
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp/${module}`), {
        requestInit: { headers: { authorization: `Bearer ${adminKey}` } },
      }),
    );
    httpClients.set(module, client);
  }
  return client;
}

/** Rows in every table of ours: what a refused call must leave exactly as it was. */
async function everyRowCount(): Promise<Record<string, number>> {
  const tables = await database.sql<{ name: string }[]>`
    select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
  const counts = await Promise.all(
    tables.map(async (t) => [t.name, await rowCount(database, `"${t.name}"`)]),
  );
  return Object.fromEntries(counts);
}

const toolsOf = async (client: Client, module: ServedModule): Promise<Tool[]> => {
  const names = new Set(operationsByModule[module].map((op) => op.name));
  return (await client.listTools()).tools.filter((t) => names.has(t.name));
};

describe.each([
  ['stdio (carebridge mcp all)', (_module: ServedModule) => stdio()],
  ['Streamable HTTP (/mcp/<module>)', http],
] as const)('every tool of every module over %s', { timeout: 60_000 }, (_name, clientFor) => {
  it.each(servedModules)('lists every %s tool with object input and output schemas', async (module) => {
    const tools = await toolsOf(await clientFor(module), module);
    expect(tools.map((t) => t.name).sort()).toEqual(operationsByModule[module].map((op) => op.name).sort());
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
  });

  it.each(servedModules)(
    'calls every %s tool: a result by its output schema, or an error naming a field',
    async (module) => {
      const client = await clientFor(module);
      const schemas = new Map((await toolsOf(client, module)).map((t) => [t.name, t.inputSchema]));
      const ops = operationsByModule[module];
      const wrong: string[] = [];
      const outcomes = await callEveryTool(client, ops);
      expect(outcomes.map((o) => o.tool)).toEqual(ops.map((op) => op.name));
      // Each module has a tool the fixture makes succeed, so the happy path is exercised too.
      expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(0);
      for (const outcome of outcomes) {
        const op = ops.find((o) => o.name === outcome.tool)!;
        if (outcome.ok) {
          // The SDK client has already checked structuredContent against the listed outputSchema.
          const parsed = op.output.safeParse(outcome.result.structuredContent);
          if (!parsed.success) wrong.push(`${outcome.tool}: result does not match its output schema`);
        } else {
          const fields = Object.keys(schemas.get(outcome.tool)?.properties ?? {});
          if (!fields.some((f) => outcome.text.includes(f))) wrong.push(`${outcome.tool}: ${outcome.text}`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  it.each(servedModules)(
    'refuses a wrongly typed argument to every %s tool, naming it and writing nothing',
    async (module) => {
      const client = await clientFor(module);
      const before = await everyRowCount();
      const auditBefore = await rowCount(database, 'audit_log');
      const wrong: string[] = [];
      let tried = 0;
      for (const tool of await toolsOf(client, module)) {
        const bad = badArgumentFor(tool.inputSchema);
        if (!bad) continue;
        tried++;
        const result = await callTool(client, tool.name, bad.args);
        if (!result.isError || !toolText(result).includes(bad.field)) {
          wrong.push(`${tool.name}(${JSON.stringify(bad.args)}): ${toolText(result).slice(0, 160)}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(tried).toBeGreaterThan(0);
      expect(await rowCount(database, 'audit_log')).toBe(auditBefore);
      expect(await everyRowCount()).toEqual(before);
    },
  );
});
