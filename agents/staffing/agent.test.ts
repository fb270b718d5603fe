import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase, dropTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { markShiftCalledOut } from '../../tools/staffing/attendance-operations.ts';
import { answerCoverApproval, getCoverRequest } from '../../tools/staffing/cover/operations.ts';
import type { CoverRequestView } from '../../tools/staffing/cover/requests.ts';
import { coverWard, NIGHT_SHIFT_ID } from '../../tools/staffing/cover/test-fixtures.ts';
import { createCheckpointer } from '../runtime/checkpointer.ts';
import { runCoverAgent } from './run.ts';

let database: Database;
const clock = new ManualClock('2026-03-09T12:00:00Z');
let checkpointer: Awaited<ReturnType<typeof createCheckpointer>>;
const savers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const s of savers.splice(0)) await s.close();
  await dropTestDatabase(database);
});

beforeEach(async () => {
  database = await createTestDatabase(6);
  await miniHospital(database);
  await coverWard(database);
  checkpointer = await createCheckpointer(database.url);
  savers.push(checkpointer);
});

const as = () => ({ database, clock, actor: systemActor });
const run = (requestId: string) =>
  runCoverAgent({ database, clock, checkpointer: checkpointer.saver }, requestId);
const view = async (requestId: string) =>
  (await invokeOperation(getCoverRequest, { requestId }, as())) as CoverRequestView;

async function callOut(): Promise<string> {
  const shift = (await invokeOperation(
    markShiftCalledOut,
    { shiftId: NIGHT_SHIFT_ID, reason: 'sick' },
    as(),
  )) as {
    coverRequestId: string;
  };
  return shift.coverRequestId;
}

const answer = (requestId: string, decision: 'approve' | 'decline', reason?: string) =>
  invokeOperation(
    answerCoverApproval,
    { requestId, staffId: 'stf-staffing', decision, reason },
    as(),
  ) as Promise<CoverRequestView>;

/** Takes people out of the running by rostering them elsewhere that night. */
async function rosterElsewhere(...staffIds: string[]) {
  for (const id of staffIds) {
    await database.sql`insert into shifts (id, staff_id, unit_id, kind, starts_at, ends_at)
      values (${`shf-away-${id}`}, ${id}, 'unit-ms', 'night', '2026-03-10T23:00:00Z', '2026-03-11T07:00:00Z')`;
  }
}

async function agentRun(requestId: string) {
  const [row] =
    await database.sql`select status, attempts from agent_runs where agent = 'staffing' and thread_id = ${requestId}`;
  return row;
}

describe('the staffing agent repairing a call-out', () => {
  it('rosters the least-cost cover that breaks no rule, without asking anyone', async () => {
    const id = await callOut();
    const result = await run(id);
    expect(result).toMatchObject({ status: 'filled', waitingOn: null, advanced: true });
    const r = await view(id);
    expect(r).toMatchObject({ filledBy: 'stf-float', tier: 'float', costCents: 34_390 });
    expect(r.outcome).toBe('Filled by Flo Float (float, $343.90)');
    expect(await agentRun(id)).toMatchObject({ status: 'completed' });
    // The audit trail names the agent run for the assignment.
    const [entry] = await database.sql`select actor, agent_run_id from audit_log where tool = 'assign_cover'`;
    expect(entry).toMatchObject({ actor: 'agent:staffing' });
    expect(entry!.agent_run_id).toBeTruthy();
    // Nothing more to do: another poke changes nothing.
    expect(await run(id)).toMatchObject({ status: 'filled', advanced: false });
  });

  it('asks a staffing manager before overtime, waits across a restart, and after a decline asks for the next', async () => {
    await rosterElsewhere('stf-float', 'stf-part');
    const id = await callOut();
    const first = await run(id);
    expect(first).toMatchObject({ status: 'awaiting-approval', waitingOn: 'stf-full' });
    expect((await view(id)).question).toMatchObject({ candidateStaffId: 'stf-full', tier: 'overtime' });
    expect(await agentRun(id)).toMatchObject({ status: 'waiting' });
    // Still unanswered: the agent keeps waiting.
    expect(await run(id)).toMatchObject({ waitingOn: 'stf-full', advanced: false });

    // The service restarts: a new checkpointer connection finds the thread where it stopped.
    savers.splice(savers.indexOf(checkpointer), 1);
    await checkpointer.close();
    checkpointer = await createCheckpointer(database.url);
    savers.push(checkpointer);

    await answer(id, 'decline', 'too many hours this week');
    const second = await run(id);
    expect(second).toMatchObject({ status: 'awaiting-approval', waitingOn: 'stf-agency' });
    await answer(id, 'approve');
    const third = await run(id);
    expect(third).toMatchObject({ status: 'filled', waitingOn: null });
    const r = await view(id);
    expect(r).toMatchObject({ filledBy: 'stf-agency', tier: 'agency' });
    expect(r.decisions.map((d) => [d.candidateStaffId, d.decision])).toEqual([
      ['stf-full', 'decline'],
      ['stf-agency', 'approve'],
    ]);
  });

  it('leaves the request unfilled, saying why, when nobody may cover it', async () => {
    await rosterElsewhere('stf-float', 'stf-part', 'stf-full', 'stf-agency');
    const id = await callOut();
    expect(await run(id)).toMatchObject({ status: 'unfilled', waitingOn: null });
    const r = await view(id);
    expect(r.outcome).toMatch(
      /^Nobody may cover the RN night shift on unit-icu at 2026-03-10T23:00:00.000Z \(needs ACLS\): .*overlap ×5.*Escalate to the house supervisor\.$/,
    );
    expect(
      await database.sql`select id from shifts where staff_id in ('stf-noacls', 'stf-tired') and kind = 'night'`,
    ).toEqual([]);
  });

  it('cover approved over the threshold is never assigned without the answer, even when two runs race', async () => {
    await rosterElsewhere('stf-float', 'stf-part');
    const id = await callOut();
    const results = await Promise.all([run(id), run(id), run(id)]);
    expect(results.every((r) => r.status === 'awaiting-approval')).toBe(true);
    const [{ n }] =
      (await database.sql`select count(*)::int as n from shifts where staff_id in ('stf-full', 'stf-agency') and kind = 'night'`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(0);
    expect((await agentRun(id))!.attempts).toBeGreaterThanOrEqual(1);
  });
});
