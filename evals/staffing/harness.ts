import type { ModelSettings } from '../../agents/runtime/model.ts';
import { runCoverAgent } from '../../agents/staffing/run.ts';
import { createApp } from '../../api/app.ts';
import type { ScratchServer } from '../../db/scratch.ts';
import { createApiKey, KeyResolver } from '../../tools/auth/keys.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { STAFFING_QUEUE } from '../../tools/staffing/cover/requests.ts';
import { coverWard } from '../../tools/staffing/cover/test-fixtures.ts';
import { answerDetail, drainThreadQueue, gradedTrial, postJson } from '../harness.ts';
import { miniHospital } from '../hospital.ts';
import type { TrialResult } from '../types.ts';
import { gradeStaffing } from './grade.ts';
import type { StaffingScenario, StaffingStep } from './types.ts';

/** One HTTP call a step made: its status, and the problem detail (or the answer) to check. */
export interface StaffingCall {
  tag: string | undefined;
  status: number;
  detail: string;
}

export const STAFFING_EVAL_START = '2026-03-09T12:00:00Z';
const _MAX_JOBS_PER_DRAIN = 200;

/**
 * One trial of one staffing scenario: a fresh database with the mini hospital and the cover ward
 * (tools/staffing/cover/test-fixtures.ts), the real API called in-process (the staffing office with an
 * admin key; questions with a ward staff key), and the real staffing agent run for each queued job.
 * The agent decides without a model; the suite runs the same with or without one.
 */
export async function runStaffingTrial(
  scratch: ScratchServer,
  scenario: StaffingScenario,
  _model: ModelSettings | null,
): Promise<TrialResult> {
  return gradedTrial(scratch, async (database, checkpointer) => {
    const clock = new ManualClock(STAFFING_EVAL_START);
    await miniHospital(database);
    await coverWard(database);
    await scenario.setup?.(database, clock);
    const now = clock.now();
    const office = (await createApiKey(database.db, { role: 'admin', label: 'eval staffing office', now }))
      .key;
    const ward = (await createApiKey(database.db, { role: 'staff', label: 'eval ward', now })).key;
    const app = createApp({ database, clock, keys: new KeyResolver(database.db, 0) });
    const calls: StaffingCall[] = [];
    const requestIds: string[] = [];

    const call = async (path: string, body: unknown, tag: string | undefined, key = office) => {
      const posted = await postJson(app, path, key, body);
      calls.push({ tag, status: posted.status, detail: answerDetail(posted) });
      return { status: posted.status, json: posted.json };
    };
    const requestNumber = (n: number) => {
      const id = requestIds[n - 1];
      if (!id) throw new Error(`step refers to cover request ${n}; only ${requestIds.length} filed`);
      return id;
    };
    const filed = (id: unknown) => {
      if (typeof id === 'string' && !requestIds.includes(id)) requestIds.push(id);
    };
    const drain = () =>
      drainThreadQueue(database, clock, STAFFING_QUEUE, 'requestId', (id) =>
        runCoverAgent({ database, clock, checkpointer: checkpointer.saver }, id),
      );
    const act = async (step: StaffingStep) => {
      if ('callOut' in step) {
        const res = await call(
          '/v1/ops/mark_shift_called_out',
          { shiftId: step.callOut, reason: step.reason ?? 'sick' },
          step.tag,
        );
        filed(res.json?.coverRequestId);
      } else if ('post' in step) {
        const res = await call('/v1/ops/request_cover', step.post, step.tag);
        filed((res.json?.request as { requestId?: string } | undefined)?.requestId);
      } else if ('answer' in step) {
        await call(
          '/v1/ops/answer_cover_approval',
          {
            requestId: requestNumber(step.answer),
            staffId: step.as ?? 'stf-staffing',
            decision: step.decision,
            ...(step.reason
              ? { reason: step.reason }
              : step.decision === 'decline'
                ? { reason: 'not this one' }
                : {}),
          },
          step.tag,
        );
      } else if ('assign' in step) {
        await call(
          '/v1/ops/assign_cover',
          { requestId: requestNumber(step.assign), staffId: step.staffId },
          step.tag,
        );
      } else if ('cancel' in step) {
        await call(
          '/v1/ops/close_cover_request',
          {
            requestId: requestNumber(step.cancel),
            status: 'cancelled',
            outcome: step.outcome ?? 'no longer needed',
          },
          step.tag,
        );
      } else if ('op' in step) {
        await call(`/v1/ops/${step.op}`, step.body, step.tag);
      } else {
        await call('/v1/agents/staffing/ask', { question: step.ask }, step.tag, ward);
      }
    };

    for (const step of scenario.steps) {
      clock.advance(1_000);
      await act(step);
      if (!step.beforeAgent) await drain();
    }
    return gradeStaffing(database, scenario.expect, { calls, requestIds });
  });
}
