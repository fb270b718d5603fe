import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createApiKey } from '../../tools/auth/keys.ts';
import { rosterHospital } from '../../tools/staffing/rostering/rostering.fixture.ts';
import { createTestDatabase } from '../db.ts';
import { expectRosterProgressAndCancel } from '../mcp-expect.ts';

// Resources, prompts, progress and cancellation through the real CLI over stdio, as an IDE starts it.
const root = fileURLToPath(new URL('../..', import.meta.url));
let database: Database;
let client: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  await rosterHospital(database);
  const { key } = await createApiKey(database.db, { role: 'admin', label: 'stdio ide', now: new Date() });
  client = new Client({ name: 'stdio-features-test', version: '0.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['cli/main.ts', 'mcp', '--modules', 'beds,staffing,revenue', '--key', key],
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url } as Record<string, string>,
      stderr: 'pipe',
    }),
  );
}, 60_000);
afterAll(async () => {
  await client?.close();
});

describe('the combined server over stdio', { timeout: 60_000 }, () => {
  it('lists resource templates and reads a unit’s bed board', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining([
        'carebridge://beds/units/{unitId}/board',
        'carebridge://beds/units/{unitId}/census',
        'carebridge://staffing/units/{unitId}/roster/today',
        'carebridge://revenue/claims/{claimId}',
      ]),
    );
    const { resources } = await client.listResources();
    const board = resources.find((r) => r.uri.endsWith('/board'));
    expect(board).toBeDefined();
    const read = await client.readResource({ uri: board!.uri });
    const content = read.contents[0]!;
    expect(content.mimeType).toBe('application/json');
    expect(JSON.parse(String('text' in content ? content.text : '{}'))).toBeTypeOf('object');
  });

  it('gets a prompt filled with its arguments', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['cover-a-shift', 'find-a-bed', 'work-a-denial']);
    const p = await client.getPrompt({ name: 'cover-a-shift', arguments: { shiftId: 'shf-77' } });
    const text = p.messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');
    expect(text).toContain('shf-77');
  });

  it('reports progress while it rosters, and stops with nothing stored when cancelled', async () => {
    await expectRosterProgressAndCancel(client, database);
  });
});
