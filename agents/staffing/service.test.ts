import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { startTestService } from '../../test/service.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import type { CoverRequestView } from '../../tools/staffing/cover/requests.ts';
import { coverWard, NIGHT_SHIFT_ID } from '../../tools/staffing/cover/test-fixtures.ts';

/**
 * The call-out flow as the running service does it: HTTP in, the job worker's staffing queue, the agent,
 * a staffing manager's answer over HTTP waking the agent again.
 */
let database: Database;
let svc: Awaited<ReturnType<typeof startTestService>>;
const clock = new ManualClock('2026-03-09T12:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await coverWard(database);
  // Only overtime and agency left for Tuesday night: the agent must ask.
  for (const id of ['stf-float', 'stf-part']) {
    await database.sql`insert into shifts (id, staff_id, unit_id, kind, starts_at, ends_at)
      values (${`shf-ms-${id}`}, ${id}, 'unit-ms', 'night', '2026-03-10T23:00:00Z', '2026-03-11T07:00:00Z')`;
  }
  svc = await startTestService(database, clock);
});
afterAll(async () => {
  await svc?.stop();
});

async function op<T>(name: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await svc.call('POST', `/v1/ops/${name}`, svc.keys.admin, body);
  return { status: res.status, body: (await res.json()) as T };
}

async function until(requestId: string, status: string): Promise<CoverRequestView> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await op<CoverRequestView>('get_cover_request', { requestId });
    if (body.status === status) return body;
    if (Date.now() > deadline) throw new Error(`cover request ${requestId} still ${body.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a call-out through the running service', () => {
  it('is covered by the worker’s staffing agent, which waits for and acts on a manager’s answers', async () => {
    const calledOut = await op<{ coverRequestId: string }>('mark_shift_called_out', {
      shiftId: NIGHT_SHIFT_ID,
      reason: 'sick: migraine',
    });
    expect(calledOut.status).toBe(200);
    const id = calledOut.body.coverRequestId;
    const waiting = await until(id, 'awaiting-approval');
    expect(waiting.question).toMatchObject({ candidateStaffId: 'stf-full', tier: 'overtime' });

    const declined = await op('answer_cover_approval', {
      requestId: id,
      staffId: 'stf-staffing',
      decision: 'decline',
      reason: 'try agency',
    });
    expect(declined.status).toBe(200);
    const next = await until(id, 'awaiting-approval').then(async function poll(r): Promise<CoverRequestView> {
      if (r.question?.candidateStaffId === 'stf-agency') return r;
      await new Promise((done) => setTimeout(done, 50));
      return poll((await op<CoverRequestView>('get_cover_request', { requestId: id })).body);
    });
    expect(next.decisions.map((d) => d.decision)).toEqual(['decline']);

    expect(
      (await op('answer_cover_approval', { requestId: id, staffId: 'stf-staffing', decision: 'approve' }))
        .status,
    ).toBe(200);
    const filled = await until(id, 'filled');
    expect(filled).toMatchObject({ filledBy: 'stf-agency', tier: 'agency' });
    // The approval fills the request itself; the agent, woken by it, then ends its run.
    const deadline = Date.now() + 20_000;
    let runs: { status: string }[] = [];
    while (Date.now() < deadline) {
      runs =
        (await database.sql`select status from agent_runs where agent = 'staffing' and thread_id = ${id}`) as unknown as {
          status: string;
        }[];
      if (runs[0]?.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(runs).toEqual([{ status: 'completed' }]);
  });
});
