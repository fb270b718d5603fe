import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { miniHospital } from '../../../evals/hospital.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { rowCount } from '../../../test/mcp.ts';
import { systemActor } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { file835, paidInFull, submittedClaim } from '../remittance/test-remittances.ts';
import { revenueWard, TODAY_AT } from '../test-fixtures.ts';
import { postInbox } from './inbox.ts';

let database: Database;
const clock = new ManualClock(TODAY_AT);

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  await submittedClaim(database, 'CLM-INBOX', 'bo', [
    { code: '29881', chargeCents: 680_000, serviceDate: '2026-03-10' },
  ]);
});

describe('the remittance inbox', () => {
  it('posts each 835 waiting, files it under posted/ or rejected/ (saying why), and posts nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-'));
    const era = file835({ claims: [paidInFull('CLM-INBOX')] });
    writeFileSync(join(dir, 'a-era.835'), era);
    writeFileSync(join(dir, 'b-again.835'), era);
    writeFileSync(join(dir, 'c-broken.835'), era.replace('SE*', 'SE*9'));
    writeFileSync(join(dir, '.d-uploading.835'), era);
    const ctx = { database, clock, actor: systemActor };

    const done = await postInbox(ctx, dir);
    expect(done.map((d) => [d.file, d.outcome, d.claims])).toEqual([
      ['a-era.835', 'posted', 1],
      ['b-again.835', 'already-posted', 1],
      ['c-broken.835', 'rejected', undefined],
    ]);
    expect(done[2]!.error).toMatch(/^The 835 is malformed: segment \d+ \(SE\)/);
    expect(readdirSync(dir).sort()).toEqual(['.d-uploading.835', 'posted', 'rejected']);
    expect(readdirSync(join(dir, 'posted')).sort()).toEqual(['a-era.835', 'b-again.835']);
    expect(readFileSync(join(dir, 'rejected', 'c-broken.835.error.txt'), 'utf8')).toBe(`${done[2]!.error}\n`);
    expect(await rowCount(database, 'remittances')).toBe(1);
    // Nothing left: a second sweep does nothing.
    expect(await postInbox(ctx, dir)).toEqual([]);
    expect(await postInbox(ctx, join(dir, 'missing'))).toEqual([]);
  });
});
