import { createHmac, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { expectBedReservedAs } from '../../test/mcp-expect.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { listen } from '../../test/http.ts';
import { KeyResolver } from '../../tools/auth/keys.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { createApp } from '../app.ts';

// CareBridge as a pure resource server behind an external authorization server, whose JWKS a
// local HTTP server plays (no internet).
const base = 'https://carebridge.test';
const issuer = 'https://login.hospital.example/realms/carebridge';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
let database: Database;
let jwks: Awaited<ReturnType<typeof listen>>;
let server: Awaited<ReturnType<typeof listen>>;
let jwksFetches = 0;
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  const keys = [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  jwks = await listen(() => {
    jwksFetches += 1;
    return Response.json({ keys });
  });
  const app = createApp({
    database,
    clock: systemClock,
    keys: new KeyResolver(database.db),
    oauth: { publicUrl: base, external: { issuer, jwksUrl: `${jwks.url}/jwks.json` } },
  });
  server = await listen(app.fetch);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  await jwks.close();
});

function jwt(
  header: Record<string, unknown>,
  overrides: Record<string, unknown>,
  signer: (input: string) => Buffer,
) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: issuer,
    sub: 'user-123',
    client_id: 'vscode-ide',
    aud: `${base}/mcp/beds`,
    scope: 'beds:read beds:write',
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    ...overrides,
  };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${signer(input).toString('base64url')}`;
}
const rs256 = (overrides: Record<string, unknown> = {}, key: KeyObject = rsa.privateKey, kid = 'rsa-1') =>
  jwt({ alg: 'RS256', typ: 'at+jwt', kid }, overrides, (input) => sign('sha256', Buffer.from(input), key));
const es256 = (overrides: Record<string, unknown> = {}) =>
  jwt({ alg: 'ES256', kid: 'ec-1' }, overrides, (input) =>
    sign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }),
  );

async function connect(module: string, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`/mcp/${module}`, server.url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'carebridge-external-oauth-test', version: '0.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

function rpc(token: string, body: unknown = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }) {
  return fetch(new URL('/mcp/beds', server.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
}

describe('/mcp behind an external authorization server (JWKS)', { timeout: 60_000 }, () => {
  it('names the external issuer in the metadata and serves no token endpoint of its own', async () => {
    const doc = await (
      await fetch(new URL('/.well-known/oauth-protected-resource/mcp/beds', server.url))
    ).json();
    expect(doc).toMatchObject({ resource: `${base}/mcp/beds`, authorization_servers: [issuer] });
    expect((await fetch(new URL('/.well-known/oauth-authorization-server', server.url))).status).toBe(404);
    const token = await fetch(new URL('/oauth/token', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(404);
  });

  it('reserves a bed with an RS256 token, audited as oauth:<client_id>, fetching the JWKS once', async () => {
    const client = await connect('beds', rs256());
    await expectBedReservedAs(client, database, 'oauth:vscode-ide');
    expect((await rpc(es256())).status).toBe(200);
    expect(jwksFetches).toBe(1);
  });

  it('accepts an ES256 token', async () => {
    const client = await connect('beds', es256({ scope: 'beds:read' }));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it.each([
    ['a key outside the JWKS', () => rs256({}, stranger.privateKey, 'rsa-9')],
    ['a known kid signed by another key', () => rs256({}, stranger.privateKey, 'rsa-1')],
    ['another issuer', () => rs256({ iss: 'https://evil.example' })],
    ['another audience', () => rs256({ aud: 'https://other-mcp.example/mcp' })],
    ['an expired token', () => rs256({ exp: Math.floor(Date.now() / 1000) - 120 })],
    [
      'HS256 keyed with the issuer’s public key (algorithm confusion)',
      () =>
        jwt({ alg: 'HS256', kid: 'rsa-1' }, {}, (input) =>
          createHmac('sha256', rsa.publicKey.export({ type: 'spki', format: 'pem' }))
            .update(input)
            .digest(),
        ),
    ],
  ])('refuses %s with 401 invalid_token', async (_name, make) => {
    const res = await rpc(make());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('grants nothing for scopes this server does not define, such as *', async () => {
    const res = await rpc(rs256({ scope: '* admin' }), {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'reserve_bed', arguments: { bedId: 'bed-ms-0', patientId: 'pat-1', reason: 'x' } },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope", scope="beds:write"/);
  });
});
