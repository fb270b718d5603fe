import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSettings } from '../../agents/runtime/model.ts';
import { runRevenueAgent } from '../../agents/revenue/run.ts';
import { createApp } from '../../api/app.ts';
import type { Database } from '../../db/client.ts';
import type { ScratchServer } from '../../db/scratch.ts';
import { createApiKey, KeyResolver } from '../../tools/auth/keys.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { REVENUE_QUEUE } from '../../tools/revenue/tasks.ts';
import { revenueWard } from '../../tools/revenue/test-fixtures.ts';
import { answerDetail, drainThreadQueue, gradedTrial, postJson } from '../harness.ts';
import { miniHospital } from '../hospital.ts';
import type { TrialResult } from '../types.ts';
import { gradeRevenue } from './grade.ts';
import { claimsNow, type StoredClaim, resolveClaim } from './state.ts';
import type { KeyName, Lookup, RevenueScenario, RevenueStep } from './types.ts';

/** One HTTP call a step made: its status, and the problem detail (or the answer) to check. */
export interface RevenueCall {
  tag: string | undefined;
  status: number;
  detail: string;
}

/** The billing fixture's today (tools/revenue/test-fixtures.ts TODAY), at the start of the office day. */
export const REVENUE_EVAL_START = '2026-03-20T09:00:00Z';
const _MAX_JOBS_PER_DRAIN = 100;
const DAY_MS = 86_400_000;

/**
 * One trial of one revenue scenario: a fresh database with the mini hospital and the billing office
 * (tools/revenue/test-fixtures.ts), the real API called in-process (the billing office's key; an admin's
 * for discharges and theatre; a ward staff key for refusals), and the real revenue agent run for each
 * queued job. Claims go to the outbox adapter, in a folder of the trial's own: the runner runs trials
 * one at a time in one process, so the environment variable is the trial's while it runs, and is put
 * back afterwards. The agent decides without a model; the suite runs the same with or without one.
 */
export async function runRevenueTrial(
  scratch: ScratchServer,
  scenario: RevenueScenario,
  _model: ModelSettings | null,
): Promise<TrialResult> {
  const outbox = mkdtempSync(join(tmpdir(), 'carebridge-eval-outbox-'));
  const previous = process.env.CAREBRIDGE_OUTBOX_DIR;
  process.env.CAREBRIDGE_OUTBOX_DIR = outbox;
  try {
    return await gradedTrial(scratch, async (database, checkpointer) => {
      const clock = new ManualClock(REVENUE_EVAL_START);
      await miniHospital(database);
      await revenueWard(database);
      await scenario.setup?.(database, clock);
      const now = clock.now();
      const keys: Record<KeyName, string> = {
        billing: (await createApiKey(database.db, { role: 'billing', label: 'eval billing office', now }))
          .key,
        admin: (await createApiKey(database.db, { role: 'admin', label: 'eval admin', now })).key,
        staff: (await createApiKey(database.db, { role: 'staff', label: 'eval ward', now })).key,
      };
      const app = createApp({ database, clock, keys: new KeyResolver(database.db, 0) });
      const calls: RevenueCall[] = [];

      const call = async (path: string, body: unknown, tag: string | undefined, key: KeyName) => {
        const posted = await postJson(app, path, keys[key], body);
        calls.push({ tag, status: posted.status, detail: answerDetail(posted) });
        return posted.json;
      };
      const drain = () =>
        drainThreadQueue(database, clock, REVENUE_QUEUE, 'taskId', (id) =>
          runRevenueAgent({ database, clock, checkpointer: checkpointer.saver }, id),
        );

      for (const step of scenario.steps) {
        clock.advance(1_000);
        const stored = await claimsNow(database);
        await act(step, { database, stored, call, clock });
        if (!step.beforeAgent) await drain();
      }
      return gradeRevenue(database, scenario.expect, { calls, outbox });
    });
  } finally {
    if (previous === undefined) delete process.env.CAREBRIDGE_OUTBOX_DIR;
    else process.env.CAREBRIDGE_OUTBOX_DIR = previous;
    rmSync(outbox, { recursive: true, force: true });
  }
}

interface StepContext {
  database: Database;
  stored: StoredClaim[];
  clock: ManualClock;
  call: (path: string, body: unknown, tag: string | undefined, key: KeyName) => Promise<unknown>;
}

async function act(step: RevenueStep, s: StepContext): Promise<void> {
  const lookup: Lookup = (ref) => resolveClaim(s.stored, ref).now;
  const op = (name: string, body: unknown, key: KeyName = 'billing') =>
    s.call(`/v1/ops/${name}`, body, step.tag, key);
  const workItemOf = async (claimId: string, statuses: string[]) => {
    const rows = await s.database.sql<{ id: string }[]>`select id from denial_work_items
      where claim_id = ${claimId} and status in ${s.database.sql(statuses)} order by created_at desc, id limit 1`;
    if (!rows[0])
      throw new Error(`step refers to a work item on ${claimId} that is not ${statuses.join('/')}`);
    return rows[0].id;
  };

  if ('together' in step) {
    await Promise.all(step.together.map((t) => act(t, s)));
  } else if ('advanceDays' in step) {
    s.clock.advance(step.advanceDays * DAY_MS);
  } else if ('op' in step) {
    await op(step.op, typeof step.body === 'function' ? step.body(lookup) : step.body, step.as);
  } else if ('startBilling' in step) {
    await op('start_revenue_task', { kind: 'bill-encounter', subjectId: step.startBilling });
  } else if ('discharge' in step) {
    await op('discharge_patient', { patientId: step.discharge, reason: 'home' }, step.as ?? 'admin');
  } else if ('completeBooking' in step) {
    await op('complete_theatre_booking', { bookingId: step.completeBooking }, 'admin');
  } else if ('remit' in step) {
    await op('post_remittance', { text: step.remit(lookup), fileName: 'eval.835' }, step.as);
  } else if ('answerReview' in step) {
    const claim = lookup(step.answerReview);
    const corrections = typeof step.corrections === 'function' ? step.corrections(claim) : step.corrections;
    await op('answer_claim_review', {
      claimId: claim.id,
      coderStaffId: step.coder ?? 'stf-coder',
      decision: step.decision,
      ...(corrections ? { corrections } : {}),
      ...(step.reason ? { reason: step.reason } : {}),
    });
  } else if ('answerDraft' in step) {
    await op('answer_denial_draft', {
      workItemId: await workItemOf(lookup(step.answerDraft).id, ['awaiting-approval']),
      coderStaffId: step.coder ?? 'stf-coder',
      decision: step.decision,
      ...(step.reason || step.decision === 'decline' ? { reason: step.reason ?? 'not supported' } : {}),
    });
  } else if ('resolve' in step) {
    await op('resolve_denial', {
      workItemId: await workItemOf(lookup(step.resolve).id, ['open', 'awaiting-approval']),
      resolution: step.resolution,
      note: step.note,
    });
  } else if ('matchHeld' in step) {
    const [held] = await s.database.sql<{ id: string }[]>`select id from claim_payments
      where status = 'held' order by posted_at, id limit 1`;
    if (!held) throw new Error('step matches a held payment, but none is held');
    await op('match_held_payment', { claimPaymentId: held.id, claimId: lookup(step.matchHeld).id });
  } else {
    const question = step.claim ? step.ask.replace('{claim}', lookup(step.claim).id) : step.ask;
    await s.call('/v1/agents/revenue/ask', { question }, step.tag, step.as ?? 'billing');
  }
}
