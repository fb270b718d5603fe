import { heldFor } from '../../agents/surgery/test-fixtures.ts';
import type { Database } from '../../db/client.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import type { SurgeryAlternative, SurgeryAttempt, SurgeryPlan } from '../../tools/surgery/store.ts';
import type { GradeContext, RequestExpectation, SurgeryExpectation } from './types.ts';

/** One HTTP call a step made, as the caller saw it. */
export interface SurgeryCall {
  tag: string | undefined;
  op: string;
  status: number;
  body: unknown;
}

const show = (v: unknown) => String(JSON.stringify(v));
const sameJson = (a: unknown, b: unknown) => show(a) === show(b);

interface RequestRow {
  id: string;
  patient_id: string;
  status: string;
  plan: SurgeryPlan | null;
  attempts: SurgeryAttempt[];
  alternatives: SurgeryAlternative[] | null;
  outcome: string | null;
  encounter_id: string | null;
  revenue_task_id: string | null;
}

/**
 * What every trial must show, whatever the scenario: nothing held for a request that is failed or
 * cancelled (stock, team, post-op bed, theatre); a booked request holds exactly what its plan says; no
 * person in two overlapping cases; no two cases in one theatre at once (turnover included); no request
 * left planning, no surgery job left queued; no agent run failed unless the scenario injected a fault;
 * the audit chain intact.
 */
export async function surgeryInvariants(
  database: Database,
  run: { faultsFired: string[] | null },
): Promise<string[]> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const { sql } = database;
  const rows = await sql<RequestRow[]>`select * from surgery_requests order by created_at, id`;
  for (const r of rows) {
    const held = await heldFor(database, r.id);
    if (r.status === 'failed' || r.status === 'cancelled') {
      check(
        sameJson(held, { stock: 0, team: 0, beds: 0, theatres: 0 }),
        `request ${r.id} is ${r.status} but still holds ${show(held)}`,
      );
    }
    if (r.status === 'booked') {
      const want = {
        stock: r.plan?.reservations.length ?? -1,
        team: r.plan?.team.length ?? -1,
        beds: r.plan?.bedBooking ? 1 : 0,
        theatres: 1,
      };
      check(
        sameJson(held, want),
        `request ${r.id} is booked holding ${show(held)}, its plan says ${show(want)}`,
      );
    }
    check(r.status !== 'planning', `request ${r.id} left planning`);
  }
  const overlaps = await sql<{ staff_id: string; a: string; b: string }[]>`
    select a.staff_id, a.theatre_booking_id as a, b.theatre_booking_id as b
    from surgical_team_assignments a join surgical_team_assignments b
      on a.staff_id = b.staff_id and a.id < b.id and a.theatre_booking_id <> b.theatre_booking_id
    where a.status in ('assigned', 'completed') and b.status in ('assigned', 'completed')
      and a.starts_at < b.ends_at and b.starts_at < a.ends_at`;
  for (const o of overlaps)
    failures.push(`staff ${o.staff_id} is in two overlapping cases: ${o.a} and ${o.b}`);
  const clashes = await sql<{ theatre_id: string; a: string; b: string }[]>`
    select a.theatre_id, a.id as a, b.id as b from theatre_bookings a join theatre_bookings b
      on a.theatre_id = b.theatre_id and a.id < b.id
    where a.status in ('booked', 'completed') and b.status in ('booked', 'completed')
      and a.starts_at < b.turnover_ends_at and b.starts_at < a.turnover_ends_at`;
  for (const c of clashes)
    failures.push(`theatre ${c.theatre_id} holds two cases at once: ${c.a} and ${c.b}`);
  const [left] = await sql<{ n: number }[]>`select count(*)::int as n from jobs
    where queue in ('surgery', 'revenue') and status in ('queued', 'running')`;
  check(left!.n === 0, `${left!.n} surgery/revenue jobs left unfinished`);
  if (!run.faultsFired) {
    const failed = await sql`select agent, thread_id, error from agent_runs where status = 'failed'`;
    if (failed.length > 0)
      failures.push(`${failed.length} agent run(s) failed: ${String(show(failed[0])).slice(0, 300)}`);
  }
  const audit = await verifyAuditChain(sql);
  check(audit.intact, `audit chain broken: ${show(audit)}`);
  return failures;
}

/** The invariants, then the scenario's own expectation; one line per difference. */
export async function gradeSurgery(
  g: GradeContext,
  expect: SurgeryExpectation,
  run: {
    calls: SurgeryCall[];
    runErrors: string[];
    gaveUp: string[];
    faultsFired: string[] | null;
    faultsPlanned: number;
  },
): Promise<string[]> {
  const failures = await surgeryInvariants(g.database, run);
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const { sql } = g.database;
  if (run.faultsFired)
    check(
      run.faultsFired.length === run.faultsPlanned,
      `${run.faultsFired.length} of ${run.faultsPlanned} injected faults fired (${run.faultsFired.join(', ')})`,
    );
  failures.push(...run.gaveUp);
  // Without an injected fault no run may throw; with one, a run may, if the retry finishes the work.
  if (!run.faultsFired && run.gaveUp.length === 0)
    for (const e of run.runErrors.slice(0, 1)) failures.push(`surgery agent run threw: ${e}`);
  for (const [tag, want] of Object.entries(expect.calls ?? {})) {
    const got = run.calls.find((c) => c.tag === tag);
    if (!got) {
      failures.push(`no call tagged ${tag}`);
      continue;
    }
    check(
      got.status === want.status,
      `${tag}: HTTP ${got.status}, expected ${want.status} (${show(got.body).slice(0, 200)})`,
    );
    if (want.field) {
      check(
        show(got.body).includes(`"${want.field}"`),
        `${tag}: the problem does not name ${want.field}: ${show(got.body).slice(0, 300)}`,
      );
    }
  }
  if (expect.requestCount !== undefined) {
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from surgery_requests`;
    check(n!.n === expect.requestCount, `${n!.n} surgery requests, expected ${expect.requestCount}`);
  }
  for (const [label, n] of Object.entries(expect.theatreBookingsMade ?? {})) {
    const id = g.ids[label] ?? '(never made)';
    const [made] = await sql<{ n: number }[]>`select count(*)::int as n from theatre_bookings
      where id like ${`${id}.%`}`;
    check(made!.n === n, `${label}: ${made!.n} theatre bookings made, expected ${n}`);
  }
  for (const [label, want] of Object.entries(expect.requests ?? {})) {
    const id = g.ids[label];
    if (!id) {
      failures.push(`request ${label} was never made`);
      continue;
    }
    failures.push(...(await gradeRequest(g.database, label, id, want)));
  }
  if (expect.check) failures.push(...(await expect.check(g)));
  return failures;
}

async function gradeRequest(
  database: Database,
  label: string,
  id: string,
  want: RequestExpectation,
): Promise<string[]> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(`${label}: ${what}`);
  };
  const { sql } = database;
  const [r] = await sql<RequestRow[]>`select * from surgery_requests where id = ${id}`;
  if (!r) return [`${label}: no request ${id}`];
  check(r.status === want.status, `status ${r.status}, expected ${want.status} (${r.outcome})`);
  if (want.held) {
    const held = await heldFor(database, id);
    check(sameJson(held, want.held), `holds ${show(held)}, expected ${show(want.held)}`);
  }
  if (want.theatre)
    check(r.plan?.theatreId === want.theatre, `theatre ${r.plan?.theatreId}, expected ${want.theatre}`);
  if (want.bed !== undefined)
    check(!!r.plan?.bedBooking === want.bed, `post-op bed ${!!r.plan?.bedBooking}, expected ${want.bed}`);
  if (want.substitutes) {
    const subs = Object.fromEntries(
      (r.plan?.reservations ?? []).flatMap((x) => (x.substituteFor ? [[x.itemId, x.substituteFor]] : [])),
    );
    check(sameJson(subs, want.substitutes), `substitutes ${show(subs)}, expected ${show(want.substitutes)}`);
  }
  const steps = r.attempts.map((a) => a.step);
  if (want.attemptSteps)
    check(sameJson(steps, want.attemptSteps), `attempts ${show(steps)}, expected ${show(want.attemptSteps)}`);
  if (want.minAttempts !== undefined)
    check(
      steps.length >= want.minAttempts,
      `${steps.length} attempts, expected at least ${want.minAttempts}`,
    );
  if (want.alternatives !== undefined) {
    const kinds = r.alternatives === null ? null : [...new Set(r.alternatives.map((a) => a.kind))].sort();
    check(
      sameJson(kinds, want.alternatives),
      `alternatives ${show(kinds)}, expected ${show(want.alternatives)}`,
    );
  }
  if (want.orderItems) {
    const items = (r.alternatives ?? [])
      .filter((a) => a.kind === 'order-stock')
      .map((a) => a.itemId)
      .sort();
    check(
      sameJson(items, want.orderItems),
      `order-stock items ${show(items)}, expected ${show(want.orderItems)}`,
    );
  }
  if (want.outcome)
    check(want.outcome.test(r.outcome ?? ''), `outcome ${show(r.outcome)} does not match ${want.outcome}`);
  if (want.consumed !== undefined) {
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from stock_reservations
      where subject_id = ${id} and status = 'consumed'`;
    check(n!.n === want.consumed, `${n!.n} reservations consumed, expected ${want.consumed}`);
  }
  if (want.charges !== undefined) {
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from charges
      where encounter_id = ${r.encounter_id ?? '(none)'} and status <> 'voided'`;
    check(
      n!.n === want.charges,
      `${n!.n} charges on the case's encounter ${r.encounter_id}, expected ${want.charges}`,
    );
  }
  if (want.teamCompleted !== undefined) {
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from surgical_team_assignments
      where subject_id = ${id} and status = 'completed'`;
    check(n!.n === want.teamCompleted, `${n!.n} team members completed, expected ${want.teamCompleted}`);
  }
  if (want.bedRequested !== undefined) {
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from bed_requests
      where patient_id = ${r.patient_id} and requester = 'surgery'`;
    check(
      n!.n === (want.bedRequested ? 1 : 0),
      `${n!.n} bed requests filed by surgery, expected ${want.bedRequested ? 1 : 0}`,
    );
  }
  if (want.claims) {
    const rows = await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from claims
      where encounter_id = ${r.encounter_id ?? '(none)'} group by status order by status`;
    const got = Object.fromEntries(rows.map((x) => [x.status, x.n]));
    check(sameJson(got, want.claims), `claims ${show(got)}, expected ${show(want.claims)}`);
  }
  if (want.revenueTask !== undefined) {
    const [t] = await sql<
      { status: string; outcome: string | null }[]
    >`select status, outcome from revenue_tasks where id = ${r.revenue_task_id ?? '(none)'}`;
    check(
      (t?.status ?? null) === want.revenueTask,
      `revenue task ${t?.status ?? 'none'} (${t?.outcome}), expected ${want.revenueTask}`,
    );
  }
  return failures;
}
