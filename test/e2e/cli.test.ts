import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { scoreNews2 } from '../../tools/health-data/news2.ts';
import { createTestDatabase } from '../db.ts';
import { deterioratingVitals } from '../fixtures.ts';

// The real CLI as a user runs it: `node cli/main.ts …` on the project's Node 24.
const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'carebridge-cli-'));
let database: Database;

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['cli/main.ts', ...args],
      {
        cwd: root,
        timeout: 60_000,
        env: { ...process.env, CAREBRIDGE_DATA_DIR: dataDir, DATABASE_URL: database.url, ...env },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  database = await createTestDatabase(2);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const vitals = deterioratingVitals;

describe('carebridge news2', () => {
  it('prints the same structured output as the score_news2 tool', async () => {
    const { code, stdout } = await cli(['news2', JSON.stringify(vitals)]);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed).toEqual(scoreNews2(vitals));
    expect(printed).toMatchObject({ total: 10, risk: 'high', anyParameterScore3: true });
  });

  it('names the bad field and exits 2', async () => {
    const { code, stderr, stdout } = await cli(['news2', JSON.stringify({ ...vitals, consciousness: 'X' })]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/consciousness/);
  });
});

describe('carebridge --help', () => {
  it.each([['start'], ['worker'], ['mcp'], ['seed'], ['eval'], ['bench'], ['audit', 'verify'], ['news2']])(
    '%s --help prints its usage',
    async (...command) => {
      const { code, stdout } = await cli([...command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`carebridge ${command.join(' ')}`);
    },
  );

  it('refuses an unknown command with the list of commands', async () => {
    const { code, stderr } = await cli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown command 'frobnicate'/);
    expect(stderr).toContain('audit verify');
  });
});

describe('carebridge seed and audit verify', () => {
  it('seeds, refuses to seed twice without --replace, and records the seed in the audit chain', async () => {
    const first = await cli(['seed', '--seed', '5', '--size', 'small']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ units: 5, beds: 60, patients: 150 });
    expect(first.stderr).toMatch(/beds\s+60\/60/);

    const again = await cli(['seed', '--seed', '5', '--size', 'small']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds a hospital; pass --replace/);

    const replaced = await cli(['seed', '--seed', '6', '--size', 'small', '--replace']);
    expect(replaced.code).toBe(0);
    const audit = await database.sql`select tool, input from audit_log order by seq`;
    expect(audit.map((r) => r.input)).toEqual([
      { seed: 5, size: 'small', replace: false },
      { seed: 6, size: 'small', replace: true },
    ]);
  });

  it('reports the chain intact, then names the first bad entry after an edit (exit 1)', async () => {
    const intact = await cli(['audit', 'verify']);
    expect(intact.code).toBe(0);
    expect(intact.stderr).toMatch(/Audit chain intact: 2 entries/);

    const tamper = async (statement: string) => {
      await database.sql.begin(async (tx) => {
        await tx.unsafe('alter table audit_log disable trigger audit_log_append_only');
        await tx.unsafe(statement);
        await tx.unsafe('alter table audit_log enable trigger audit_log_append_only');
      });
    };
    await tamper(`update audit_log set outcome = outcome || '{"beds": 61}' where seq = 2`);
    const edited = await cli(['audit', 'verify']);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/BROKEN at entry 2/);
    expect(JSON.parse(edited.stdout)).toMatchObject({ intact: false, firstBad: { seq: 2 } });
  });
});
