import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { createTestDatabase } from '../test/db.ts';
import { deterioratingVitals, miniHospital } from '../test/fixtures.ts';
import { createApiKey } from '../tools/auth/keys.ts';
import { hasScope, roleScopes } from '../tools/core/actor.ts';
import { allOperations, operationsByModule, servedModules } from '../tools/registry.ts';
import { callTool, rowCount, toolText } from '../test/mcp.ts';
import { selectModules } from './stdio.ts';

// The real CLI in a child process, as Claude Desktop or VS Code would start it.
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = ['cli/main.ts', 'mcp'];
let database: Database;
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

function env(): Record<string, string> {
  return { ...process.env, DATABASE_URL: database.url } as Record<string, string>;
}

/** `module` is what follows `mcp`: a module, `all`, or nothing when --modules is among the args. */
async function connect(module: string, ...args: string[]): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...cli, ...(module ? [module] : []), ...args],
    cwd: root,
    env: env(),
    stderr: 'pipe',
  });
  const client = new Client({ name: 'carebridge-stdio-test', version: '0.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** The default stdio identity is a staff user: it is offered only the tools a staff user may call. */
const staffMay = (op: { scope: string }) =>
  hasScope({ id: 'x', kind: 'mcp-client', scopes: roleScopes.staff }, op.scope);
const call = callTool;
const text = toolText;
const count = (table: string) => rowCount(database, table);

describe('carebridge mcp <module> over stdio', { timeout: 60_000 }, () => {
  it.each([
    ['health-data', ['score_news2', 'score_partial_news2', 'classify_glucose', 'record_observations']],
    ['beds', ['find_candidate_beds', 'reserve_bed', 'release_bed_reservation', 'expire_bed_holds']],
    ['staffing', ['on_call_now', 'page_staff', 'notify_staff']],
  ] as const)('serves the %s tools', async (module, expected) => {
    const client = await connect(module);
    expect(client.getServerVersion()?.name).toBe(`carebridge-${module}`);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining([...expected]));
    expect(names.sort()).toEqual(
      operationsByModule[module]
        .filter(staffMay)
        .map((op) => op.name)
        .sort(),
    );
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
  });

  it('marks reads as read-only and bed holds as destructive', async () => {
    const { tools } = await (await connect('beds')).listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('find_candidate_beds')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.get('reserve_bed')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
    expect(byName.get('reserve_bed')?.inputSchema.required).toEqual(
      expect.arrayContaining(['bedId', 'patientId', 'reason']),
    );
  });

  it('scores NEWS2 and returns the result as structured content', async () => {
    const result = await call(await connect('health-data'), 'score_news2', { ...deterioratingVitals });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      total: 10,
      risk: 'high',
      anyParameterScore3: true,
      parameterScores: {
        respirationRate: 2,
        spo2: 3,
        airOrOxygen: 0,
        systolicBp: 2,
        pulse: 2,
        consciousness: 0,
        temperature: 1,
      },
    });
    expect(JSON.parse(text(result))).toEqual(result.structuredContent);
    const [read] = await database.sql`
      select actor, outcome from audit_log where tool = 'score_news2' order by seq desc limit 1`;
    expect(read).toMatchObject({ actor: 'mcp-client:stdio', outcome: { read: true } });
  });

  it('reserves a bed: the row and its audit entry are written under the stdio identity', async () => {
    const result = await call(await connect('beds'), 'reserve_bed', {
      bedId: 'bed-ms-1',
      patientId: 'pat-2',
      reason: 'admission from clinic',
    });
    expect(result.isError).toBeFalsy();
    const reservation = result.structuredContent as { reservationId: string; bedId: string; status: string };
    expect(reservation).toMatchObject({ bedId: 'bed-ms-1', status: 'held' });
    const [row] = await database.sql`select * from bed_reservations where id = ${reservation.reservationId}`;
    expect(row).toMatchObject({
      bed_id: 'bed-ms-1',
      patient_id: 'pat-2',
      status: 'held',
      reason: 'admission from clinic',
      created_by: 'mcp-client:stdio',
    });
    const audit =
      await database.sql`select actor, input, outcome, status from audit_log where tool = 'reserve_bed'`;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'mcp-client:stdio',
      status: 'ok',
      input: { bedId: 'bed-ms-1', patientId: 'pat-2' },
      outcome: { reservationId: reservation.reservationId },
    });
  });

  it('answers bad arguments with a tool error naming the field, and writes nothing', async () => {
    const client = await connect('beds');
    const before = await Promise.all(['bed_reservations', 'audit_log'].map(count));
    const result = await call(client, 'reserve_bed', {
      bedId: 'bed-ms-2',
      patientId: 'pat-1',
      holdMinutes: 1,
      reason: 'too short a hold',
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/holdMinutes/);
    const missing = await call(client, 'reserve_bed', { bedId: 'bed-ms-2', reason: 'no patient named' });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/patientId/);
    const unknown = await call(client, 'reserve_bed', {
      bedId: 'bed-ms-2',
      patientId: 'pat-9',
      reason: 'xyz',
    });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toBe('not_found: No patient pat-9');
    expect(await Promise.all(['bed_reservations', 'audit_log'].map(count))).toEqual(before);
  });

  it('acts as the identity of --key: a page is sent and audited as that staff key', async () => {
    const { id, key } = await createApiKey(database.db, { role: 'staff', label: 'ide', now: new Date() });
    const client = await connect('staffing', '--key', key);
    const onCall = await call(client, 'on_call_now', { specialty: 'endocrinology' });
    expect(onCall.structuredContent).toMatchObject({
      primary: { staffId: 'stf-endo', pager: 'PGR-0002' },
      backup: { staffId: 'stf-endo-2' },
    });
    const page = await call(client, 'page_staff', { staffId: 'stf-endo', message: 'Please review bed 31A' });
    expect(page.isError).toBeFalsy();
    const { notificationId } = page.structuredContent as { notificationId: string };
    const [row] = await database.sql`select * from notifications where id = ${notificationId}`;
    expect(row).toMatchObject({
      channel: 'page',
      recipient_kind: 'staff',
      recipient_id: 'stf-endo',
      message: 'Please review bed 31A',
      created_by: `staff:${id}`,
    });
    const [audit] = await database.sql`select actor, outcome from audit_log where tool = 'page_staff'`;
    expect(audit).toMatchObject({ actor: `staff:${id}`, outcome: { notificationId } });
  });

  it('exits non-zero for an unknown --key or module, without serving', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [...cli, ...args], {
        cwd: root,
        env: env(),
        timeout: 20_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
    // Three processes at once: each pays Node's start-up and a database connection.
    const [badKey, badModule, badFilter, notPermitted] = await Promise.all([
      run(['beds', '--key', 'cbk_staff_not-a-real-key']),
      run(['pharmacy']),
      run(['--modules', 'beds,pharmacy']),
      run(['--modules', 'beds,audit']),
    ]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/unknown or revoked/);
    expect(badModule.code).toBe(2);
    expect(badModule.stderr).toMatch(/health-data, beds, staffing/);
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toMatch(/Unknown module pharmacy/);
    // The default staff identity may not read the audit log: named explicitly, the module is refused.
    expect(notPermitted.code).toBe(2);
    expect(notPermitted.stderr).toMatch(/mcp-client:stdio holds none of the scopes of audit \(audit:read\)/);
  });

  it('serves every module on one combined server with `mcp all`, offering only what the identity may call', async () => {
    const staff = await connect('all');
    expect(staff.getServerVersion()?.name).toBe('carebridge');
    const offered = (await staff.listTools()).tools.map((t) => t.name).sort();
    expect(offered).toEqual(
      allOperations
        .filter(staffMay)
        .map((op) => op.name)
        .sort(),
    );
    expect(offered).not.toContain('list_audit_entries');
    expect(offered).not.toContain('submit_claims');
    const { key } = await createApiKey(database.db, { role: 'admin', label: 'ide all', now: new Date() });
    const admin = await connect('all', '--key', key);
    const { tools } = await admin.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(allOperations.map((op) => op.name).sort());
  });

  it('serves only the modules --modules names, on one server', async () => {
    const { tools } = await (await connect('', '--modules', 'beds,staffing')).listTools();
    const expected = [...operationsByModule.beds, ...operationsByModule.staffing]
      .filter(staffMay)
      .map((op) => op.name);
    expect(tools.map((t) => t.name).sort()).toEqual(expected.sort());
  });

  it('reads the audit log with an admin key', async () => {
    const { key } = await createApiKey(database.db, { role: 'admin', label: 'ide admin', now: new Date() });
    const admin = await connect('', '--modules', 'beds,audit', '--key', key);
    const held = await call(admin, 'reserve_bed', {
      bedId: 'bed-ms-3',
      patientId: 'pat-1',
      reason: 'audit me',
    });
    expect(held.isError).toBeFalsy();
    const listed = await call(admin, 'list_audit_entries', { tool: 'reserve_bed', limit: 1 });
    const [newest] = (listed.structuredContent as { entries: { seq: number; input: unknown }[] }).entries;
    expect(newest?.input).toMatchObject({ bedId: 'bed-ms-3', reason: 'audit me' });
    const one = await call(admin, 'get_audit_entry', { seq: newest!.seq });
    expect(one.structuredContent).toMatchObject({ seq: newest!.seq, tool: 'reserve_bed' });
    const verified = await call(admin, 'verify_audit_chain', {});
    expect(verified.structuredContent).toMatchObject({ intact: true, firstBad: null });
  });
});

describe('choosing the modules of `carebridge mcp`', () => {
  it.each([
    ['beds', undefined, ['beds']],
    ['all', undefined, servedModules, true],
    [undefined, 'beds,staffing', ['beds', 'staffing']],
    [undefined, ' audit , beds,audit', ['audit', 'beds']],
  ] as const)('mcp %s --modules %s serves %o', (positional, flag, expected, all?: boolean) => {
    expect(selectModules(positional, flag)).toEqual({ modules: expected, ...(all ? { all } : {}) });
  });

  it.each([
    ['pharmacy', undefined, /Unknown module pharmacy/],
    [undefined, 'beds,pharmacy,labs', /Unknown module pharmacy, labs/],
    ['beds', 'staffing', /not both/],
    [undefined, undefined, /Name a module/],
    [undefined, ',', /Name a module/],
  ] as const)('refuses mcp %s --modules %s, saying why', (positional, flag, message) => {
    const selection = selectModules(positional, flag);
    expect('error' in selection && selection.error).toMatch(message);
  });
});
