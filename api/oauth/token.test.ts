import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { createApiKey, KeyResolver } from '../../tools/auth/keys.ts';
import { verifyAccessToken } from '../../tools/auth/tokens.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { createApp } from '../app.ts';

// The built-in authorization server and the discovery documents, called in-process.
const base = 'https://carebridge.test';
const secret = 'test-oauth-secret-of-at-least-32-bytes!!';
let app: ReturnType<typeof createApp>;
let database: Database;
let staff: { id: string; key: string };
let patientApp: { id: string; key: string };

beforeAll(async () => {
  database = await createTestDatabase();
  const now = systemClock.now();
  staff = await createApiKey(database.db, { role: 'staff', label: 'oauth staff', now });
  patientApp = await createApiKey(database.db, {
    role: 'patient-app',
    label: 'oauth app',
    patientId: 'pat-1',
    now,
  });
  app = createApp({
    database,
    clock: systemClock,
    keys: new KeyResolver(database.db),
    oauth: { publicUrl: base, secret },
  });
});

function token(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.request('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
const basic = (id: string, secretValue: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secretValue)}`).toString('base64')}`,
});

describe('discovery documents', () => {
  it('publishes RFC 9728 metadata for one module: its resource, our issuer and its scopes', async () => {
    const res = await app.request('/.well-known/oauth-protected-resource/mcp/beds');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      resource: `${base}/mcp/beds`,
      authorization_servers: [base],
      scopes_supported: ['beds:read', 'beds:write'],
      bearer_methods_supported: ['header'],
    });
  });

  it('publishes server-wide metadata with every operation scope', async () => {
    const doc = (await (await app.request('/.well-known/oauth-protected-resource')).json()) as {
      resource: string;
      scopes_supported: string[];
    };
    expect(doc.resource).toBe(`${base}/mcp`);
    expect(doc.scopes_supported).toEqual(
      expect.arrayContaining(['beds:write', 'health-data:read', 'revenue:write']),
    );
  });

  it('answers 404 for the metadata of a module that does not exist', async () => {
    expect((await app.request('/.well-known/oauth-protected-resource/mcp/pharmacy')).status).toBe(404);
  });

  it('publishes RFC 8414 authorization server metadata', async () => {
    const res = await app.request('/.well-known/oauth-authorization-server');
    expect(await res.json()).toMatchObject({
      issuer: base,
      token_endpoint: `${base}/oauth/token`,
      authorization_endpoint: `${base}/oauth/authorize`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: expect.arrayContaining(['beds:read']),
    });
  });

  it('has no interactive authorization: /oauth/authorize answers unsupported_response_type', async () => {
    const res = await app.request('/oauth/authorize?response_type=code&client_id=x');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unsupported_response_type' });
  });

  it('takes the base URL from the request when none is configured', async () => {
    const bare = createApp({
      database,
      clock: systemClock,
      keys: new KeyResolver(database.db),
      oauth: { secret },
    });
    const doc = (await (
      await bare.request('http://hospital.example:8080/.well-known/oauth-protected-resource/mcp/beds')
    ).json()) as { resource: string };
    expect(doc.resource).toBe('http://hospital.example:8080/mcp/beds');
  });
});

describe('POST /oauth/token (client credentials, the client being an API key)', () => {
  it('issues a token bound to the module with client_secret_basic', async () => {
    const res = await token(
      { grant_type: 'client_credentials', resource: `${base}/mcp/beds` },
      basic(staff.id, staff.key),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
    };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'beds:read beds:write' });
    const claims = await verifyAccessToken(body.access_token, {
      keys: { kind: 'hs256', secret: Buffer.from(secret) },
      issuer: base,
      audiences: [`${base}/mcp/beds`],
      now: new Date(),
    });
    expect(claims).toMatchObject({ sub: staff.id, aud: `${base}/mcp/beds`, scope: 'beds:read beds:write' });
    expect(claims.exp - (claims.iat ?? 0)).toBe(3600);
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims.patient).toBeUndefined();
    // The issuance is audited under the client's identity; the token itself is not stored.
    const [entry] = await database.sql`
      select actor, input, outcome, status from audit_log
      where tool = 'oauth_token' and outcome->>'jti' = ${claims.jti!}`;
    expect(entry).toMatchObject({
      actor: `oauth:${staff.id}`,
      status: 'ok',
      input: { grant_type: 'client_credentials', resource: `${base}/mcp/beds` },
      outcome: { audience: `${base}/mcp/beds`, scopes: ['beds:read', 'beds:write'] },
    });
    expect(JSON.stringify(entry)).not.toContain(body.access_token.split('.')[2]!);
  });

  it('issues a narrower token with client_secret_post and a requested scope', async () => {
    const res = await token({
      grant_type: 'client_credentials',
      resource: `${base}/mcp`,
      scope: 'beds:read',
      client_id: staff.id,
      client_secret: staff.key,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { scope: string }).scope).toBe('beds:read');
  });

  it('puts the patient of a patient-bound key into the token', async () => {
    const res = await token(
      { grant_type: 'client_credentials', resource: `${base}/mcp/health-data` },
      basic(patientApp.id, patientApp.key),
    );
    const { access_token } = (await res.json()) as { access_token: string };
    const payload = JSON.parse(Buffer.from(access_token.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ patient: 'pat-1', scope: expect.stringContaining('health-data:write') });
    expect(payload.scope).not.toMatch(/beds/);
  });

  it('refuses a wrong secret with 401 invalid_client', async () => {
    const res = await token({
      grant_type: 'client_credentials',
      resource: `${base}/mcp/beds`,
      client_id: staff.id,
      client_secret: `${staff.key}x`,
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a request with no client authentication (401 invalid_client)', async () => {
    const res = await token({ grant_type: 'client_credentials', resource: `${base}/mcp/beds` });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a key id with another key as its secret (401 invalid_client)', async () => {
    const res = await token(
      { grant_type: 'client_credentials', resource: `${base}/mcp/beds` },
      basic(staff.id, patientApp.key),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it.each([
    ['another server', 'https://evil.example/mcp/beds'],
    ['an unknown module', `${base}/mcp/pharmacy`],
    ['the REST API', `${base}/v1`],
  ])('refuses a token for %s (400 invalid_target)', async (_name, resource) => {
    const res = await token({ grant_type: 'client_credentials', resource }, basic(staff.id, staff.key));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_target',
      error_description: expect.stringContaining('resource'),
    });
  });

  it.each([
    ['a scope the role lacks', 'staff', 'revenue:write'],
    ['a scope no operation has', 'staff', 'everything'],
    ['beds to a patient app', 'patientApp', 'beds:read'],
  ] as const)('refuses %s (400 invalid_scope)', async (_name, who, scope) => {
    const key = who === 'staff' ? staff : patientApp;
    const res = await token(
      { grant_type: 'client_credentials', resource: `${base}/mcp`, scope },
      basic(key.id, key.key),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_scope',
      error_description: expect.stringContaining(scope),
    });
    // An authenticated client asking for more than it may hold is on the record.
    const [entry] = await database.sql`
      select actor, outcome, status from audit_log
      where tool = 'oauth_token' and status = 'error' and input->>'scope' = ${scope} order by seq desc limit 1`;
    expect(entry).toMatchObject({ actor: `oauth:${key.id}`, outcome: { error: 'invalid_scope' } });
  });

  it.each([
    ['no resource', { grant_type: 'client_credentials' }, 'invalid_request', /resource/],
    [
      'another grant type',
      { grant_type: 'password', resource: `${base}/mcp` },
      'unsupported_grant_type',
      /client_credentials/,
    ],
  ])('refuses %s', async (_name, fields, error, description) => {
    const res = await token(fields, basic(staff.id, staff.key));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe(error);
    expect(body.error_description).toMatch(description);
  });

  it('refuses a JSON body (the endpoint takes a form)', async () => {
    const res = await app.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...basic(staff.id, staff.key) },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });
});
