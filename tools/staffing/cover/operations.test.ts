import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import { rowCount } from '../../../test/mcp.ts';
import { type Actor, roleScopes } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import type { OperationError } from '../../core/errors.ts';
import { type AnyOperation, invokeOperation } from '../../core/operation.ts';
import { markShiftCalledOut } from '../attendance-operations.ts';
import {
  answerCoverApproval,
  askCoverApproval,
  assignCover,
  closeCoverRequest,
  findCoverCandidates,
  getCoverRequest,
  offerOpenShift,
  requestCover,
} from './operations.ts';
import type { CoverRequestView } from './requests.ts';
import { COVER_WEEK, coverWard, NIGHT_SHIFT_ID } from './test-fixtures.ts';
import { refusal } from '../../../test/refusal.ts';

let database: Database;
const clock = new ManualClock('2026-03-09T12:00:00Z');
const admin: Actor = { id: 'admin:staffing', kind: 'admin', scopes: roleScopes.admin };
const staffKey: Actor = { id: 'staff:ward', kind: 'staff', scopes: roleScopes.staff };
const call = <T = Record<string, unknown>>(op: AnyOperation, input: unknown, actor: Actor = admin) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<T>;

interface Ranked {
  candidates: {
    staffId: string;
    tier: string;
    costCents: number;
    needsApproval: boolean;
    overtimeMinutes: number;
  }[];
  refused: { staffId: string; refusals: { rule: string; message: string }[] }[];
  requiredSkill: string | null;
}

let nightRequest: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await coverWard(database);
  const shift = await call<{ status: string; coverRequestId: string }>(markShiftCalledOut, {
    shiftId: NIGHT_SHIFT_ID,
    reason: 'sick: flu',
  });
  expect(shift.status).toBe('called-out');
  nightRequest = shift.coverRequestId;
});

describe('a call-out', () => {
  it('files one cover request needing ACLS (Ada was the only holder on the shift) and wakes the agent', async () => {
    const r = await call<CoverRequestView>(getCoverRequest, { requestId: nightRequest });
    expect(r).toMatchObject({
      shiftId: NIGHT_SHIFT_ID,
      calledOutStaffId: 'stf-ada',
      unitId: 'unit-icu',
      role: 'RN',
      kind: 'night',
      requiredSkill: 'ACLS',
      status: 'open',
      approvalThresholdCents: 50_000,
    });
    const jobs = await database.sql`select payload from jobs where queue = 'staffing'`;
    expect(jobs.map((j) => (j.payload as { requestId: string }).requestId)).toEqual([nightRequest]);
    const again = await call<{ request: CoverRequestView; replayed: boolean }>(requestCover, {
      shiftId: NIGHT_SHIFT_ID,
    });
    expect(again).toMatchObject({ replayed: true, request: { requestId: nightRequest } });
    expect(await rowCount(database, 'cover_requests')).toBe(1);
  });

  it('ranks the cover least cost first and says why everyone else may not', async () => {
    const ranked = await call<Ranked>(findCoverCandidates, { requestId: nightRequest, includeRefused: true });
    expect(ranked.candidates.map((c) => [c.staffId, c.tier, c.costCents, c.needsApproval])).toEqual([
      // 8 h at 38.00 + 15% night differential on the 7 h from 23:00 to 06:00.
      ['stf-float', 'float', 30_400 + 3_990, false],
      ['stf-part', 'extra-shift', 33_600 + 4_410, false],
      // Hours 41–48 of Fern's week: half her rate again on all 8.
      ['stf-full', 'overtime', 35_200 + 4_620 + 17_600, true],
      ['stf-agency', 'agency', 72_000 + 9_450, true],
    ]);
    const rules = Object.fromEntries(ranked.refused.map((r) => [r.staffId, r.refusals.map((x) => x.rule)]));
    expect(rules).toEqual({
      'stf-ada': ['called-out'],
      'stf-away': ['leave'],
      'stf-busy': ['skill', 'overlap'],
      // The mini hospital's ICU charge nurse may work an RN shift, but holds no ACLS and no hourly rate.
      'stf-charge-icu': ['skill', 'no-rate'],
      'stf-lapsed': ['skill'],
      'stf-noacls': ['skill'],
      'stf-tired': ['hours-24h'],
    });
    const tired = ranked.refused.find((r) => r.staffId === 'stf-tired')!;
    expect(tired.refusals[0]!.message).toMatch(/16 h in 24 hours \(limit 12 h, Institute of Medicine/);
  });

  it('answers "who can cover ICU nights tomorrow?" without a request', async () => {
    const ranked = await call<Ranked>(
      findCoverCandidates,
      { unitId: 'unit-icu', day: '2026-03-10', kind: 'night' },
      staffKey,
    );
    // Nobody left on that night holds the ICU's ACLS, so the cover must.
    expect(ranked.requiredSkill).toBe('ACLS');
    expect(ranked.candidates.map((c) => c.staffId)).not.toContain('stf-noacls');
    const day = await call<Ranked>(findCoverCandidates, {
      unitId: 'unit-icu',
      day: '2026-03-10',
      kind: 'day',
    });
    // Tuesday's day shift has Ty, certified: its cover need not be.
    expect(day.requiredSkill).toBeNull();
    const anyone = await call<Ranked>(findCoverCandidates, {
      unitId: 'unit-ms',
      day: '2026-03-10',
      kind: 'night',
    });
    expect(anyone.requiredSkill).toBe('BLS');
    // Bo already works that night; Ada, having called out, is free as far as the roster knows.
    expect(ranked.candidates.map((c) => c.staffId)).not.toContain('stf-busy');
  });
});

describe('assign_cover', () => {
  it('refuses a proposal that breaks a rule, naming it, and writes nothing', async () => {
    const shiftsBefore = await rowCount(database, 'shifts');
    const auditBefore = await rowCount(database, 'audit_log');
    const err = await refusal(call(assignCover, { requestId: nightRequest, staffId: 'stf-tired' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/Ty Tired may not cover .*hours-24h: would work 16 h in 24 hours/);
    const lpn = await refusal(call(assignCover, { requestId: nightRequest, staffId: 'stf-lpn' }));
    expect(lpn.message).toMatch(/role: a LPN may not work a RN shift/);
    const overtime = await refusal(call(assignCover, { requestId: nightRequest, staffId: 'stf-full' }));
    expect(overtime.message).toMatch(/\$574\.20 as overtime, above the \$500\.00 threshold/);
    expect(await rowCount(database, 'shifts')).toBe(shiftsBefore);
    expect(await rowCount(database, 'audit_log')).toBe(auditBefore);
    expect((await call<CoverRequestView>(getCoverRequest, { requestId: nightRequest })).status).toBe('open');
  });

  it('needs staffing:write: a ward staff key may look but not roster', async () => {
    const err = await refusal(call(assignCover, { requestId: nightRequest, staffId: 'stf-float' }, staffKey));
    expect(err.code).toBe('forbidden');
  });
});

describe('overtime approval', () => {
  it('asks a staffing manager, who alone may answer; a decline reopens the request for the next cover', async () => {
    const asked = await call<CoverRequestView>(askCoverApproval, {
      requestId: nightRequest,
      staffId: 'stf-full',
    });
    expect(asked.status).toBe('awaiting-approval');
    expect(asked.question).toMatchObject({
      candidateStaffId: 'stf-full',
      tier: 'overtime',
      costCents: 57_420,
    });
    expect(asked.question!.text).toMatch(/Approve overtime for Fern Full .* 2 cover\(s\) need no approval/);
    const told = () =>
      database.sql`select message from notifications where recipient_id = 'stf-staffing' and message like 'Approve%'`;
    expect(await told()).toEqual([
      { message: `${asked.question!.text} Answer with answer_cover_approval on ${nightRequest}.` },
    ]);
    // Asking again for Fern returns the same question; for someone else is refused.
    expect(
      (await call<CoverRequestView>(askCoverApproval, { requestId: nightRequest, staffId: 'stf-full' }))
        .question,
    ).toEqual(asked.question);
    expect(await told()).toHaveLength(1);
    const other = await refusal(call(askCoverApproval, { requestId: nightRequest, staffId: 'stf-agency' }));
    expect(other.message).toMatch(/already waits for approval of Fern Full/);
    // A float nurse needs no approval: asking for her is refused.
    const notNeeded = await refusal(
      call(answerCoverApproval, {
        requestId: nightRequest,
        staffId: 'stf-charge-icu',
        decision: 'approve',
      }),
    );
    expect(notNeeded.code).toBe('forbidden');
    expect(notNeeded.message).toMatch(/may not approve cover; a staffing manager answers/);
    const noReason = await refusal(
      call(answerCoverApproval, { requestId: nightRequest, staffId: 'stf-staffing', decision: 'decline' }),
    );
    expect(noReason.issues).toEqual([{ field: 'reason', message: 'required' }]);

    const declined = await call<CoverRequestView>(answerCoverApproval, {
      requestId: nightRequest,
      staffId: 'stf-staffing',
      decision: 'decline',
      reason: 'a float nurse is free',
    });
    expect(declined).toMatchObject({ status: 'open', question: null });
    expect(declined.decisions).toMatchObject([
      { candidateStaffId: 'stf-full', decision: 'decline', answeredBy: 'stf-staffing' },
    ]);
    const ranked = await call<Ranked>(findCoverCandidates, { requestId: nightRequest });
    expect(ranked.candidates.map((c) => c.staffId)).not.toContain('stf-full');
    const again = await refusal(call(askCoverApproval, { requestId: nightRequest, staffId: 'stf-full' }));
    expect(again.message).toMatch(/already declined Fern Full/);
  });

  it('an approval for someone who meanwhile became unable to work is void, and the request reopens', async () => {
    await call(askCoverApproval, { requestId: nightRequest, staffId: 'stf-agency' });
    await database.sql`insert into staff_leave (id, staff_id, kind, starts_on, ends_on, status, created_at)
      values ('lv-agency', 'stf-agency', 'sick', '2026-03-10', '2026-03-11', 'approved', now())`;
    const answered = await call<CoverRequestView>(answerCoverApproval, {
      requestId: nightRequest,
      staffId: 'stf-staffing',
      decision: 'approve',
    });
    expect(answered.status).toBe('open');
    expect(answered.filledBy).toBeNull();
    expect(answered.decisions.at(-1)).toMatchObject({ candidateStaffId: 'stf-agency', decision: 'void' });
    expect(answered.decisions.at(-1)!.reason).toMatch(/leave: on approved leave 2026-03-10 to 2026-03-11/);
    await database.sql`delete from staff_leave where id = 'lv-agency'`;
  });

  it('fills the request with the approved overtime', async () => {
    await call(askCoverApproval, { requestId: nightRequest, staffId: 'stf-agency' });
    const filled = await call<CoverRequestView>(answerCoverApproval, {
      requestId: nightRequest,
      staffId: 'stf-staffing',
      decision: 'approve',
    });
    expect(filled).toMatchObject({
      status: 'filled',
      filledBy: 'stf-agency',
      tier: 'agency',
      costCents: 81_450,
    });
    expect(filled.outcome).toBe('Filled by Agnes Agency (agency, $814.50, approved by Sam Staffing)');
    const [shift] =
      await database.sql`select staff_id, unit_id, kind, starts_at, status from shifts where id = ${filled.coverShiftId!}`;
    expect(shift).toMatchObject({
      staff_id: 'stf-agency',
      unit_id: 'unit-icu',
      kind: 'night',
      status: 'scheduled',
    });
    const late = await refusal(call(assignCover, { requestId: nightRequest, staffId: 'stf-float' }));
    expect(late.message).toMatch(/is filled \(filled by stf-agency\)/);
  });
});

describe('open shifts', () => {
  let open: string;
  it('posts an open shift, offers it once to each eligible nurse, and the first to take it gets it', async () => {
    const posted = await call<{ request: CoverRequestView }>(requestCover, {
      unitId: 'unit-icu',
      role: 'RN',
      day: '2026-03-15',
      kind: 'evening',
      requiredSkill: 'ACLS',
    });
    open = posted.request.requestId;
    expect(posted.request).toMatchObject({
      shiftId: null,
      status: 'open',
      startsAt: '2026-03-15T15:00:00.000Z',
    });
    const offered = await call<{ offeredTo: { staffId: string; replayed: boolean }[] }>(offerOpenShift, {
      requestId: open,
    });
    const told = offered.offeredTo.map((o) => o.staffId);
    expect(told).toContain('stf-float');
    expect(told).not.toContain('stf-full'); // overtime would need approval
    expect(offered.offeredTo.every((o) => !o.replayed)).toBe(true);
    const notes = await rowCount(database, 'notifications');
    const twice = await call<{ offeredTo: { replayed: boolean }[] }>(offerOpenShift, { requestId: open });
    expect(twice.offeredTo.every((o) => o.replayed)).toBe(true);
    expect(await rowCount(database, 'notifications')).toBe(notes);
  });

  it('two people taking the same open shift at once: exactly one gets it', async () => {
    const results = await Promise.allSettled(
      ['stf-float', 'stf-part'].map((staffId) => call(assignCover, { requestId: open, staffId })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as OperationError).message).toMatch(/is filled/);
    const rows =
      await database.sql`select id from shifts where kind = 'evening' and starts_at = '2026-03-15T15:00:00Z' and unit_id = 'unit-icu'`;
    expect(rows).toHaveLength(1);
  });

  it('one person cannot be rostered on two overlapping open shifts at once', async () => {
    const post = (unitId: string) =>
      call<{ request: CoverRequestView }>(requestCover, {
        unitId,
        role: 'RN',
        day: '2026-03-13',
        kind: 'day',
        // Flo holds ACLS; without it each post would ask for its unit's certification.
        requiredSkill: 'ACLS',
      });
    const [a, b] = await Promise.all([post('unit-icu'), post('unit-ms')]);
    const results = await Promise.allSettled(
      [a!, b!].map((p) => call(assignCover, { requestId: p.request.requestId, staffId: 'stf-float' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as OperationError).message).toMatch(/overlap: already works 2026-03-13T07:00/);
  });
});

describe('bad input', () => {
  it('names what is wrong and writes nothing', async () => {
    const before = await rowCount(database, 'cover_requests');
    const scheduled = await refusal(call(requestCover, { shiftId: 'shf-part-4' }));
    expect(scheduled.message).toMatch(/is scheduled: only a called-out shift needs cover/);
    expect((await refusal(call(requestCover, { shiftId: 'shf-nope' }))).code).toBe('not_found');
    const unit = await refusal(
      call(requestCover, { unitId: 'unit-nope', role: 'RN', day: '2026-03-12', kind: 'day' }),
    );
    expect(unit.issues).toEqual([{ field: 'unitId', message: 'unknown unit' }]);
    const past = await refusal(
      call(requestCover, { unitId: 'unit-icu', role: 'RN', day: '2026-03-01', kind: 'day' }),
    );
    expect(past.issues).toEqual([{ field: 'day', message: 'in the past' }]);
    const invalid = await refusal(
      call(requestCover, { unitId: 'unit-icu', role: 'physician', day: '2026-03-12', kind: 'day' }),
    );
    expect(invalid.code).toBe('invalid');
    expect(await rowCount(database, 'cover_requests')).toBe(before);
  });

  it('close_cover_request ends an open request and refuses a closed one', async () => {
    const { request } = await call<{ request: CoverRequestView }>(requestCover, {
      unitId: 'unit-ms',
      role: 'CNA',
      day: COVER_WEEK,
      kind: 'night',
    });
    const closed = await call<CoverRequestView>(closeCoverRequest, {
      requestId: request.requestId,
      status: 'cancelled',
      outcome: 'census fell: not needed',
    });
    expect(closed).toMatchObject({ status: 'cancelled', outcome: 'census fell: not needed' });
    const again = await refusal(
      call(closeCoverRequest, { requestId: request.requestId, status: 'unfilled', outcome: 'nobody' }),
    );
    expect(again.message).toMatch(/is cancelled: census fell/);
  });
});
