import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { listen } from '../../test/http.ts';
import { startTestService } from '../../test/service.ts';
import { KeyResolver } from '../../tools/auth/keys.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { createApp } from '../app.ts';
import { callTool, rowCount, toolText } from '../../test/mcp.ts';

// Streamable HTTP over a real socket, with the official SDK client, as an IDE would connect.
const allowedOrigin = 'http://localhost:6274';
let database: Database;
let keys: Awaited<ReturnType<typeof startTestService>>['keys'];
let server: Awaited<ReturnType<typeof listen>>;
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  ({ keys } = await startTestService(database, systemClock, { worker: false }));
  const app = createApp({
    database,
    clock: systemClock,
    keys: new KeyResolver(database.db),
    allowedOrigins: [allowedOrigin],
  });
  server = await listen(app.fetch);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

async function connect(module: string, key: string, headers: Record<string, string> = {}): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`/mcp/${module}`, server.url), {
    requestInit: { headers: { Authorization: `Bearer ${key}`, ...headers } },
  });
  const client = new Client({ name: 'carebridge-http-test', version: '0.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const call = callTool;
const text = toolText;
const count = (table: string) => rowCount(database, table);

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};

function post(path: string, headers: Record<string, string>) {
  return fetch(new URL(path, server.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(initialize),
  });
}

describe('POST /mcp/<module> (Streamable HTTP)', { timeout: 60_000 }, () => {
  it.each([
    ['health-data', ['score_news2', 'classify_glucose', 'record_observations']],
    ['beds', ['find_candidate_beds', 'reserve_bed', 'release_bed_reservation']],
    ['staffing', ['on_call_now', 'page_staff', 'notify_staff']],
  ])('lists the %s tools', async (module, expected) => {
    const client = await connect(module, keys.staff);
    expect(client.getServerVersion()?.name).toBe(`carebridge-${module}`);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(expected));
  });

  it('scores NEWS2 and classifies glucose (health-data)', async () => {
    const client = await connect('health-data', keys.staff);
    const news2 = await call(client, 'score_news2', {
      respirationRate: 18,
      spo2: 97,
      spo2Scale: 1,
      onOxygen: false,
      systolicBp: 120,
      pulse: 80,
      consciousness: 'A',
      temperature: 37,
    });
    expect(news2.structuredContent).toMatchObject({ total: 0, risk: 'none', anyParameterScore3: false });
    const glucose = await call(client, 'classify_glucose', { value: 3.1, unit: 'mmol/L' });
    expect(glucose.structuredContent).toMatchObject({ band: 'hypo-level-1', severity: expect.any(Number) });
  });

  it('finds an ICU bed with negative pressure and reserves it, audited as the key (beds)', async () => {
    const client = await connect('beds', keys.staff);
    const found = await call(client, 'find_candidate_beds', {
      need: { unitTypes: ['icu'], isolation: 'airborne', telemetry: true, bariatric: false, sex: 'male' },
    });
    const { candidates } = found.structuredContent as { candidates: { bedId: string }[] };
    expect(candidates.map((c) => c.bedId)).toEqual(['bed-icu-2']);
    const reserved = await call(client, 'reserve_bed', {
      bedId: 'bed-icu-2',
      patientId: 'pat-2',
      reason: 'suspected TB, needs isolation',
    });
    const { reservationId } = reserved.structuredContent as { reservationId: string };
    const [row] = await database.sql`select bed_id, status, created_by from bed_reservations
      where id = ${reservationId}`;
    expect(row).toMatchObject({
      bed_id: 'bed-icu-2',
      status: 'held',
      created_by: expect.stringMatching(/^staff:/),
    });
    const [audit] = await database.sql`select actor from audit_log where tool = 'reserve_bed'`;
    expect(audit!.actor).toBe(row!.created_by);
  });

  it('names who is on call and pages them (staffing)', async () => {
    const client = await connect('staffing', keys.staff);
    const onCall = await call(client, 'on_call_now', { specialty: 'critical-care' });
    expect(onCall.structuredContent).toMatchObject({ primary: { staffId: 'stf-icu' }, backup: null });
    const page = await call(client, 'page_staff', { staffId: 'stf-icu', message: 'NEWS2 of 9 in bay 3' });
    expect(page.structuredContent).toMatchObject({
      channel: 'page',
      recipientId: 'stf-icu',
      replayed: false,
    });
    const rows = await database.sql`select message from notifications where recipient_id = 'stf-icu'`;
    expect(rows.map((r) => r.message)).toEqual(['NEWS2 of 9 in bay 3']);
  });

  it('refuses a patient app acting for another patient, and writes nothing', async () => {
    const client = await connect('health-data', keys.patient1);
    const before = await Promise.all(['observations', 'audit_log'].map(count));
    const other = await call(client, 'record_observations', {
      patientId: 'pat-2',
      glucose: { value: 110, unit: 'mg/dL' },
    });
    expect(other.isError).toBe(true);
    expect(text(other)).toMatch(/^forbidden: .* may act only for patient pat-1, not pat-2/);
    expect(await Promise.all(['observations', 'audit_log'].map(count))).toEqual(before);

    const own = await call(client, 'record_observations', {
      patientId: 'pat-1',
      glucose: { value: 110, unit: 'mg/dL' },
    });
    expect(own.isError).toBeFalsy();
    expect(own.structuredContent).toMatchObject({ observationIds: [expect.any(String)], escalation: null });
    const stored = await database.sql`select patient_id from observations`;
    expect(stored.map((r) => r.patient_id)).toEqual(['pat-1']);
  });

  it('refuses an argument a tool does not know, naming it, rather than dropping it', async () => {
    const client = await connect('beds', keys.staff);
    // `unitId` for `unit`: dropped, the read would have answered for every unit.
    const read = await call(client, 'get_bed_board', { unitId: 'unit-icu' });
    expect(read.isError).toBe(true);
    expect(text(read)).toMatch(/unitId/);
    const before = await Promise.all(['bed_reservations', 'audit_log'].map(count));
    const write = await call(client, 'reserve_bed', {
      bedId: 'bed-ms-0',
      patientId: 'pat-1',
      reason: 'typo',
      holdMinutess: 30,
    });
    expect(write.isError).toBe(true);
    expect(text(write)).toMatch(/holdMinutess/);
    expect(await Promise.all(['bed_reservations', 'audit_log'].map(count))).toEqual(before);
    // The schema a client sees says so too.
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'reserve_bed')?.inputSchema).toMatchObject({
      additionalProperties: false,
    });
  });

  it('refuses a patient app the bed server, naming the scopes it lacks', async () => {
    await expect(connect('beds', keys.patient1)).rejects.toThrow(/holds none of the scopes of beds/);
    const res = await post('/mcp/beds', { authorization: `Bearer ${keys.patient1}` });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/beds:read/);
  });

  it('offers a staff key only the tools it may call', async () => {
    const client = await connect('staffing', keys.staff);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('on_call_now');
    // Rostering writes need staffing:write, which staff keys do not hold.
    expect(names).not.toContain('propose_roster');
    const refused = await call(client, 'propose_roster', {});
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/propose_roster not found/i);
  });

  it('answers 401 without a key, 403 for a foreign Origin and 404 for an unknown module', async () => {
    const noKey = await post('/mcp/beds', {});
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expect(connect('beds', 'cbk_staff_not-a-real-key')).rejects.toThrow(/401/);

    const foreign = await post('/mcp/beds', {
      authorization: `Bearer ${keys.staff}`,
      origin: 'http://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { detail: string }).detail).toMatch(/evil\.example/);
    const allowed = await connect('beds', keys.staff, { Origin: allowedOrigin });
    expect((await allowed.listTools()).tools.length).toBeGreaterThan(0);

    const unknown = await post('/mcp/pharmacy', { authorization: `Bearer ${keys.staff}` });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
