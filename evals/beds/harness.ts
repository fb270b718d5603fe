import type { BatchPlanCache } from '../../agents/beds/graph.ts';
import { runBedAgent } from '../../agents/beds/run.ts';
import type { ModelSettings } from '../../agents/runtime/model.ts';
import { createApp } from '../../api/app.ts';
import type { ScratchServer } from '../../db/scratch.ts';
import { createApiKey, KeyResolver } from '../../tools/auth/keys.ts';
import { BEDS_QUEUE } from '../../tools/beds/negotiation.ts';
import { escalateOverdueApprovals } from '../../tools/beds/negotiation-operations.ts';
import { expireBedHolds } from '../../tools/beds/operations.ts';
import type { ApprovalView, BedRequestView } from '../../tools/beds/schema.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { EVAL_START, gradedTrial, drainThreadQueue } from '../harness.ts';
import type { TrialResult } from '../types.ts';
import { gradeBeds } from './grade.ts';
import { bedHospital, chargeNurseOf } from './hospital.ts';
import type { BedRequestInput, BedScenario, BedStep } from './types.ts';

/** One HTTP call a step made: its status, and the problem detail (or the body) to check. */
export interface BedCall {
  tag: string | undefined;
  status: number;
  detail: string;
}

/** More jobs than any scenario needs: a bed agent that keeps waking itself is a failure, not a hang. */
const _MAX_JOBS_PER_DRAIN = 500;

/**
 * One trial of one bed scenario: a fresh database with the bed hospital, the real API called in-process
 * with a staff key, the real bed agent run for each queued `beds` job until the queue is empty, and the
 * scheduler's sweeps (lapsed holds, unanswered questions) each minute the clock moves. Every step starts
 * a second after the previous one, as people take time to click: holds and questions then keep the order
 * they were made in. The bed agent has no model; the suite runs the same with or without one.
 */
export async function runBedTrial(
  scratch: ScratchServer,
  scenario: BedScenario,
  _model: ModelSettings | null,
): Promise<TrialResult> {
  return gradedTrial(scratch, async (database, checkpointer) => {
    const clock = new ManualClock(EVAL_START);
    await bedHospital(database);
    await scenario.setup?.(database, clock);
    const { key } = await createApiKey(database.db, {
      role: 'staff',
      label: 'eval bed desk',
      now: clock.now(),
    });
    const app = createApp({ database, clock, keys: new KeyResolver(database.db, 0) });
    const plans: BatchPlanCache = { last: null };
    const system = { database, clock, actor: systemActor };
    const calls: BedCall[] = [];
    const requestIds: string[] = [];

    const send = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {}
      return { status: res.status, text, json };
    };
    /** A call the scenario makes: recorded for grading. */
    const call = async (path: string, body: unknown, tag?: string) => {
      const res = await send('POST', path, body);
      const detail =
        res.status >= 400 ? String((res.json as { detail?: unknown })?.detail ?? res.text) : res.text;
      calls.push({ tag, status: res.status, detail });
      return res;
    };
    /** A read to find what to act on: not graded, and it must work. */
    const read = async <T>(path: string): Promise<T> => {
      const res = await send('GET', path);
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
      return res.json as T;
    };
    const requestNumber = (n: number) => {
      const id = requestIds[n - 1];
      if (!id) throw new Error(`step refers to request ${n}; only ${requestIds.length} filed`);
      return id;
    };
    const fileRequest = async (input: BedRequestInput, tag?: string) => {
      const res = await call('/v1/bed-requests', { requester: 'ed', ...input }, tag);
      const id = (res.json as { requestId?: string } | null)?.requestId;
      if (res.status < 300 && id && !requestIds.includes(id)) requestIds.push(id);
    };
    const drain = () =>
      drainThreadQueue(database, clock, BEDS_QUEUE, 'requestId', (id) =>
        runBedAgent({ database, clock, checkpointer: checkpointer.saver, plans }, id),
      );

    const act = async (step: BedStep) => {
      if ('request' in step) return fileRequest(step.request, step.tag);
      if ('requests' in step) {
        for (const input of step.requests) await fileRequest(input);
        return;
      }
      if ('answer' in step) {
        const requestId = requestNumber(step.answer);
        const view = await read<BedRequestView>(`/v1/bed-requests/${requestId}`);
        const approval = step.approval
          ? view.approvals[step.approval - 1]
          : view.approvals.find((a) => a.status === 'pending');
        if (!approval)
          throw new Error(
            `request ${step.answer} (${view.status}) has no ${step.approval ? `question ${step.approval}` : 'pending question'} to answer`,
          );
        const { answer: _n, approval: _a, as, tag, ...rest } = step;
        await call(`/v1/approvals/${approval.approvalId}`, { staffId: as, ...rest }, tag);
        return;
      }
      if ('acceptAllPending' in step) {
        const { approvals } = await read<{ approvals: ApprovalView[] }>(
          '/v1/approvals?status=pending&limit=500',
        );
        for (const a of approvals) {
          const staffId =
            a.assigneeRole === 'bed-manager' ? 'stf-bed-manager' : chargeNurseOf[a.unitId ?? ''];
          await call(`/v1/approvals/${a.approvalId}`, { staffId, decision: 'accept' });
        }
        return;
      }
      if ('cancel' in step) {
        const body = { reason: step.reason ?? 'patient no longer needs the bed' };
        await call(`/v1/bed-requests/${requestNumber(step.cancel)}/cancel`, body, step.tag);
        return;
      }
      if ('op' in step) {
        await call(`/v1/ops/${step.op}`, step.body, step.tag);
        return;
      }
      for (let minute = 0; minute < step.advanceMinutes; minute++) {
        clock.advance(60_000);
        await invokeOperation(expireBedHolds, {}, system);
        await invokeOperation(escalateOverdueApprovals, {}, system);
        await drain();
      }
    };

    for (const step of scenario.steps) {
      clock.advance(1_000);
      await act(step);
      await drain();
    }
    return gradeBeds(database, scenario.expect, { calls, requestIds });
  });
}
