import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { claimSubmissions, denialWorkItems, payers, revenueTasks } from '../../db/schema/index.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import { type ClaimDocument, documentHash } from '../../tools/revenue/claims/document.ts';
import type { StoredScrub } from '../../tools/revenue/claims/schema.ts';
import { errorsOf, scrubStored } from '../../tools/revenue/claims/scrub-context.ts';
import { parseX12 } from '../../tools/revenue/x12/parse.ts';
import type { RevenueCall } from './harness.ts';
import { claimsNow, describeRef, matching, type StoredClaim } from './state.ts';
import type { ClaimExpectation, RevenueExpectation } from './types.ts';

const show = (v: unknown) => JSON.stringify(v);
const brief = (detail: string) => detail.replace(/CLM\d{12}/g, 'CLM…').slice(0, 300);
const SENT = new Set(['submitted', 'paid', 'partially-paid', 'denied', 'replaced']);

/** The claim ids inside an 837 file (every interchange, group, transaction, billing provider, subscriber). */
export function claimIdsInFile(text: string): string[] {
  return parseX12(text)
    .interchanges.flatMap((i) => i.groups.flatMap((g) => g.transactions))
    .flatMap((t) => (t.type === '835' ? [] : t.billingProviders.flatMap((b) => b.subscribers)))
    .flatMap((s) => s.claims.map((c) => c.id));
}

/**
 * The invariants every scenario keeps, then the scenario's own expectation; one line per difference.
 * Invariants: every claim a payer has (submitted, paid, partially paid, denied, replaced) went out in a
 * recorded submission, its last stored scrub has no error and is of the document as stored, and the
 * scrubber run again on that document as of its submission finds no error either (duplicates aside: a
 * later claim may now match it); every outbox file parses and holds only claims recorded as submitted
 * in it, one file per submission; no revenue job is left queued, no task left open, no agent run
 * failed; the audit chain is intact.
 */
export async function gradeRevenue(
  database: Database,
  expect: RevenueExpectation,
  run: { calls: RevenueCall[]; outbox: string },
): Promise<string[]> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const stored = await claimsNow(database);
  const submissions = await database.db.select().from(claimSubmissions);
  const submittedIn = new Map(submissions.flatMap((s) => s.claimIds.map((id) => [id, s] as const)));

  for (const { row } of stored) {
    if (!SENT.has(row.status)) continue;
    check(submittedIn.has(row.id), `claim ${row.id} is ${row.status} but no submission lists it`);
    const scrub = row.scrub as StoredScrub | null;
    check(
      !!scrub && errorsOf(scrub).length === 0,
      `claim ${row.id} (${row.status}) went out with scrub errors ${show(scrub ? errorsOf(scrub).map((f) => f.code) : 'none stored')}`,
    );
    check(
      scrub?.documentSha256 === documentHash(row.document as ClaimDocument),
      `claim ${row.id}: the stored scrub is not of the stored document`,
    );
    if (row.submittedAt) {
      const again = await scrubStored(database.db, row, row.submittedAt);
      const errors = errorsOf(again).filter((f) => f.code !== 'DUPLICATE_CLAIM');
      check(
        errors.length === 0,
        `claim ${row.id} re-scrubbed as of its submission: ${show(errors.map((f) => `${f.code} ${f.field}`))}`,
      );
    }
  }
  const payerIds = new Map(
    (await database.db.select({ id: payers.id, x12: payers.x12PayerId }).from(payers)).map((p) => [
      p.id,
      p.x12,
    ]),
  );
  const files = readdirSync(run.outbox).filter((f) => f.endsWith('.x12'));
  const inFiles: string[] = [];
  for (const f of files) {
    try {
      const ids = claimIdsInFile(readFileSync(join(run.outbox, f), 'utf8'));
      // Named <ISA13>-<payer's X12 id>.x12 by the outbox adapter: every claim inside is for that payer.
      const payer = f
        .replace(/\.x12$/, '')
        .split('-')
        .slice(1)
        .join('-');
      for (const id of ids) {
        check(submittedIn.has(id), `outbox file ${f} holds ${id}, which no submission records`);
        const claimPayer = payerIds.get(stored.find((c) => c.row.id === id)?.row.payerId ?? '');
        check(claimPayer === payer, `outbox file ${f} holds ${id}, a claim for ${claimPayer}`);
      }
      inFiles.push(...ids);
    } catch (err) {
      failures.push(`outbox file ${f} does not parse: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  check(
    files.length === submissions.length,
    `${files.length} outbox files for ${submissions.length} recorded submissions`,
  );
  const [left] =
    await database.sql`select count(*)::int as n from jobs where queue = 'revenue' and status in ('queued', 'running')`;
  check(left!.n === 0, `${left!.n} revenue jobs left unfinished`);
  const failed =
    await database.sql`select thread_id, error from agent_runs where agent = 'revenue' and status = 'failed'`;
  check(failed.length === 0, `revenue agent runs failed: ${show(failed)}`);
  const tasks = await database.db.select().from(revenueTasks).orderBy(asc(revenueTasks.createdAt));
  for (const t of tasks) check(t.status !== 'open', `task ${t.kind} ${t.subjectId} left open`);
  const audit = await verifyAuditChain(database.sql);
  check(audit.intact, `audit chain broken: ${show(audit)}`);

  for (const [encounter, n] of Object.entries(expect.claimCounts ?? {})) {
    const got = matching(stored, { encounter }).length;
    check(got === n, `${encounter}: ${got} claims, expected ${n}`);
  }
  for (const e of expect.claims ?? []) gradeClaim(stored, e, check);
  for (const [encounter, want] of Object.entries(expect.charges ?? {})) {
    const rows = await database.sql<{ status: string; n: number }[]>`select status, count(*)::int as n
      from charges where encounter_id = ${encounter} group by status`;
    const got = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    for (const [status, n] of Object.entries(want))
      check((got[status] ?? 0) === n, `${encounter}: ${got[status] ?? 0} ${status} charges, expected ${n}`);
  }
  if (expect.remittances !== undefined) {
    const [r] = await database.sql`select count(*)::int as n from remittances`;
    check(r!.n === expect.remittances, `${r!.n} remittances, expected ${expect.remittances}`);
  }
  if (expect.payments) {
    const rows = await database.sql<{ status: string; n: number }[]>`select status, count(*)::int as n
      from claim_payments group by status`;
    const got = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    if (expect.payments.posted !== undefined)
      check(
        (got.posted ?? 0) === expect.payments.posted,
        `${got.posted ?? 0} payments posted, expected ${expect.payments.posted}`,
      );
    if (expect.payments.held !== undefined)
      check(
        (got.held ?? 0) === expect.payments.held,
        `${got.held ?? 0} payments held, expected ${expect.payments.held}`,
      );
  }
  if (expect.workItems)
    gradeWorkItems(stored, expect, await database.db.select().from(denialWorkItems), check);
  if (expect.tasks) {
    check(
      tasks.length === expect.tasks.length,
      `${tasks.length} revenue tasks, expected ${expect.tasks.length}`,
    );
    expect.tasks.forEach((e, i) => {
      const t = tasks[i];
      if (!t) return;
      const n = `task ${i + 1} (${t.kind} ${t.subjectId})`;
      check(t.kind === e.kind, `${n}: kind ${t.kind}, expected ${e.kind}`);
      check(t.status === e.status, `${n}: ${t.status} (${t.outcome ?? ''}), expected ${e.status}`);
      if (e.outcome)
        check(
          e.outcome.test(t.outcome ?? ''),
          `${n}: outcome ${show(t.outcome)} does not match ${e.outcome}`,
        );
      for (const pattern of e.notesOnce ?? []) {
        const n2 = t.notes.filter((x) => pattern.test(x)).length;
        check(n2 === 1, `${n}: ${n2} notes match ${pattern}, expected exactly one`);
      }
      for (const pattern of e.notes ?? [])
        check(
          t.notes.some((x) => pattern.test(x)),
          `${n}: no note matches ${pattern} in ${show(t.notes)}`,
        );
    });
  }
  if (expect.outbox) {
    check(
      files.length === expect.outbox.files,
      `${files.length} outbox files, expected ${expect.outbox.files}`,
    );
    if (expect.outbox.claims) {
      const want = expect.outbox.claims.map(
        (ref) => matching(stored, ref)[ref.nth ?? 0]?.row.id ?? describeRef(ref),
      );
      check(
        show([...inFiles].sort()) === show([...want].sort()),
        `outbox holds ${show(inFiles.sort())}, expected ${show(want.sort())}`,
      );
    }
  }
  for (const [tag, want] of Object.entries(expect.calls ?? {})) {
    const c = run.calls.find((x) => x.tag === tag);
    if (!c) {
      failures.push(`call ${tag} not made`);
      continue;
    }
    check(
      c.status === want.status,
      `call ${tag}: status ${c.status} (${brief(c.detail)}), expected ${want.status}`,
    );
    if (want.detail)
      check(want.detail.test(c.detail), `call ${tag}: ${brief(c.detail)} does not match ${want.detail}`);
  }
  for (const race of expect.raced ?? []) {
    const got = race.tags.map((t) => run.calls.find((c) => c.tag === t)?.status ?? 0).sort((a, b) => a - b);
    check(
      show(got) === show([...race.statuses].sort((a, b) => a - b)),
      `concurrent calls ${race.tags.join(', ')}: statuses ${show(got)}, expected ${show(race.statuses)}`,
    );
  }
  return failures;
}

function gradeClaim(stored: StoredClaim[], e: ClaimExpectation, check: (ok: boolean, what: string) => void) {
  const found = matching(stored, e)[e.nth ?? 0];
  const n = `claim ${describeRef(e)}`;
  if (!found) {
    check(false, `${n}: not built`);
    return;
  }
  const { row } = found;
  const doc = row.document as ClaimDocument;
  const scrub = row.scrub as StoredScrub | null;
  const changes = row.changes as { field: string }[];
  if (e.status) check(row.status === e.status, `${n}: ${row.status}, expected ${e.status}`);
  if (e.replaces !== undefined) {
    const names = row.replacesClaimId !== null && !!doc.claim.originalClaimNumber;
    check(
      names === e.replaces,
      `${n}: replaces ${row.replacesClaimId} (REF*F8 ${doc.claim.originalClaimNumber}), expected ${e.replaces ? 'a claim' : 'none'}`,
    );
  }
  if (e.errorCodes) {
    const got = (scrub ? errorsOf(scrub).map((f) => f.code) : []).sort();
    check(
      show(got) === show([...e.errorCodes].sort()),
      `${n}: scrub errors ${show(got)}, expected ${show(e.errorCodes)}`,
    );
  }
  if (e.changes !== undefined)
    check(
      changes.length === e.changes,
      `${n}: ${changes.length} changes ${show(changes.map((c) => c.field))}, expected ${e.changes}`,
    );
  if (e.changedFields) {
    const got = [...new Set(changes.map((c) => c.field))].sort();
    check(
      show(got) === show([...e.changedFields].sort()),
      `${n}: changed ${show(got)}, expected ${show(e.changedFields)}`,
    );
  }
  if (e.paidCents !== undefined)
    check(row.paidCents === e.paidCents, `${n}: paid ${row.paidCents}, expected ${e.paidCents}`);
  if (e.patientResponsibilityCents !== undefined)
    check(
      row.patientResponsibilityCents === e.patientResponsibilityCents,
      `${n}: patient responsibility ${row.patientResponsibilityCents}, expected ${e.patientResponsibilityCents}`,
    );
  if (e.lines !== undefined)
    check(doc.claim.lines.length === e.lines, `${n}: ${doc.claim.lines.length} lines, expected ${e.lines}`);
  for (const [code, modifiers] of Object.entries(e.modifiersByCode ?? {})) {
    const line = doc.claim.lines.find((l) => l.procedure?.code === code);
    const got = line?.procedure?.modifiers ?? null;
    check(show(got) === show(modifiers), `${n}: ${code} modifiers ${show(got)}, expected ${show(modifiers)}`);
  }
  if (e.lineUnits) {
    const got = doc.claim.lines.map((l) => l.units);
    check(show(got) === show(e.lineUnits), `${n}: units ${show(got)}, expected ${show(e.lineUnits)}`);
  }
  if (e.diagnoses) {
    const got = doc.claim.diagnoses.map((d) => d.code);
    check(show(got) === show(e.diagnoses), `${n}: diagnoses ${show(got)}, expected ${show(e.diagnoses)}`);
  }
}

type WorkItemRow = typeof denialWorkItems.$inferSelect;

/** Work items by the claim named (in creation order among that claim's), else in creation order. */
function gradeWorkItems(
  stored: StoredClaim[],
  expect: RevenueExpectation,
  rows: WorkItemRow[],
  check: (ok: boolean, what: string) => void,
) {
  const want = expect.workItems ?? [];
  const sorted = [...rows].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
  );
  check(
    sorted.length === want.length,
    `${sorted.length} work items ${show(sorted.map((w) => `${w.category}/${w.suggestedAction}`))}, expected ${want.length}`,
  );
  const used = new Set<string>();
  want.forEach((e, i) => {
    const claimId = e.claim ? matching(stored, e.claim)[e.claim.nth ?? 0]?.row.id : e.claim;
    const item =
      e.claim === undefined
        ? sorted.filter((w) => !used.has(w.id))[0]
        : sorted.find((w) => !used.has(w.id) && w.claimId === (claimId ?? null));
    const n = `work item ${i + 1}${e.claim ? ` on ${describeRef(e.claim)}` : ''}`;
    if (!item) {
      check(false, `${n}: none`);
      return;
    }
    used.add(item.id);
    const draft = item.draft as { kind?: string; approvedBy?: string; declined?: unknown } | null;
    if (e.category)
      check(item.category === e.category, `${n}: category ${item.category}, expected ${e.category}`);
    if (e.suggestedAction)
      check(
        item.suggestedAction === e.suggestedAction,
        `${n}: action ${item.suggestedAction}, expected ${e.suggestedAction}`,
      );
    if (e.status) check(item.status === e.status, `${n}: ${item.status}, expected ${e.status}`);
    if (e.resolution !== undefined)
      check(
        item.resolution === e.resolution,
        `${n}: resolution ${item.resolution}, expected ${e.resolution}`,
      );
    if (e.draftKind !== undefined)
      check(
        (draft?.kind ?? null) === e.draftKind,
        `${n}: draft ${draft?.kind ?? null}, expected ${e.draftKind}`,
      );
    if (e.approved !== undefined)
      check(!!draft?.approvedBy === e.approved, `${n}: draft approved by ${draft?.approvedBy ?? 'nobody'}`);
    if (e.declined !== undefined)
      check(!!draft?.declined === e.declined, `${n}: draft declined ${show(draft?.declined ?? null)}`);
  });
}
