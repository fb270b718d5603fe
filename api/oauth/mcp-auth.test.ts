import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { expectBedReservedAs } from '../../test/mcp-expect.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { listen } from '../../test/http.ts';
import { callTool, rowCount, toolText } from '../../test/mcp.ts';
import { startTestService } from '../../test/service.ts';
import { createApiKey, KeyResolver } from '../../tools/auth/keys.ts';
import { accessTokenClaims, signHs256 } from '../../tools/auth/tokens.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { createApp } from '../app.ts';

// OAuth access tokens on /mcp over a real socket, with the official SDK client as an IDE would use it.
const base = 'https://carebridge.test';
const secret = 'test-oauth-secret-of-at-least-32-bytes!!';
let database: Database;
let server: Awaited<ReturnType<typeof listen>>;
let apiKeys: Awaited<ReturnType<typeof startTestService>>['keys'];
let staff: { id: string; key: string };
let patientApp: { id: string; key: string };
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  ({ keys: apiKeys } = await startTestService(database, systemClock, { worker: false }));
  const now = systemClock.now();
  staff = await createApiKey(database.db, { role: 'staff', label: 'IDE (staff)', now });
  patientApp = await createApiKey(database.db, {
    role: 'patient-app',
    label: 'IDE (pat-1)',
    patientId: 'pat-1',
    now,
  });
  const app = createApp({
    database,
    clock: systemClock,
    keys: new KeyResolver(database.db),
    oauth: { publicUrl: base, secret },
  });
  server = await listen(app.fetch);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

async function issue(key: { id: string; key: string }, resource: string, scope?: string): Promise<string> {
  const res = await fetch(new URL('/oauth/token', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: key.id,
      client_secret: key.key,
      resource,
      ...(scope ? { scope } : {}),
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A token signed with our secret but with claims of the test's choosing: what a bug or a thief might present. */
function forge(overrides: Record<string, unknown>, signingSecret = secret): string {
  const claims = accessTokenClaims({
    issuer: base,
    clientId: staff.id,
    audience: `${base}/mcp/beds`,
    scopes: ['beds:read', 'beds:write'],
    now: new Date(),
    ttlSeconds: 3600,
  });
  return signHs256({ ...claims, ...overrides }, Buffer.from(signingSecret));
}

/** `module` may be empty: the combined endpoint /mcp. */
async function connect(module: string, token: string): Promise<Client> {
  const path = module ? `/mcp/${module}` : '/mcp';
  const transport = new StreamableHTTPClientTransport(new URL(path, server.url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'carebridge-oauth-test', version: '0.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

function rpc(module: string, token: string | null, body: unknown) {
  return fetch(new URL(module ? `/mcp/${module}` : '/mcp', server.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}
const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
const reserveBedCall = {
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name: 'reserve_bed', arguments: { bedId: 'bed-ms-0', patientId: 'pat-1', reason: 'x' } },
};
const count = (table: string) => rowCount(database, table);

describe('/mcp with OAuth access tokens', { timeout: 60_000 }, () => {
  it('reserves a bed with a token, audited as oauth:<client id>', async () => {
    const client = await connect('beds', await issue(staff, `${base}/mcp/beds`));
    await expectBedReservedAs(client, database, `oauth:${staff.id}`);
  });

  it('accepts a server-wide token (audience /mcp) on any module', async () => {
    const client = await connect('health-data', await issue(staff, `${base}/mcp`));
    const glucose = await callTool(client, 'classify_glucose', { value: 3.1, unit: 'mmol/L' });
    expect(glucose.structuredContent).toMatchObject({ band: 'hypo-level-1' });
  });

  it('keeps API keys working unchanged', async () => {
    const client = await connect('beds', apiKeys.staff);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('answers 401 without credentials, pointing at the module metadata (RFC 9728)', async () => {
    const res = await rpc('beds', null, listTools);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp/beds"`,
    );
  });

  it.each([
    ['another module’s audience', () => forge({ aud: `${base}/mcp/revenue` })],
    ['another server’s audience', () => forge({ aud: 'https://evil.example/mcp/beds' })],
    ['an expired token', () => forge({ exp: Math.floor(Date.now() / 1000) - 120 })],
    ['another issuer', () => forge({ iss: 'https://evil.example' })],
    ['another signing secret', () => forge({}, 'someone-elses-secret-of-32-bytes-or-more')],
    ['alg none', () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${forge({}).split('.')[1]}.`],
    ['a key that does not exist', () => forge({ sub: 'no-such-key', client_id: 'no-such-key' })],
  ])('refuses %s with 401 invalid_token', async (_name, make) => {
    const res = await rpc('beds', make(), listTools);
    expect(res.status).toBe(401);
    const header = res.headers.get('www-authenticate') ?? '';
    expect(header).toMatch(/^Bearer error="invalid_token"/);
    expect(header).toContain(`resource_metadata="${base}/.well-known/oauth-protected-resource/mcp/beds"`);
  });

  it('answers 403 insufficient_scope for a tool the token’s scope does not cover, writing nothing', async () => {
    const token = await issue(staff, `${base}/mcp/beds`, 'beds:read');
    const before = await Promise.all(['bed_reservations', 'audit_log'].map(count));
    const res = await rpc('beds', token, reserveBedCall);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer error="insufficient_scope", scope="beds:write", .*resource_metadata="https:\/\/carebridge\.test\/\.well-known\/oauth-protected-resource\/mcp\/beds"$/,
    );
    expect(await Promise.all(['bed_reservations', 'audit_log'].map(count))).toEqual(before);
    // The read scope it holds still works.
    const client = await connect('beds', token);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('find_candidate_beds');
  });

  it('takes an access token only in the Authorization header (invalid_request from X-API-Key)', async () => {
    const token = await issue(staff, `${base}/mcp/beds`);
    const res = await fetch(new URL('/mcp/beds', server.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-api-key': token,
      },
      body: JSON.stringify(listTools),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_request"/);
    expect(await res.json()).toMatchObject({ errors: [{ field: 'X-API-Key' }] });
    expect((await rpc('beds', token, listTools)).status).toBe(200);
  });

  it('guards the combined /mcp with the server-wide resource: its metadata, its audience, its scopes', async () => {
    const none = await rpc('', null, listTools);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource"`,
    );
    // A token for one module is not a token for every module.
    const bedsOnly = await rpc('', await issue(staff, `${base}/mcp/beds`), listTools);
    expect(bedsOnly.status).toBe(401);
    expect(bedsOnly.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const token = await issue(staff, `${base}/mcp`, 'beds:read health-data:read');
    const client = await connect('', token);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['find_candidate_beds', 'score_news2']));
    expect(names).not.toContain('reserve_bed');
    const write = await rpc('', token, reserveBedCall);
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toMatch(/scope="beds:write"/);
  });

  it('stops a token from outliving its key: revoked key → 401', async () => {
    const key = await createApiKey(database.db, { role: 'staff', label: 'to revoke', now: new Date() });
    const token = await issue(key, `${base}/mcp/beds`);
    expect((await rpc('beds', token, listTools)).status).toBe(200);
    await database.sql`update api_keys set revoked_at = now() where id = ${key.id}`;
    expect((await rpc('beds', token, listTools)).status).toBe(401);
  });

  it('keeps a patient-bound token to its patient (tool error forbidden, nothing written)', async () => {
    const client = await connect('health-data', await issue(patientApp, `${base}/mcp/health-data`));
    const before = await Promise.all(['observations', 'audit_log'].map(count));
    const other = await callTool(client, 'record_observations', {
      patientId: 'pat-2',
      glucose: { value: 110, unit: 'mg/dL' },
    });
    expect(other.isError).toBe(true);
    expect(toolText(other)).toMatch(
      new RegExp(`^forbidden: oauth:${patientApp.id} may act only for patient pat-1`),
    );
    expect(await Promise.all(['observations', 'audit_log'].map(count))).toEqual(before);
  });

  it('keeps a patient-bound token from reading another patient (and audits nothing for it)', async () => {
    const client = await connect('health-data', await issue(patientApp, `${base}/mcp/health-data`));
    const args = {
      condition: 'hypoglycaemia',
      withinMinutes: 60,
      before: new Date().toISOString(),
    };
    const before = await count('audit_log');
    const other = await callTool(client, 'get_escalation_history', { ...args, patientId: 'pat-2' });
    expect(other.isError).toBe(true);
    expect(toolText(other)).toMatch(/^forbidden: .* may act only for patient pat-1, not pat-2/);
    expect(await count('audit_log')).toBe(before);
    // Its own patient's history it may read; the read is on the record under its identity.
    const own = await callTool(client, 'get_escalation_history', { ...args, patientId: 'pat-1' });
    expect(own.isError).toBeFalsy();
    const [entry] =
      await database.sql`select actor, on_behalf_of, tool from audit_log order by seq desc limit 1`;
    expect(entry).toMatchObject({
      actor: `oauth:${patientApp.id}`,
      on_behalf_of: 'pat-1',
      tool: 'get_escalation_history',
    });
  });

  it('refuses a token claiming a patient its key is not bound to', async () => {
    const token = forge({
      sub: patientApp.id,
      client_id: patientApp.id,
      aud: `${base}/mcp/health-data`,
      patient: 'pat-2',
    });
    expect((await rpc('health-data', token, listTools)).status).toBe(401);
  });
});
