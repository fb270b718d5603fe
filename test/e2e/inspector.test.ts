import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { createTestDatabase } from '../db.ts';
import { miniHospital } from '../fixtures.ts';
import { listen } from '../http.ts';
import { startTestService } from '../service.ts';

// The MCP Inspector's CLI (a dev dependency), non-interactive, exactly as the README shows it.
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'node_modules', '.bin');
const home = mkdtempSync(join(tmpdir(), 'carebridge-inspector-'));
let database: Database;
let keys: Awaited<ReturnType<typeof startTestService>>['keys'];
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  const svc = await startTestService(database, systemClock, { worker: false });
  keys = svc.keys;
  server = await listen(svc.app.fetch);
});
afterAll(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  result: { tools?: { name: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };
}

/** Runs `mcp-inspector --cli <target…> <args…> --format json`; the project's Node 24 comes first on PATH. */
async function inspector(target: string[], ...args: string[]): Promise<Outcome> {
  const run = promisify(execFile)(
    process.execPath,
    // A slow machine can take more than the Inspector's default 15 s to start a stdio server.
    [
      join(bin, 'mcp-inspector'),
      '--cli',
      ...target,
      ...args,
      '--connect-timeout',
      '50000',
      '--format',
      'json',
      '--quiet',
    ],
    {
      cwd: root,
      timeout: 60_000,
      // A fresh HOME keeps the Inspector's catalog and secret store out of the real one.
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, HOME: home },
    },
  );
  const { stdout, stderr, code } = await run.then(
    (r) => ({ ...r, code: 0 }),
    (err: { stdout: string; stderr: string; code: number }) => err,
  );
  if (!stdout.trim()) throw new Error(`mcp-inspector printed nothing (exit ${code}): ${stderr}`);
  return { code, result: (JSON.parse(stdout) as { result: Outcome['result'] }).result };
}

// The Inspector hands a stdio server only a minimal environment (HOME, PATH, …), so the test
// database travels with -e; without it the server would open an embedded one in its data folder.
// The audit log is for admins only and the revenue cycle for the billing office; staff for the rest.
const keyFor = (module: string) =>
  module === 'audit' ? keys.admin : module === 'revenue' ? keys.billing : keys.staff;
const stdio = (module: string) => [
  'node',
  'cli/main.ts',
  'mcp',
  module,
  '-e',
  `DATABASE_URL=${database.url}`,
  '-e',
  `CAREBRIDGE_DATA_DIR=${join(home, 'data')}`,
  ...(module === 'audit' || module === 'revenue' ? ['-e', `CAREBRIDGE_API_KEY=${keyFor(module)}`] : []),
];
const http = (module: string) => [
  `${server.url}/mcp/${module}`,
  '--transport',
  'http',
  '--header',
  `Authorization: Bearer ${keyFor(module)}`,
];

const expectedTools = [
  ['health-data', ['score_news2', 'score_partial_news2', 'classify_glucose', 'record_observations']],
  ['beds', ['find_candidate_beds', 'reserve_bed', 'release_bed_reservation', 'expire_bed_holds']],
  ['staffing', ['on_call_now', 'page_staff', 'notify_staff']],
  ['revenue', ['list_payers', 'scrub_claim', 'submit_claims', 'post_remittance']],
  ['inventory', ['get_stock', 'receive_stock', 'dispense_to_patient', 'propose_reorders']],
  ['surgery', ['list_surgical_procedures', 'request_surgery', 'record_surgery_plan']],
  ['audit', ['list_audit_entries', 'get_audit_entry', 'verify_audit_chain']],
] as const;

// One read per module the previous tests do not already call, with what the mini hospital holds.
const oneReadPerModule = [
  [
    'beds',
    'get_bed_board',
    ['unit=unit-icu'],
    (r: Record<string, unknown>) =>
      expect((r.beds as { bedId: string }[]).map((b) => b.bedId)).toEqual(['bed-icu-1', 'bed-icu-2']),
  ],
  ['revenue', 'list_payers', [], (r: Record<string, unknown>) => expect(r.payers).toEqual(expect.any(Array))],
  [
    'inventory',
    'list_inventory_locations',
    [],
    (r: Record<string, unknown>) => expect(r.locations).toEqual(expect.any(Array)),
  ],
  [
    'surgery',
    'list_surgical_procedures',
    [],
    (r: Record<string, unknown>) => expect(r.procedures).toEqual(expect.any(Array)),
  ],
  [
    'audit',
    'verify_audit_chain',
    [],
    (r: Record<string, unknown>) => expect(r).toMatchObject({ intact: true, firstBad: null }),
  ],
] as const;

describe.each([
  ['stdio', stdio],
  ['http', http],
] as const)('mcp-inspector --cli over %s', { timeout: 90_000 }, (_transport, target) => {
  // Each run is its own Inspector (and, over stdio, its own server) process, so they run side by side.
  it.concurrent.each(expectedTools)('lists the %s tools', async (module, names) => {
    const { code, result } = await inspector(target(module), '--method', 'tools/list');
    expect(code).toBe(0);
    expect(result.tools!.map((t) => t.name)).toEqual(expect.arrayContaining([...names]));
  });

  it.concurrent.each(oneReadPerModule)('calls a %s tool: %s', async (module, tool, args, check) => {
    const toolArgs = args.length > 0 ? ['--tool-arg', ...args] : [];
    const { code, result } = await inspector(
      target(module),
      '--method',
      'tools/call',
      '--tool-name',
      tool,
      ...toolArgs,
    );
    expect(code).toBe(0);
    expect(result.isError).toBeFalsy();
    check(result.structuredContent!);
  });

  it('scores NEWS2 from --tool-arg pairs (health-data)', async () => {
    const vitals = {
      respirationRate: 22,
      spo2: 95,
      spo2Scale: 1,
      onOxygen: false,
      systolicBp: 105,
      pulse: 95,
      consciousness: 'A',
      temperature: 38.2,
    };
    const args = Object.entries(vitals).flatMap(([k, v]) => ['--tool-arg', `${k}=${v}`]);
    const { code, result } = await inspector(
      target('health-data'),
      '--method',
      'tools/call',
      '--tool-name',
      'score_news2',
      ...args,
    );
    expect(code).toBe(0);
    expect(result.structuredContent).toEqual({
      total: 6,
      risk: 'medium',
      anyParameterScore3: false,
      parameterScores: {
        respirationRate: 2,
        spo2: 1,
        airOrOxygen: 0,
        systolicBp: 1,
        pulse: 1,
        consciousness: 0,
        temperature: 1,
      },
    });
  });

  it('names the on-call endocrinologist (staffing)', async () => {
    const { result } = await inspector(
      target('staffing'),
      '--method',
      'tools/call',
      '--tool-name',
      'on_call_now',
      '--tool-arg',
      'specialty=endocrinology',
    );
    expect(result.structuredContent).toMatchObject({
      specialty: 'endocrinology',
      primary: { staffId: 'stf-endo', name: 'Dr Eve Endo', pager: 'PGR-0002' },
      backup: { staffId: 'stf-endo-2' },
    });
  });

  it('exits 5 with the tool error when the call fails (staffing)', async () => {
    const { code, result } = await inspector(
      target('staffing'),
      '--method',
      'tools/call',
      '--tool-name',
      'on_call_now',
      '--tool-arg',
      'specialty=podiatry',
    );
    expect(code).toBe(5);
    expect(result).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'not_found: No on-call rota for specialty podiatry' }],
    });
  });
});

describe('writes through the Inspector', { timeout: 90_000 }, () => {
  it('reserves a bed over stdio: the row and its audit entry carry the stdio identity (beds)', async () => {
    const { code, result } = await inspector(
      stdio('beds'),
      '--method',
      'tools/call',
      '--tool-name',
      'reserve_bed',
      '--tool-arg',
      'bedId=bed-ms-0',
      'patientId=pat-1',
      'reason=hypoglycaemia admission',
    );
    expect(code).toBe(0);
    const { reservationId } = result.structuredContent as { reservationId: string };
    const [row] = await database.sql`select bed_id, patient_id, status, created_by from bed_reservations
      where id = ${reservationId}`;
    expect(row).toEqual({
      bed_id: 'bed-ms-0',
      patient_id: 'pat-1',
      status: 'held',
      created_by: 'mcp-client:stdio',
    });
    const [audit] = await database.sql`select actor from audit_log where tool = 'reserve_bed'`;
    expect(audit!.actor).toBe('mcp-client:stdio');
  });

  it('finds a bed from a JSON argument and skips the held one over http (beds)', async () => {
    const { result } = await inspector(
      http('beds'),
      '--method',
      'tools/call',
      '--tool-name',
      'find_candidate_beds',
      '--tool-args-json',
      JSON.stringify({
        need: { unitTypes: ['med-surg'], isolation: 'none', telemetry: false, bariatric: false, sex: 'male' },
      }),
    );
    const { candidates } = result.structuredContent as { candidates: { bedId: string }[] };
    expect(candidates.map((c) => c.bedId).sort()).toEqual(['bed-ms-1', 'bed-ms-2', 'bed-ms-3']);
  });

  it("notifies the nurse over http, audited as the key's staff identity (staffing)", async () => {
    const { result } = await inspector(
      http('staffing'),
      '--method',
      'tools/call',
      '--tool-name',
      'notify_staff',
      '--tool-arg',
      'staffId=stf-nurse',
      'message=Please recheck glucose in 31A',
    );
    const { notificationId } = result.structuredContent as { notificationId: string };
    const [row] = await database.sql`select channel, recipient_id, message, created_by from notifications
      where id = ${notificationId}`;
    expect(row).toMatchObject({
      channel: 'notify',
      recipient_id: 'stf-nurse',
      message: 'Please recheck glucose in 31A',
      created_by: expect.stringMatching(/^staff:/),
    });
    const [audit] = await database.sql`select actor from audit_log where tool = 'notify_staff'`;
    expect(audit!.actor).toBe(row!.created_by);
  });
});
