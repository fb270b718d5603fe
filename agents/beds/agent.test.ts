import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { createTestDatabase, dropTestDatabase } from '../../test/db.ts';
import {
  answerApproval,
  escalateOverdueApprovals,
  requestBed,
} from '../../tools/beds/negotiation-operations.ts';
import { expireBedHolds } from '../../tools/beds/operations.ts';
import type { ApprovalView, BedRequestView } from '../../tools/beds/schema.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { OperationError } from '../../tools/core/errors.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { createCheckpointer } from '../runtime/checkpointer.ts';
import { runBedAgent } from './run.ts';

const T0 = '2026-03-02T08:00:00.000Z';
const medSurgNeed = { unitTypes: ['med-surg'], sex: 'male' };

let database: Database;
let clock: ManualClock;
let checkpointer: Awaited<ReturnType<typeof createCheckpointer>>['saver'];
const savers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const s of savers.splice(0)) await s.close();
  await dropTestDatabase(database);
});

beforeEach(async () => {
  database = await createTestDatabase(6);
  await miniHospital(database, { medSurgBeds: 3 });
  clock = new ManualClock(T0);
  const cp = await createCheckpointer(database.url);
  savers.push(cp);
  checkpointer = cp.saver;
});

const as = () => ({ database, clock, actor: systemActor });

async function request(input: Record<string, unknown> = {}) {
  return (await invokeOperation(
    requestBed,
    { patientId: 'pat-2', need: medSurgNeed, requester: 'ed', ...input },
    as(),
  )) as BedRequestView;
}

async function answer(
  approvalId: string,
  staffId: string,
  decision: string,
  extra: Record<string, unknown> = {},
) {
  return (await invokeOperation(
    answerApproval,
    { approvalId, staffId, decision, ...extra },
    as(),
  )) as ApprovalView;
}

async function run(requestId: string) {
  return runBedAgent({ database, clock, checkpointer }, requestId);
}

async function view(requestId: string): Promise<BedRequestView> {
  const { loadBedRequestView } = await import('../../tools/beds/negotiation.ts');
  return loadBedRequestView(database.db, requestId);
}

describe('the bed agent', () => {
  it('holds the best bed, asks its charge nurse, and assigns it when accepted', async () => {
    const r = await request();
    const first = await run(r.requestId);
    expect(first).toMatchObject({ status: 'awaiting-acceptance', advanced: true });
    const waiting = await view(r.requestId);
    expect(waiting.holds).toMatchObject([{ bedId: 'bed-ms-0', status: 'held' }]);
    const [question] = waiting.approvals;
    expect(question).toMatchObject({ assigneeRole: 'charge-nurse', unitId: 'unit-ms', status: 'pending' });
    expect(question!.dueAt).toBe('2026-03-02T08:10:00.000Z');
    expect(question!.question.askedStaff).toEqual([
      { staffId: 'stf-charge-ms', name: 'Cara Charge', role: 'charge-nurse' },
    ]);

    // Poking the thread while the question is open changes nothing.
    expect(await run(r.requestId)).toMatchObject({ advanced: false, waitingOn: question!.approvalId });

    await answer(question!.approvalId, 'stf-charge-ms', 'accept');
    const done = await view(r.requestId);
    expect(done).toMatchObject({ status: 'assigned', bedId: 'bed-ms-0' });
    expect(done.holds).toMatchObject([{ bedId: 'bed-ms-0', status: 'accepted' }]);
    expect(await run(r.requestId)).toMatchObject({ status: 'assigned', advanced: true, waitingOn: null });
  });

  it('moves to the next bed on a decline, and proposes options when every bed is declined', async () => {
    const r = await request();
    await run(r.requestId);
    for (const bed of ['bed-ms-0', 'bed-ms-1', 'bed-ms-2']) {
      const current = await view(r.requestId);
      const pending = current.approvals.find((a) => a.status === 'pending')!;
      expect(pending.question.bedId).toBe(bed);
      await answer(pending.approvalId, 'stf-charge-ms', 'decline', {
        reason: `${bed} is being deep-cleaned`,
      });
      await run(r.requestId);
    }
    const final = await view(r.requestId);
    expect(final.status).toBe('no-fit');
    expect(final.holds.map((h) => h.status)).toEqual(['released', 'released', 'released']);
    expect(final.options!.map((o) => o.kind)).toContain('transfer-out');
    expect(final.outcome).toMatch(/No free med-surg bed fits .* after 3 bed\(s\) offered/);
  });

  it('takes a counter-offer of another fitting bed on the unit', async () => {
    const r = await request();
    await run(r.requestId);
    const [q] = (await view(r.requestId)).approvals;
    await answer(q!.approvalId, 'stf-charge-ms', 'counter', {
      bedId: 'bed-ms-2',
      reason: 'closer to the station',
    });
    const after = await view(r.requestId);
    expect(after).toMatchObject({ status: 'assigned', bedId: 'bed-ms-2' });
    expect(after.holds.map((h) => [h.bedId, h.status])).toEqual([
      ['bed-ms-0', 'released'],
      ['bed-ms-2', 'accepted'],
    ]);
  });

  it('refuses a counter-offer that does not fit and changes nothing', async () => {
    const r = await request({ need: { unitTypes: ['icu'], sex: 'male', isolation: 'airborne' } });
    await run(r.requestId);
    const [q] = (await view(r.requestId)).approvals;
    expect(q!.question.bedId).toBe('bed-icu-2');
    const err = await answer(q!.approvalId, 'stf-charge-icu', 'counter', { bedId: 'bed-icu-1' }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(OperationError);
    expect(err.message).toMatch(
      /Counter-offered bed bed-icu-1 does not fit: room supports none isolation, patient needs airborne/,
    );
    const after = await view(r.requestId);
    expect(after.holds).toMatchObject([{ bedId: 'bed-icu-2', status: 'held' }]);
    expect(after.approvals[0]!.status).toBe('pending');
  });

  it('lets only the unit’s charge nurse or a bed manager answer', async () => {
    const r = await request();
    await run(r.requestId);
    const [q] = (await view(r.requestId)).approvals;
    const err = await answer(q!.approvalId, 'stf-charge-icu', 'accept').catch((e) => e);
    expect(err).toMatchObject({ code: 'forbidden', issues: [{ field: 'staffId' }] });
    const unknown = await answer(q!.approvalId, 'stf-nobody', 'accept').catch((e) => e);
    expect(unknown).toMatchObject({ code: 'not_found', issues: [{ field: 'staffId' }] });
    const noReason = await answer(q!.approvalId, 'stf-charge-ms', 'decline').catch((e) => e);
    expect(noReason).toMatchObject({ code: 'invalid', issues: [{ field: 'reason' }] });
    await answer(q!.approvalId, 'stf-bed-manager', 'accept');
    expect((await view(r.requestId)).status).toBe('assigned');
  });

  it('asks the bed manager when the charge nurse does not answer in time', async () => {
    const r = await request({ escalateAfterMinutes: 5, holdMinutes: 30 });
    await run(r.requestId);
    clock.advance(4 * 60_000);
    expect(await invokeOperation(escalateOverdueApprovals, {}, as())).toEqual({ escalated: [] });
    clock.advance(60_000);
    const { escalated } = (await invokeOperation(escalateOverdueApprovals, {}, as())) as {
      escalated: string[];
    };
    expect(escalated).toHaveLength(1);
    await run(r.requestId);
    const after = await view(r.requestId);
    expect(after.approvals.map((a) => [a.assigneeRole, a.status])).toEqual([
      ['charge-nurse', 'escalated'],
      ['bed-manager', 'pending'],
    ]);
    expect(after.approvals[1]!.question.askedStaff.map((p) => p.staffId)).toEqual(['stf-bed-manager']);
    // The same hold: the bed stays the patient's while the bed manager decides.
    expect(after.holds).toMatchObject([{ bedId: 'bed-ms-0', status: 'held' }]);
    await answer(after.approvals[1]!.approvalId, 'stf-bed-manager', 'accept');
    expect(await run(r.requestId)).toMatchObject({ status: 'assigned' });
  });

  it('still takes the charge nurse’s answer after escalation and withdraws the bed manager’s question', async () => {
    const r = await request({ escalateAfterMinutes: 5 });
    await run(r.requestId);
    clock.advance(6 * 60_000);
    await invokeOperation(escalateOverdueApprovals, {}, as());
    await run(r.requestId);
    const [nurse, manager] = (await view(r.requestId)).approvals;
    await answer(nurse!.approvalId, 'stf-charge-ms', 'accept');
    const after = await view(r.requestId);
    expect(after.status).toBe('assigned');
    expect(after.approvals.find((a) => a.approvalId === manager!.approvalId)!.status).toBe('cancelled');
    const late = await answer(manager!.approvalId, 'stf-bed-manager', 'accept').catch((e) => e);
    expect(late.message).toMatch(/withdrawn/);
    expect(await run(r.requestId)).toMatchObject({ status: 'assigned' });
  });

  it('frees the bed when the hold lapses, offers the next one, and refuses the late accept', async () => {
    const r = await request({ holdMinutes: 20, escalateAfterMinutes: 10 });
    await run(r.requestId);
    await invokeOperation(escalateOverdueApprovals, {}, as());
    const [first] = (await view(r.requestId)).approvals;
    clock.advance(21 * 60_000);

    // Answered after the lapse but before the sweeper ran: refused, and nothing is written.
    const early = await answer(first!.approvalId, 'stf-charge-ms', 'accept').catch((e) => e);
    expect(early.message).toMatch(
      /The hold on bed 30A lapsed at 2026-03-02T08:20:00.000Z; this accept at .* is too late/,
    );
    expect((await view(r.requestId)).holds).toMatchObject([{ status: 'held' }]);

    const { expired } = (await invokeOperation(expireBedHolds, {}, as())) as { expired: string[] };
    expect(expired).toHaveLength(1);
    const reopened = await view(r.requestId);
    expect(reopened.status).toBe('negotiating');
    expect(reopened.approvals[0]!.status).toBe('expired');
    await run(r.requestId);
    const next = await view(r.requestId);
    expect(next.holds.map((h) => [h.bedId, h.status])).toEqual([
      ['bed-ms-0', 'expired'],
      ['bed-ms-1', 'held'],
    ]);
    const late = await answer(first!.approvalId, 'stf-charge-ms', 'accept').catch((e) => e);
    expect(late).toMatchObject({ code: 'conflict' });
    expect(late.message).toMatch(/lapsed at 2026-03-02T08:20:00.000Z before anyone answered/);
  });

  it('resumes from the database checkpoint with a fresh checkpointer, as after a restart', async () => {
    const r = await request();
    const before = await createCheckpointer(database.url);
    await runBedAgent({ database, clock, checkpointer: before.saver }, r.requestId);
    await before.close();
    const [q] = (await view(r.requestId)).approvals;
    await answer(q!.approvalId, 'stf-charge-ms', 'decline', { reason: 'patient needs a side room' });
    const after = await run(r.requestId);
    expect(after).toMatchObject({ status: 'awaiting-acceptance', advanced: true });
    expect((await view(r.requestId)).holds.map((h) => h.bedId)).toEqual(['bed-ms-0', 'bed-ms-1']);
  });

  it('gives one bed to one of two requests racing for it; the other ends with options', async () => {
    await database.sql`update beds set status = 'C' where id in ('bed-ms-1', 'bed-ms-2')`;
    const a = await request();
    const b = await request({ patientId: 'pat-1', need: { unitTypes: ['med-surg'], sex: 'female' } });
    await Promise.all([run(a.requestId), run(b.requestId)]);
    const views = await Promise.all([view(a.requestId), view(b.requestId)]);
    expect(views.map((v) => v.status).sort()).toEqual(['awaiting-acceptance', 'no-fit']);
    const loser = views.find((v) => v.status === 'no-fit')!;
    expect(loser.options!.at(-1)!.kind).toBe('transfer-out');
  });

  it('lets the batch plan place competing requests so that both are served', async () => {
    // One ICU bed and one med-surg bed left. X would take the ICU bed (its first choice) and leave Y,
    // who needs intensive care, with nothing; the plan gives X the med-surg bed instead.
    await database.sql`update beds set status = 'C' where id in ('bed-icu-2', 'bed-ms-1', 'bed-ms-2')`;
    const x = await request({ need: { unitTypes: ['icu', 'med-surg'], sex: 'male' } });
    const y = await request({ patientId: 'pat-1', need: { unitTypes: ['icu'], sex: 'female' } });
    await run(x.requestId);
    await run(y.requestId);
    const [vx, vy] = await Promise.all([view(x.requestId), view(y.requestId)]);
    expect(vx.holds.map((h) => h.bedId)).toEqual(['bed-ms-0']);
    expect(vy.holds.map((h) => h.bedId)).toEqual(['bed-icu-1']);
  });

  it('is idempotent per escalation and rejects a hold shorter than the escalation time', async () => {
    const a = await request({ escalationId: 'esc-1' });
    const b = await request({ escalationId: 'esc-1' });
    expect(b).toMatchObject({ requestId: a.requestId, replayed: true });
    const err = await request({ holdMinutes: 10, escalateAfterMinutes: 10 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'invalid', issues: [{ field: 'escalateAfterMinutes' }] });
  });
});
