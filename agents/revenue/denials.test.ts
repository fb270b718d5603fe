import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { tempOutbox } from '../../test/outbox.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../tools/core/operation.ts';
import { getClaim, listClaims } from '../../tools/revenue/claims/read-operations.ts';
import { answerClaimReview } from '../../tools/revenue/claims/review-operations.ts';
import { getDenial } from '../../tools/revenue/remittance/denial-operations.ts';
import { answerDenialDraft } from '../../tools/revenue/remittance/draft-operations.ts';
import { postRemittance } from '../../tools/revenue/remittance/operations.ts';
import { file835 } from '../../tools/revenue/remittance/test-remittances.ts';
import {
  getRevenueTask,
  listRevenueTasks,
  type RevenueTaskView,
  startRevenueTask,
} from '../../tools/revenue/tasks.ts';
import { BO_ENCOUNTER, revenueWard, TODAY_AT } from '../../tools/revenue/test-fixtures.ts';
import { createCheckpointer } from '../runtime/checkpointer.ts';
import { runRevenueAgent } from './run.ts';
import type { ClaimSummary, DenialView } from './views.ts';

let database: Database;
const clock = new ManualClock(TODAY_AT);
let checkpointer: Awaited<ReturnType<typeof createCheckpointer>>;
const savers: { close(): Promise<void> }[] = [];
const outbox = tempOutbox();

afterAll(async () => {
  for (const s of savers) await s.close();
});

const call = <T>(op: AnyOperation, input: unknown) =>
  invokeOperation(op, input, { database, clock, actor: systemActor }) as Promise<T>;
const run = (taskId: string) =>
  runRevenueAgent({ database, clock, checkpointer: checkpointer.saver }, taskId);
const task = (taskId: string) => call<RevenueTaskView>(getRevenueTask, { taskId });

let knee: ClaimSummary;

beforeEach(async () => {
  clock.set(TODAY_AT);
  // Each test's database numbers its interchanges from 1: a fresh outbox for each.
  outbox.clear();
  database = await createTestDatabase(6);
  await miniHospital(database);
  await revenueWard(database);
  checkpointer = await createCheckpointer(database.url);
  savers.push(checkpointer);
  // Bo's knee arthroscopy, billed and submitted by the agent.
  const billing = await call<RevenueTaskView>(startRevenueTask, {
    kind: 'bill-encounter',
    subjectId: BO_ENCOUNTER,
  });
  expect(await run(billing.taskId)).toMatchObject({ status: 'done' });
  knee = (await call<{ claims: ClaimSummary[] }>(listClaims, { encounterId: BO_ENCOUNTER })).claims[0]!;
  expect(knee).toMatchObject({ status: 'submitted' });
  clock.set('2026-04-02T09:00:00Z');
});

/** Posts an 835 denying the knee claim with the given claim-level CAS; returns the agent's denial task. */
async function deny(cas: [string, string, number][]): Promise<{ taskId: string; workItemId: string }> {
  const posted = await call<{
    remittanceId: string;
    payments: { workItem: { workItemId: string } | null }[];
  }>(postRemittance, {
    text: file835({
      claims: [{ id: knee.id, status: '4', charge: 6800, paid: 0, payerNumber: 'ACME-77', cas }],
    }),
  });
  const { tasks } = await call<{ tasks: RevenueTaskView[] }>(listRevenueTasks, { kind: 'work-remittance' });
  expect(tasks.map((t) => t.subjectId)).toEqual([posted.remittanceId]);
  return { taskId: tasks[0]!.taskId, workItemId: posted.payments[0]!.workItem!.workItemId };
}

describe('the revenue agent working denials', () => {
  it('drafts an appeal for an authorisation denial when the authorisation is on file; the coder approves it', async () => {
    const { taskId, workItemId } = await deny([['CO', '197', 6800]]);
    expect(await run(taskId)).toMatchObject({ status: 'waiting', waitingOn: workItemId });
    const drafted = await call<DenialView & { draft: { letter: string } }>(getDenial, { workItemId });
    expect(drafted).toMatchObject({
      category: 'authorization',
      suggestedAction: 'appeal',
      status: 'awaiting-approval',
    });
    expect(drafted.draft.letter).toContain('AUTH-2201');
    // Unanswered: the agent keeps waiting.
    expect(await run(taskId)).toMatchObject({ waitingOn: workItemId, advanced: false });

    await call(answerDenialDraft, { workItemId, coderStaffId: 'stf-coder', decision: 'approve' });
    expect(await run(taskId)).toMatchObject({ status: 'done', waitingOn: null });
    expect(await call(getDenial, { workItemId })).toMatchObject({
      status: 'resolved',
      resolution: 'appealed',
    });
    expect((await task(taskId)).outcome).toBe(
      `Remittance ${(await task(taskId)).subjectId}: 1 of 1 work item(s) resolved`,
    );
  });

  it('a declined appeal is left for the billing office, not drafted again', async () => {
    const { taskId, workItemId } = await deny([['CO', '197', 6800]]);
    await run(taskId);
    await call(answerDenialDraft, {
      workItemId,
      coderStaffId: 'stf-coder',
      decision: 'decline',
      reason: 'call the payer first',
    });
    expect(await run(taskId)).toMatchObject({ status: 'done' });
    const t = await task(taskId);
    expect(t.notes.at(-1)).toBe(
      `Left ${workItemId} (authorization, ${knee.id}) for the billing office: a coder declined the appeal draft: call the payer first`,
    );
    expect(t.outcome).toMatch(/0 of 1 work item\(s\) resolved; left for the billing office/);
  });

  it('corrects a coding denial through a replacement claim: coder corrects, coder approves, agent submits', async () => {
    const { taskId, workItemId } = await deny([['CO', '4', 6800]]);
    // The record offers no correction for a modifier denial: the replacement goes to a coder.
    const first = await run(taskId);
    const { claims } = await call<{ claims: ClaimSummary[] }>(listClaims, { encounterId: BO_ENCOUNTER });
    const replacement = claims.find((c) => c.replacesClaimId === knee.id)!;
    expect(replacement).toMatchObject({ frequency: '7', status: 'needs-review' });
    expect(first).toMatchObject({ status: 'waiting', waitingOn: replacement.id });

    await call(answerClaimReview, {
      claimId: replacement.id,
      coderStaffId: 'stf-coder',
      decision: 'correct',
      corrections: [{ kind: 'modifiers', line: 1, modifiers: ['RT', '59'] }],
    });
    expect(await run(taskId)).toMatchObject({ status: 'waiting', waitingOn: workItemId });
    expect(await call(getDenial, { workItemId })).toMatchObject({
      status: 'awaiting-approval',
      draft: { kind: 'corrected-claim', claimId: replacement.id },
    });

    await call(answerDenialDraft, { workItemId, coderStaffId: 'stf-coder', decision: 'approve' });
    expect(await run(taskId)).toMatchObject({ status: 'done' });
    expect(await call(getClaim, { claimId: replacement.id })).toMatchObject({ status: 'submitted' });
    expect(await call(getClaim, { claimId: knee.id })).toMatchObject({ status: 'replaced' });
    expect(await call(getDenial, { workItemId })).toMatchObject({
      status: 'resolved',
      resolution: 'resubmitted',
    });
  });
});
