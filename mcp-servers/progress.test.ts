import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { createTestDatabase } from '../test/db.ts';
import { rowCount } from '../test/mcp.ts';
import { type Actor, roleScopes } from '../tools/core/actor.ts';
import { ManualClock } from '../tools/core/clock.ts';
import { NEXT_MONDAY, NOW, rosterHospital } from '../tools/staffing/rostering/rostering.fixture.ts';
import { createMcpServer } from './server.ts';

// A long operation over MCP as an IDE calls it: progress while the roster solver searches, and a
// cancellation that stops it with nothing stored.
let database: Database;
const clients: Client[] = [];
const admin: Actor = { id: 'admin:ops', kind: 'admin', scopes: roleScopes.admin };

beforeAll(async () => {
  database = await createTestDatabase();
  await rosterHospital(database);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function staffingClient(): Promise<Client> {
  const clock = new ManualClock(NOW);
  const server = createMcpServer(['staffing'], () => ({ database, clock, actor: admin }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'ide-test', version: '0.0.0' });
  await client.connect(clientSide);
  clients.push(client);
  return client;
}

const proposal = { unitId: 'unit-ms', startsOn: NEXT_MONDAY, weeks: 2, timeLimitSeconds: 4 };

describe('progress and cancellation of propose_roster over MCP', () => {
  it('sends increasing progress while it solves, then the proposal', async () => {
    const client = await staffingClient();
    const seen: Progress[] = [];
    const result = await client.request(
      { method: 'tools/call', params: { name: 'propose_roster', arguments: proposal } },
      CallToolResultSchema,
      { onprogress: (p) => seen.push(p), timeout: 60_000 },
    );
    expect(result.isError).toBeFalsy();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    const steps = seen.map((p) => p.progress);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(new Set(steps).size).toBe(steps.length);
  });

  it('stops when the client cancels, and stores nothing', async () => {
    const client = await staffingClient();
    const before = await rowCount(database, 'roster_proposals');
    const audited = await rowCount(database, 'audit_log');
    const abort = new AbortController();
    const started = Date.now();
    const call = client.request(
      {
        method: 'tools/call',
        params: { name: 'propose_roster', arguments: proposal },
      },
      CallToolResultSchema,
      { signal: abort.signal, onprogress: () => abort.abort('the user pressed stop'), timeout: 60_000 },
    );
    await expect(call).rejects.toThrow();
    // Left alone, the solve would have stored its proposal by its 4 s limit: wait past it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 6_000 - Date.now())));
    expect(await rowCount(database, 'roster_proposals')).toBe(before);
    expect(await rowCount(database, 'audit_log')).toBe(audited);
  });
});

describe('prompts', () => {
  it('lists the prompts of the modules served and fills one with its arguments', async () => {
    const clock = new ManualClock(NOW);
    const server = createMcpServer(['beds', 'staffing', 'revenue'], () => ({
      database,
      clock,
      actor: admin,
    }));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'ide-test', version: '0.0.0' });
    await client.connect(clientSide);
    clients.push(client);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['cover-a-shift', 'find-a-bed', 'work-a-denial']);
    const denial = await client.getPrompt({ name: 'work-a-denial', arguments: { workItemId: 'dwi-42' } });
    const text = denial.messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');
    expect(text).toContain('dwi-42');
    expect(text).toMatch(/get_denial/);
    await expect(client.getPrompt({ name: 'work-a-denial', arguments: {} })).rejects.toThrow(/workItemId/);
  });
});
