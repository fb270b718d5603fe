import type { Database } from '../../db/client.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import { coverRefusals, needsApproval } from '../../tools/staffing/cover/rules.ts';
import { loadCandidateFacts, slotOf } from '../../tools/staffing/cover/store.ts';
import type { CoverDecision } from '../../tools/staffing/cover/requests.ts';
import { eq } from 'drizzle-orm';
import { coverRequests, shifts } from '../../db/schema/index.ts';
import type { StaffingCall } from './harness.ts';
import type { StaffingExpectation } from './types.ts';

const show = (v: unknown) => JSON.stringify(v);
const brief = (detail: string) => detail.replace(/cov-[0-9a-f-]{36}/g, '<id>').slice(0, 300);

/**
 * The invariants every scenario keeps, then the scenario's own expectation; one line per difference.
 * Invariants: every filled request has its cover shift (same unit and times, scheduled, the filler's);
 * the filler breaks no rule against the rest of their roster (role, unit, certification, leave,
 * overlap, fatigue limits), judged again here from the data; overtime or agency above the threshold was
 * approved by a staffing manager first; nothing is left open with no agent at work, no job queued, no
 * agent run failed; the audit chain is intact.
 */
export async function gradeStaffing(
  database: Database,
  expect: StaffingExpectation,
  run: { calls: StaffingCall[]; requestIds: string[] },
): Promise<string[]> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const rows = await database.db.select().from(coverRequests);
  const byId = new Map(rows.map((r) => [r.id, r]));

  for (const r of rows) {
    check(r.status !== 'open', `cover request ${r.id} left open: the agent never decided`);
    if (r.status !== 'filled') continue;
    const [shift] = await database.db
      .select()
      .from(shifts)
      .where(eq(shifts.id, r.coverShiftId ?? ''));
    check(
      !!shift &&
        shift.staffId === r.filledBy &&
        shift.unitId === r.unitId &&
        shift.kind === r.kind &&
        shift.startsAt.getTime() === r.startsAt.getTime() &&
        shift.endsAt.getTime() === r.endsAt.getTime() &&
        shift.status === 'scheduled',
      `request ${r.id}: cover shift ${show(shift)} does not match the request`,
    );
    const [calledOut] = r.shiftId
      ? await database.sql`select staff_id from shifts where id = ${r.shiftId}`
      : [];
    const slot = slotOf(r, (calledOut?.staff_id as string | undefined) ?? null);
    const [facts] = await loadCandidateFacts(database.db, slot, { staffIds: [r.filledBy!] });
    if (facts) {
      // Judge the filler against the rest of their roster: drop the cover shift itself, once.
      const at = facts.shifts.findIndex(
        (s) => s.startsAt.getTime() === r.startsAt.getTime() && s.endsAt.getTime() === r.endsAt.getTime(),
      );
      const others = facts.shifts.filter((_, i) => i !== at);
      const broken = coverRefusals({ ...facts, shifts: others }, slot);
      check(
        broken.length === 0,
        `request ${r.id}: ${r.filledBy} breaks ${show(broken.map((b) => b.message))}`,
      );
    }
    if (
      r.tier &&
      r.costCents !== null &&
      needsApproval({ tier: r.tier, costCents: r.costCents }, r.approvalThresholdCents)
    ) {
      const last = (r.decisions as CoverDecision[]).at(-1);
      check(
        last?.decision === 'approve' && last.candidateStaffId === r.filledBy,
        `request ${r.id}: ${r.tier} at ${r.costCents} above ${r.approvalThresholdCents} filled without approval`,
      );
    }
  }
  const [left] =
    await database.sql`select count(*)::int as n from jobs where queue = 'staffing' and status in ('queued', 'running')`;
  check(left!.n === 0, `${left!.n} staffing jobs left unfinished`);
  const failed =
    await database.sql`select thread_id, error from agent_runs where agent = 'staffing' and status = 'failed'`;
  const stuck =
    await database.sql`select r.thread_id, c.status from agent_runs r join cover_requests c on c.id = r.thread_id
    where r.agent = 'staffing' and r.status = 'waiting' and c.status <> 'awaiting-approval'`;
  check(
    stuck.length === 0,
    `staffing agent runs still waiting on requests no longer awaiting approval: ${show(stuck)}`,
  );
  check(failed.length === 0, `staffing agent runs failed: ${show(failed)}`);
  const audit = await verifyAuditChain(database.sql);
  check(audit.intact, `audit chain broken: ${show(audit)}`);

  if (expect.statuses) {
    const got = run.calls.map((c) => c.status);
    check(show(got) === show(expect.statuses), `statuses ${show(got)}, expected ${show(expect.statuses)}`);
  }
  for (const [tag, pattern] of Object.entries(expect.details ?? {})) {
    const c = run.calls.find((x) => x.tag === tag);
    check(
      !!c && pattern.test(c.detail),
      `call ${tag}: ${c ? brief(c.detail) : 'not made'} does not match ${pattern}`,
    );
  }
  if (expect.requests) {
    check(
      run.requestIds.length === expect.requests.length,
      `${run.requestIds.length} cover requests filed, expected ${expect.requests.length}`,
    );
    expect.requests.forEach((e, i) => {
      const r = byId.get(run.requestIds[i] ?? '');
      if (!r) return;
      const n = `request ${i + 1}`;
      check(r.status === e.status, `${n}: ${r.status} (${r.outcome ?? ''}), expected ${e.status}`);
      if (e.filledBy !== undefined)
        check(r.filledBy === e.filledBy, `${n}: filled by ${r.filledBy}, expected ${e.filledBy}`);
      if (e.tier !== undefined) check(r.tier === e.tier, `${n}: tier ${r.tier}, expected ${e.tier}`);
      if (e.costCents !== undefined)
        check(r.costCents === e.costCents, `${n}: cost ${r.costCents}, expected ${e.costCents}`);
      if (e.requiredSkill !== undefined)
        check(
          r.requiredSkill === e.requiredSkill,
          `${n}: requires ${r.requiredSkill}, expected ${e.requiredSkill}`,
        );
      if (e.asking !== undefined) {
        const asking = (r.question as { candidateStaffId?: string } | null)?.candidateStaffId ?? null;
        check(asking === e.asking, `${n}: asking about ${asking}, expected ${e.asking}`);
      }
      if (e.decisions) {
        const got = (r.decisions as CoverDecision[]).map((d) => `${d.candidateStaffId}:${d.decision}`);
        check(show(got) === show(e.decisions), `${n}: decisions ${show(got)}, expected ${show(e.decisions)}`);
      }
      if (e.outcome)
        check(
          e.outcome.test(r.outcome ?? ''),
          `${n}: outcome ${show(r.outcome)} does not match ${e.outcome}`,
        );
    });
  }
  for (const { staffId, startsAt } of expect.notRostered ?? []) {
    const found =
      await database.sql`select id from shifts where staff_id = ${staffId} and starts_at = ${startsAt} and status in ('scheduled', 'worked')`;
    check(found.length === 0, `${staffId} is rostered at ${startsAt}`);
  }
  return failures;
}
