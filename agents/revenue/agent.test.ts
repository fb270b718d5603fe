import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { encounterServices } from '../../db/schema/index.ts';
import { createTestDatabase, dropTestDatabase } from '../../test/db.ts';
import { tempOutbox } from '../../test/outbox.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../tools/core/operation.ts';
import { answerClaimReview } from '../../tools/revenue/claims/review-operations.ts';
import { listClaims } from '../../tools/revenue/claims/read-operations.ts';
import { type RevenueTaskView, getRevenueTask, startRevenueTask } from '../../tools/revenue/tasks.ts';
import {
  ADA_ENCOUNTER,
  BO_ENCOUNTER,
  boClinicVisit,
  revenueWard,
  TODAY_AT,
} from '../../tools/revenue/test-fixtures.ts';
import { parseX12 } from '../../tools/revenue/x12/parse.ts';
import { createCheckpointer } from '../runtime/checkpointer.ts';
import { runRevenueAgent } from './run.ts';
import type { ClaimSummary } from './views.ts';

let database: Database;
const clock = new ManualClock(TODAY_AT);
let checkpointer: Awaited<ReturnType<typeof createCheckpointer>>;
const savers: { close(): Promise<void> }[] = [];
const outbox = tempOutbox();

afterEach(async () => {
  for (const s of savers.splice(0)) await s.close();
  await dropTestDatabase(database);
});

beforeEach(async () => {
  database = await createTestDatabase(6);
  await miniHospital(database);
  await revenueWard(database);
  checkpointer = await createCheckpointer(database.url);
  savers.push(checkpointer);
  outbox.clear();
});

const call = <T>(op: AnyOperation, input: unknown) =>
  invokeOperation(op, input, { database, clock, actor: systemActor }) as Promise<T>;
const start = async (encounterId: string) =>
  (await call<RevenueTaskView>(startRevenueTask, { kind: 'bill-encounter', subjectId: encounterId })).taskId;
const run = (taskId: string) =>
  runRevenueAgent({ database, clock, checkpointer: checkpointer.saver }, taskId);
const task = (taskId: string) => call<RevenueTaskView>(getRevenueTask, { taskId });
const claimsOf = async (encounterId: string) =>
  (await call<{ claims: ClaimSummary[] }>(listClaims, { encounterId })).claims;

describe('the revenue agent billing an encounter', () => {
  it('captures, builds, scrubs and submits Ada’s stay: a facility 837I and a professional 837P in one file', async () => {
    const id = await start(ADA_ENCOUNTER);
    expect(await run(id)).toMatchObject({ status: 'done', waitingOn: null, advanced: true });
    const claims = await claimsOf(ADA_ENCOUNTER);
    expect(claims.map((c) => [c.type, c.status]).sort()).toEqual([
      ['837I', 'submitted'],
      ['837P', 'submitted'],
    ]);
    const files = outbox.files();
    expect(files).toHaveLength(1);
    const parsed = parseX12(readFileSync(join(outbox.dir(), files[0]!), 'utf8'));
    const ids = parsed.interchanges
      .flatMap((i) => i.groups.flatMap((g) => g.transactions))
      .flatMap((t) => (t.type === '835' ? [] : t.billingProviders.flatMap((b) => b.subscribers)))
      .flatMap((s) => s.claims.map((c) => c.id));
    expect(ids.sort()).toEqual(claims.map((c) => c.id).sort());
    const t = await task(id);
    expect(t.notes[0]).toBe(`Captured 10 charge(s) for ${ADA_ENCOUNTER} (0 already captured)`);
    expect(t.notes.at(-1)).toMatch(/^Submitted CLM\w+, CLM\w+ \(/);
    expect(t.outcome).toMatch(/submitted, .* submitted$/);
    // Poked again with nothing new: nothing happens.
    expect(await run(id)).toMatchObject({ status: 'done', advanced: false });
    expect(outbox.files()).toHaveLength(1);
  });

  it('adds the prior authorisation on file to Bo’s knee claim and shows what it changed', async () => {
    const id = await start(BO_ENCOUNTER);
    expect(await run(id)).toMatchObject({ status: 'done' });
    const [claim] = await claimsOf(BO_ENCOUNTER);
    expect(claim).toMatchObject({ type: '837P', status: 'submitted' });
    const notes = (await task(id)).notes;
    expect(notes.some((n) => n.includes('PRIOR_AUTH_MISSING'))).toBe(true);
    expect(notes.some((n) => n.startsWith(`Fixed ${claim!.id}`) && n.includes('AUTH-2201'))).toBe(true);
  });

  it('asks a coder about a code the record cannot fix, waits across a restart, and submits the corrected claim', async () => {
    await boClinicVisit(database);
    const id = await start('enc-bo-clinic');
    const first = await run(id);
    const [claim] = await claimsOf('enc-bo-clinic');
    expect(claim).toMatchObject({ status: 'needs-review' });
    expect(first).toMatchObject({ status: 'waiting', waitingOn: claim!.id });
    expect(
      (await task(id)).notes.some((n) =>
        n.startsWith(`Asked a coder to review ${claim!.id}: DX_NOT_BILLABLE`),
      ),
    ).toBe(true);
    // Unanswered: still waiting.
    expect(await run(id)).toMatchObject({ waitingOn: claim!.id, advanced: false });

    savers.splice(savers.indexOf(checkpointer), 1);
    await checkpointer.close();
    checkpointer = await createCheckpointer(database.url);
    savers.push(checkpointer);

    await call(answerClaimReview, {
      claimId: claim!.id,
      coderStaffId: 'stf-coder',
      decision: 'correct',
      corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.221' }],
    });
    expect(await run(id)).toMatchObject({ status: 'done', waitingOn: null });
    expect((await claimsOf('enc-bo-clinic'))[0]).toMatchObject({ status: 'submitted' });
    // What it did before the question is recorded once, though the thread went through an interrupt.
    const notes = (await task(id)).notes;
    expect(notes.filter((n) => n.startsWith('Captured '))).toHaveLength(1);
    expect(new Set(notes).size).toBe(notes.length);
  });

  it('fails the task, naming the fact, when a service has no price in the chargemaster', async () => {
    await database.db.insert(encounterServices).values({
      id: 'svc-ada-xray',
      encounterId: ADA_ENCOUNTER,
      kind: 'procedure',
      code: '71046',
      quantity: 1,
      servicedOn: '2026-03-03',
      recordedBy: 'test',
      recordedAt: new Date('2026-03-05T12:00:00Z'),
    });
    const id = await start(ADA_ENCOUNTER);
    expect(await run(id)).toMatchObject({ status: 'failed' });
    expect((await task(id)).outcome).toMatch(/^Cannot bill enc-ada-icu: .*71046/);
    expect(await claimsOf(ADA_ENCOUNTER)).toEqual([]);
  });
});
