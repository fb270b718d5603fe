import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CallToolResult,
  LoggingMessageNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../db/client.ts';
import { createTestDatabase } from '../test/db.ts';
import { miniHospital, normalVitals } from '../test/fixtures.ts';
import { callTool, rowCount, toolText } from '../test/mcp.ts';
import { type Actor, roleScopes } from '../tools/core/actor.ts';
import { systemClock } from '../tools/core/clock.ts';
import type { OperationContext } from '../tools/core/operation.ts';
import { operationsByModule, type ServedModule } from '../tools/registry.ts';
import type { PageLimits } from './paging.ts';
import { createMcpServer, createModuleServer, WHOLE_RESULTS_CAPABILITY } from './server.ts';

let database: Database;
const clients: Client[] = [];
const staffActor: Actor = { id: 'staff:nia', kind: 'staff', scopes: roleScopes.staff };
const patientApp: Actor = {
  id: 'app:pat-1',
  kind: 'patient-app',
  scopes: roleScopes['patient-app'],
  patientId: 'pat-1',
};

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database, { medSurgBeds: 7 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function connect(
  server: McpServer,
  opts: { name?: string; capabilities?: Record<string, unknown> } = {},
): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client(
    { name: opts.name ?? 'ide-test', version: '0.0.0' },
    { capabilities: opts.capabilities ?? {} },
  );
  await client.connect(clientSide);
  clients.push(client);
  return client;
}

const ctxOf = (actor: Actor) => (): OperationContext => ({ database, clock: systemClock, actor });
const serve = (modules: ServedModule[], actor = staffActor, limits?: PageLimits) =>
  createMcpServer(modules, ctxOf(actor), limits ? { limits } : {});

const medSurgNeed = { need: { unitTypes: ['med-surg'], sex: 'female' } };
type Candidates = { candidates: { bedId: string }[]; considered: number };
const pageMeta = (r: CallToolResult) =>
  r._meta?.['carebridge/page'] as { shown: number; total: number; nextCursor: string | null } | undefined;

describe('createMcpServer: one server for several modules', () => {
  it('serves the tools of every named module and nothing else', async () => {
    const client = await connect(serve(['beds', 'revenue']));
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    const expected = [...operationsByModule.beds, ...operationsByModule.revenue].map((op) => op.name).sort();
    expect(names).toEqual(expected);
    expect(names).not.toContain('score_news2');
    expect(client.getServerVersion()?.name).toBe('carebridge');
    expect(client.getServerCapabilities()).toMatchObject({
      logging: {},
      tools: {},
      resources: {},
      prompts: {},
    });
  });

  it('keeps createModuleServer as the one-module server it was', async () => {
    const client = await connect(createModuleServer('health-data', ctxOf(staffActor)));
    expect(client.getServerVersion()?.name).toBe('carebridge-health-data');
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(operationsByModule['health-data'].map((op) => op.name).sort());
  });
});

describe('output caps and pagination', () => {
  const small: PageLimits = { pageSize: 3, maxBytes: 64 * 1024 };

  it('offers a cursor argument on reads that do not page themselves, never on writes', async () => {
    const tools = new Map((await (await connect(serve(['beds']))).listTools()).tools.map((t) => [t.name, t]));
    expect(tools.get('find_candidate_beds')?.inputSchema.properties).toHaveProperty('cursor');
    expect(tools.get('reserve_bed')?.inputSchema.properties).not.toHaveProperty('cursor');
    // get_bed_board pages itself: its own cursor, not a second one.
    expect(tools.get('get_bed_board')?.inputSchema.properties).toHaveProperty('limit');
    expect(tools.get('plan_bed_assignments')?.inputSchema.properties).not.toHaveProperty('cursor');
  });

  it('answers the first page with a cursor and a note, then the next pages, without repeats', async () => {
    const client = await connect(serve(['beds'], staffActor, small));
    const first = await callTool(client, 'find_candidate_beds', medSurgNeed);
    expect(first.isError).toBeFalsy();
    expect((first.structuredContent as Candidates).candidates).toHaveLength(3);
    expect((first.structuredContent as Candidates).considered).toBe(7);
    expect(pageMeta(first)).toMatchObject({ shown: 3, total: 7 });
    const cursor1 = pageMeta(first)?.nextCursor;
    expect(toolText(first)).toContain(
      `candidates 1–3 of 7 shown; call again with the same arguments and cursor="${cursor1}"`,
    );

    const second = await callTool(client, 'find_candidate_beds', { ...medSurgNeed, cursor: cursor1 });
    const third = await callTool(client, 'find_candidate_beds', {
      ...medSurgNeed,
      cursor: pageMeta(second)?.nextCursor,
    });
    expect(pageMeta(third)).toMatchObject({ shown: 1, total: 7, nextCursor: null });
    expect(toolText(third)).toContain('this is the last page');
    const ids = [first, second, third].flatMap((r) =>
      (r.structuredContent as Candidates).candidates.map((c) => c.bedId),
    );
    expect(new Set(ids).size).toBe(7);
  });

  it('refuses a cursor made for other arguments or not made here, naming cursor', async () => {
    const client = await connect(serve(['beds'], staffActor, small));
    const first = await callTool(client, 'find_candidate_beds', medSurgNeed);
    const other = await callTool(client, 'find_candidate_beds', {
      need: { unitTypes: ['med-surg', 'icu'], sex: 'female' },
      cursor: pageMeta(first)?.nextCursor,
    });
    expect(other.isError).toBe(true);
    expect(toolText(other)).toMatch(/^invalid: Invalid cursor: it was issued for other arguments/);
    const forged = await callTool(client, 'find_candidate_beds', {
      ...medSurgNeed,
      cursor: 'bm90LWEtY3Vyc29y',
    });
    expect(forged.isError).toBe(true);
    expect(toolText(forged)).toContain('cursor');
  });

  it('sheds items until a page fits the byte cap', async () => {
    const whole = await callTool(await connect(serve(['beds'])), 'find_candidate_beds', medSurgNeed);
    const cap = Math.floor(Buffer.byteLength(JSON.stringify(whole.structuredContent)) / 2);
    const client = await connect(serve(['beds'], staffActor, { pageSize: 50, maxBytes: cap }));
    const result = await callTool(client, 'find_candidate_beds', medSurgNeed);
    const page = pageMeta(result);
    expect(page?.total).toBe(7);
    expect(page?.shown).toBeLessThan(7);
    expect(Buffer.byteLength(JSON.stringify(result.structuredContent))).toBeLessThanOrEqual(cap);
  });

  it('gives whole results to a client that declares it takes them (the agents)', async () => {
    const declared = await connect(serve(['beds'], staffActor, small), {
      capabilities: { experimental: { [WHOLE_RESULTS_CAPABILITY]: {} } },
    });
    const named = await connect(serve(['beds'], staffActor, small), { name: 'carebridge-agent:beds' });
    for (const client of [declared]) {
      const whole = await callTool(client, 'find_candidate_beds', medSurgNeed);
      expect((whole.structuredContent as Candidates).candidates).toHaveLength(7);
      expect(pageMeta(whole)).toBeUndefined();
    }
    // A name is no declaration: a client calling itself an agent is paged like any other.
    expect(pageMeta(await callTool(named, 'find_candidate_beds', medSurgNeed))?.total).toBe(7);
  });
});

describe('logging', () => {
  async function logged(actor: Actor) {
    const client = await connect(serve(['beds', 'health-data'], actor));
    const messages: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      messages.push(n.params);
    });
    return { client, messages };
  }

  it('logs each call: info when it succeeds, warning when it is refused, with tool, outcome and caller', async () => {
    const { client, messages } = await logged(staffActor);
    await callTool(client, 'score_news2', { ...normalVitals });
    const refused = await callTool(client, 'reserve_bed', {
      bedId: 'bed-none',
      patientId: 'pat-1',
      reason: 'test',
    });
    expect(refused.isError).toBe(true);
    await vi.waitFor(() => expect(messages).toHaveLength(2));
    expect(messages[0]).toEqual({
      level: 'info',
      logger: 'carebridge.health-data',
      data: { tool: 'score_news2', outcome: 'ok', callerId: 'staff:nia' },
    });
    expect(messages[1]).toMatchObject({
      level: 'warning',
      logger: 'carebridge.beds',
      data: { tool: 'reserve_bed', outcome: 'refused', callerId: 'staff:nia' },
    });
  });

  it('honours logging/setLevel: at warning, successful calls are not logged', async () => {
    const { client, messages } = await logged(patientApp);
    await client.setLoggingLevel('warning');
    const ok = await callTool(client, 'classify_glucose', { value: 48, unit: 'mg/dL' });
    const forbidden = await callTool(client, 'find_candidate_beds', medSurgNeed);
    expect(forbidden.isError).toBe(true);
    expect(toolText(forbidden)).toMatch(/^forbidden: app:pat-1 lacks the scope beds:read/);
    await vi.waitFor(() => expect(messages).toHaveLength(1));
    expect(ok.isError ? toolText(ok) : 'ok').toBe('ok');
    expect(messages[0]).toMatchObject({
      level: 'warning',
      data: { tool: 'find_candidate_beds', outcome: 'refused', callerId: 'app:pat-1' },
    });
    expect(await rowCount(database, 'bed_reservations')).toBe(0);
  });
});
