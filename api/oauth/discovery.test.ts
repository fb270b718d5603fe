import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { expectBedReservedAs } from '../../test/mcp-expect.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { listen } from '../../test/http.ts';
import { createApiKey, KeyResolver } from '../../tools/auth/keys.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { createApp } from '../app.ts';

// The whole MCP authorization dance as the SDK client performs it, unaided: 401 → protected
// resource metadata → authorization server metadata → client-credentials token for the resource → retry.
let database: Database;
let server: Awaited<ReturnType<typeof listen>>;
let client: Client | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  const app = createApp({
    database,
    clock: systemClock,
    keys: new KeyResolver(database.db),
    oauth: { secret: 'discovery-test-secret-of-32-bytes-or-more' },
  });
  server = await listen(app.fetch);
});
afterAll(async () => {
  await client?.close();
  await server.close();
});

describe('MCP authorization discovery with the SDK client', { timeout: 60_000 }, () => {
  it('finds the token endpoint from a 401, obtains a token and calls a tool as oauth:<key id>', async () => {
    const key = await createApiKey(database.db, { role: 'staff', label: 'headless agent', now: new Date() });
    const authProvider = new ClientCredentialsProvider({
      clientId: key.id,
      clientSecret: key.key,
      expectedIssuer: server.url,
    });
    const transport = new StreamableHTTPClientTransport(new URL('/mcp/beds', server.url), { authProvider });
    client = new Client({ name: 'carebridge-discovery-test', version: '0.0.0' });
    await client.connect(transport);
    const tokens = authProvider.tokens();
    expect(tokens?.access_token).toMatch(/^ey/);
    await expectBedReservedAs(client, database, `oauth:${key.id}`);
  });
});
