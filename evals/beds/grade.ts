import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import type { BedNeed, BedOption } from '../../tools/beds/schema.ts';
import type { BedCall } from './harness.ts';
import {
  type ApprovalRow,
  checkInvariants,
  type FinalState,
  type HoldRow,
  isFree,
  loadFinalState,
  misfit,
  type RequestRow,
  show,
} from './state.ts';
import type { BedExpectation, RequestExpectation } from './types.ts';

type Check = (ok: boolean, what: string) => void;

/** A detail as a failure line shows it: ids vary by trial, so they are elided and the lines dedupe. */
const brief = (detail: string) =>
  detail.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>').slice(0, 300);

/**
 * Compares the final database state with the scenario's expectation, after the invariants every
 * scenario must keep (state.ts); returns one line per difference.
 */
export async function gradeBeds(
  database: Database,
  expect: BedExpectation,
  run: { calls: BedCall[]; requestIds: string[] },
): Promise<string[]> {
  const state = await loadFinalState(database);
  const failures = await checkInvariants(database, state, run.requestIds);
  const check: Check = (ok, what) => {
    if (!ok) failures.push(what);
  };

  if (expect.statuses) {
    const got = run.calls.map((c) => c.status);
    check(show(got) === show(expect.statuses), `statuses ${show(got)}, expected ${show(expect.statuses)}`);
  }
  for (const [tag, pattern] of Object.entries(expect.details ?? {})) {
    const c = run.calls.find((x) => x.tag === tag);
    if (!c) failures.push(`no call tagged ${tag}`);
    else check(pattern.test(c.detail), `${tag}: "${brief(c.detail)}" does not match ${String(pattern)}`);
  }

  const filed = run.requestIds.map((id) => state.requests.get(id));
  if (expect.requests) {
    check(
      expect.requests.length === run.requestIds.length,
      `${run.requestIds.length} requests filed, ${expect.requests.length} expected`,
    );
    for (const [i, want] of expect.requests.entries()) {
      const r = filed[i];
      if (r) gradeRequest(`request ${i + 1}`, want, r, state, check);
    }
  }
  const all = [...state.requests.values()];
  for (const [status, count] of Object.entries(expect.statusCounts ?? {})) {
    const got = all.filter((r) => r.status === status).length;
    check(got === count, `${got} requests ${status}, expected ${count}`);
  }
  for (const [priority, counts] of Object.entries(expect.statusCountsByPriority ?? {})) {
    for (const [status, count] of Object.entries(counts)) {
      const got = all.filter((r) => r.priority === priority && r.status === status).length;
      check(got === count, `${got} ${priority} requests ${status}, expected ${count}`);
    }
  }
  if (expect.noFitOnlyWhenFull) {
    const free = [...state.beds.values()].filter((b) => isFree(b, state));
    for (const [i, r] of filed.entries()) {
      if (r?.status !== 'no-fit') continue;
      const fitting = free.filter((b) => !misfit(b, r.need as BedNeed)).map((b) => b.id);
      check(fitting.length === 0, `request ${i + 1} is no-fit yet ${show(fitting)} are free and fit`);
    }
  }
  for (const [bedId, want] of Object.entries(expect.beds ?? {})) {
    const bed = state.beds.get(bedId);
    if (!bed) {
      failures.push(`no bed ${bedId}`);
      continue;
    }
    for (const field of ['status', 'housekeeping', 'occupant'] as const) {
      if (want[field] !== undefined)
        check(bed[field] === want[field], `bed ${bedId}: ${field} ${bed[field]}, expected ${want[field]}`);
    }
  }
  if (expect.auditedWrites) {
    const tools = Object.keys(expect.auditedWrites);
    const rows = await database.db
      .select({ tool: auditLog.tool, n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(inArray(auditLog.tool, tools))
      .groupBy(auditLog.tool);
    for (const tool of tools) {
      const got = rows.find((r) => r.tool === tool)?.n ?? 0;
      check(
        got === expect.auditedWrites[tool],
        `${got} audited ${tool}, expected ${expect.auditedWrites[tool]}`,
      );
    }
  }
  return failures;
}

function gradeRequest(n: string, want: RequestExpectation, r: RequestRow, state: FinalState, check: Check) {
  const holds: HoldRow[] = state.holds.filter((h) => h.requestId === r.id);
  const asked: ApprovalRow[] = state.approvals.filter((a) => a.subjectId === r.id);
  check(
    r.status === want.status,
    `${n}: status ${r.status}, expected ${want.status} (outcome: ${r.outcome})`,
  );
  const current = r.status === 'assigned' ? r.bedId : (holds.find((h) => h.status === 'held')?.bedId ?? null);
  if (want.bedId !== undefined) check(current === want.bedId, `${n}: bed ${current}, expected ${want.bedId}`);
  if (want.unitTypes) {
    const type = current ? state.beds.get(current)?.unitType : undefined;
    check(
      type !== undefined && want.unitTypes.includes(type),
      `${n}: bed ${current} in ${type}, expected one of ${show(want.unitTypes)}`,
    );
  }
  if (want.holds) {
    const got = holds.map((h, i) => (want.holds![i]?.includes(':') ? `${h.bedId}:${h.status}` : h.status));
    check(show(got) === show(want.holds), `${n}: holds ${show(got)}, expected ${show(want.holds)}`);
  }
  if (want.approvals) {
    const got = asked.map((a) => `${a.assigneeRole}:${a.status}`);
    check(
      show(got) === show(want.approvals),
      `${n}: questions ${show(got)}, expected ${show(want.approvals)}`,
    );
  }
  const options = (r.options as BedOption[] | null) ?? [];
  if (want.optionKinds) {
    const got = options.map((o) => o.kind);
    check(
      show(got) === show(want.optionKinds),
      `${n}: options ${show(got)}, expected ${show(want.optionKinds)}`,
    );
  }
  // In order: each expected option comes after the one matched before it.
  let from = 0;
  for (const o of want.options ?? []) {
    const at = options.findIndex(
      (x, i) =>
        i >= from &&
        x.kind === o.kind &&
        (o.bedId === undefined || x.bedId === o.bedId) &&
        (o.patientId === undefined || x.patientId === o.patientId),
    );
    check(
      at >= 0,
      `${n}: no option ${show(o)} in order among ${show(options.map((x) => [x.kind, x.bedId, x.patientId]))}`,
    );
    if (at >= 0) from = at + 1;
  }
  if (want.outcome)
    check(
      want.outcome.test(r.outcome ?? ''),
      `${n}: outcome "${r.outcome}" does not match ${String(want.outcome)}`,
    );
}
