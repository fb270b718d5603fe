import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { McpSessions } from '../../api/routes/mcp-sessions.ts';
import type { Database } from '../../db/client.ts';
import { hasScope, roleScopes } from '../../tools/core/actor.ts';
import { createApiKey, KeyResolver } from '../../tools/auth/keys.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { allOperations } from '../../tools/registry.ts';
import { rosterHospital } from '../../tools/staffing/rostering/rostering.fixture.ts';
import { createTestDatabase } from '../db.ts';
import { listen } from '../http.ts';
import { rowCount } from '../mcp.ts';
import { expectRosterProgressAndCancel } from '../mcp-expect.ts';

// Resources, prompts, logging, progress and cancellation over Streamable HTTP on a real socket, with
// the SDK client an IDE uses: what needs a session (a stream per answer, a cancel that reaches its call).
let database: Database;
let server: Awaited<ReturnType<typeof listen>>;
let smallServer: Awaited<ReturnType<typeof listen>>;
let admin: string;
let staff: string;
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await rosterHospital(database);
  const now = new Date();
  admin = (await createApiKey(database.db, { role: 'admin', label: 'http ide', now })).key;
  staff = (await createApiKey(database.db, { role: 'staff', label: 'http ide staff', now })).key;
  const deps = { database, clock: systemClock, keys: new KeyResolver(database.db) };
  server = await listen(createApp(deps).fetch);
  // A second app with tight session limits, to see them enforced.
  const sessions = new McpSessions({ perIdentity: 2, idleMs: 1_500 });
  smallServer = await listen(createApp(deps, { mcpSessions: sessions }).fetch);
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await server?.close();
  await smallServer?.close();
});

async function connect(path: string, key: string, base = server.url) {
  const transport = new StreamableHTTPClientTransport(new URL(path, base), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  const client = new Client({ name: 'http-features-test', version: '0.0.0' });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

/** A raw JSON-RPC POST inside a session, as a script that kept the session id would send it. */
function inSession(path: string, key: string, sessionId: string, base = server.url) {
  return fetch(new URL(path, base), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      'mcp-session-id': sessionId,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} }),
  });
}

const textOf = (messages: { content: { type: string; text?: string } }[]) =>
  messages.map((m) => m.content.text ?? '').join('\n');

describe('Streamable HTTP sessions', { timeout: 60_000 }, () => {
  it('serves the combined /mcp with a module filter: resources and the three prompts', async () => {
    const { client, transport } = await connect('/mcp?modules=beds,staffing,revenue', admin);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.getServerVersion()?.name).toBe('carebridge');

    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining([
        'carebridge://beds/units/{unitId}/board',
        'carebridge://staffing/units/{unitId}/roster/today',
        'carebridge://revenue/claims/{claimId}',
      ]),
    );
    const board = await client.readResource({ uri: 'carebridge://beds/units/unit-ms/board' });
    const content = board.contents[0]!;
    expect(content.mimeType).toBe('application/json');
    const parsed = JSON.parse(String('text' in content ? content.text : '{}')) as { beds?: unknown[] };
    expect(parsed.beds?.length).toBe(8);

    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['cover-a-shift', 'find-a-bed', 'work-a-denial']);
    const bed = await client.getPrompt({
      name: 'find-a-bed',
      arguments: { patientId: 'pat-ms-3', unitTypes: 'telemetry,med-surg', needs: 'contact isolation' },
    });
    const text = textOf(bed.messages);
    expect(text).toContain('pat-ms-3');
    expect(text).toMatch(/telemetry/);
    expect(text).toMatch(/contact isolation/);
    await expect(client.getPrompt({ name: 'find-a-bed', arguments: {} })).rejects.toThrow(/patientId/);
  });

  it('streams a log message per call at the level the client set', async () => {
    const { client } = await connect('/mcp/health-data', staff);
    const logged: { level: string; data: unknown }[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logged.push({ level: n.params.level, data: n.params.data });
    });
    await client.setLoggingLevel('info');
    await client.callTool({ name: 'classify_glucose', arguments: { value: 3.1, unit: 'mmol/L' } });
    expect(logged).toEqual([
      { level: 'info', data: expect.objectContaining({ tool: 'classify_glucose', outcome: 'ok' }) },
    ]);
    await client.setLoggingLevel('error');
    await client.callTool({ name: 'classify_glucose', arguments: { value: 3.1, unit: 'mmol/L' } });
    expect(logged).toHaveLength(1);
  });

  it('reports progress while it rosters, and a cancel stops the call with nothing stored', async () => {
    const { client } = await connect('/mcp?modules=beds,staffing,revenue', admin);
    await expectRosterProgressAndCancel(client, database);
    // The session carries on after the cancel.
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('audits each read with the caller’s identity: what was asked and how much came back, not the data', async () => {
    const { client } = await connect('/mcp/beds', staff);
    const before = await rowCount(database, 'audit_log');
    const board = await client.callTool({ name: 'get_bed_board', arguments: { unit: 'unit-ms' } });
    expect(board.isError).toBeFalsy();
    const entries = await database.sql`
      select actor, tool, input, outcome, status from audit_log order by seq desc limit 2`;
    expect(await rowCount(database, 'audit_log')).toBe(before + 1);
    expect(entries[0]).toMatchObject({
      actor: expect.stringMatching(/^staff:/),
      tool: 'get_bed_board',
      input: { unit: 'unit-ms', limit: 100 },
      outcome: { read: true, returned: { beds: 8 } },
      status: 'ok',
    });
    expect(JSON.stringify(entries[0]!.outcome)).not.toContain('bed-ms-0');
  });

  it('binds a session to the identity and the endpoint that opened it; DELETE ends it', async () => {
    const { transport } = await connect('/mcp/beds', staff);
    const id = transport.sessionId!;
    expect((await inSession('/mcp/beds', staff, id)).status).toBe(200);
    // Another key presenting the id, or the id on another endpoint: no such session (404).
    const other = await inSession('/mcp/beds', admin, id);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { message: 'Session not found' } });
    expect((await inSession('/mcp/staffing', staff, id)).status).toBe(404);
    expect((await inSession('/mcp/beds', staff, 'no-such-session')).status).toBe(404);

    await transport.terminateSession();
    expect((await inSession('/mcp/beds', staff, id)).status).toBe(404);
  });

  it('offers the combined /mcp only the modules and tools the identity may use', async () => {
    const { client } = await connect('/mcp', staff);
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    const staffMay = { id: 'x', kind: 'staff' as const, scopes: roleScopes.staff };
    expect(names).toEqual(
      allOperations
        .filter((op) => hasScope(staffMay, op.scope))
        .map((op) => op.name)
        .sort(),
    );
    const { prompts } = await client.listPrompts();
    // No revenue scope: the denial prompt is not offered.
    expect(prompts.map((p) => p.name).sort()).toEqual(['cover-a-shift', 'find-a-bed']);

    const post = (path: string) =>
      fetch(new URL(path, server.url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${staff}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
    const unknown = await post('/mcp?modules=beds,pharmacy');
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({
      errors: [{ field: 'modules', message: 'unknown module pharmacy' }],
    });
    const audit = await post('/mcp?modules=beds,audit');
    expect(audit.status).toBe(403);
    expect(((await audit.json()) as { detail: string }).detail).toMatch(/none of the scopes of audit/);
  });

  it('closes an identity’s least recently used session beyond its limit, and idle sessions', async () => {
    const opened = [];
    for (let i = 0; i < 3; i++) opened.push(await connect('/mcp/beds', staff, smallServer.url));
    const ids = opened.map((o) => o.transport.sessionId!);
    const status = async (id: string) => (await inSession('/mcp/beds', staff, id, smallServer.url)).status;
    expect(await status(ids[0]!)).toBe(404);
    expect(await status(ids[1]!)).toBe(200);
    expect(await status(ids[2]!)).toBe(200);
    // Another identity's sessions do not count against this one's.
    const adminSession = await connect('/mcp/beds', admin, smallServer.url);
    expect(await status(ids[2]!)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect(await status(ids[2]!)).toBe(404);
    expect(
      (await inSession('/mcp/beds', admin, adminSession.transport.sessionId!, smallServer.url)).status,
    ).toBe(404);
  });
});
