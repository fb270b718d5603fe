/**
 * Posting an 835 in the database: the remittance, one claim_payments row per CLP, the claim's running
 * totals and status, and the work item a denial, short payment or unmatched payment calls for.
 * Everything here runs inside the caller's transaction.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { claimPayments, claims, denialWorkItems, payers, remittances } from '../../../db/schema/index.ts';
import type { RemittanceTransaction, X12File } from '../x12/types.ts';
import { type DenialDecision, decideDenial } from './denial-rules.ts';
import {
  balanceWarning,
  claimDeltas,
  type PaymentFacts,
  paymentFacts,
  paymentOutcome,
  providerAdjustments,
  REVERSAL,
} from './payment.ts';
import { ClaimRecords } from './claim-records.ts';
import { remittanceVocabulary } from './vocabulary.ts';

export type ClaimRow = typeof claims.$inferSelect;
export type ClaimPaymentRow = typeof claimPayments.$inferSelect;

/** Claims a payment may be posted to: submitted, or already adjudicated (a reversal or a second payment). */
export const POSTABLE_STATUSES: readonly ClaimRow['status'][] = [
  'submitted',
  'paid',
  'partially-paid',
  'denied',
];

export function remittancesOf(file: X12File): RemittanceTransaction[] {
  return file.interchanges.flatMap((i) =>
    i.groups.flatMap((g) => g.transactions.filter((t): t is RemittanceTransaction => t.type === '835')),
  );
}

export function balanceWarnings(file: X12File): string[] {
  return remittancesOf(file)
    .map(balanceWarning)
    .filter((w): w is string => w !== null);
}

export interface PostInput {
  text: string;
  sha256: string;
  fileName: string | null;
  file: X12File;
  actorId: string;
  now: Date;
}

/** The remittance already posted with these bytes, or the one posted now. */
export async function postRemittance(
  tx: Tx,
  input: PostInput,
): Promise<{ remittanceId: string; alreadyPosted: boolean; claimCount: number; heldCount: number }> {
  // Serialises posters of the same bytes: the second waits, then finds the first's remittance.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${input.sha256}, 0))`);
  const [earlier] = await tx
    .select({ id: remittances.id, claimCount: remittances.claimCount, heldCount: remittances.heldCount })
    .from(remittances)
    .where(eq(remittances.sha256, input.sha256));
  if (earlier) return { remittanceId: earlier.id, alreadyPosted: true, ...earlier };

  const v = remittanceVocabulary();
  const txs = remittancesOf(input.file);
  const first = txs[0];
  const distinct = (values: (string | undefined)[]) =>
    [...new Set(values.filter((x): x is string => !!x))].join('; ') || null;
  const remittanceId = `rem-${randomUUID()}`;
  const allClaims = txs.flatMap((t) => t.claims.map((c) => ({ c, t })));
  await tx.insert(remittances).values({
    id: remittanceId,
    sha256: input.sha256,
    fileName: input.fileName,
    payerName: distinct(txs.map((t) => t.payer.name)),
    x12PayerId: distinct(
      txs.map((t) => t.payer.id ?? t.payer.references?.find((r) => r.qualifier === '2U')?.value),
    ),
    // A debit (BPR03 D) is money taken back.
    paymentCents: txs.reduce(
      (s, t) => s + Math.round(t.payment.amount * 100) * (t.payment.creditDebit === 'D' ? -1 : 1),
      0,
    ),
    traceNumber: distinct(txs.map((t) => t.trace?.number)),
    paidOn: first?.payment.date ?? null,
    providerAdjustments: txs.flatMap((t) => providerAdjustments(t, v)),
    claimCount: allClaims.length,
    heldCount: 0,
    text: input.text,
    postedBy: input.actorId,
    receivedAt: input.now,
  });

  // Locked in one global order (byte order: JavaScript's sort and COLLATE "C" agree for these ids), so
  // two files paying the same claims cannot deadlock, however the ids fall into chunks.
  const ids = [...new Set(allClaims.map(({ c }) => c.claimId))].sort();
  const found = new Map<string, ClaimRow>();
  for (let k = 0; k < ids.length; k += 1000) {
    const rows = await tx
      .select()
      .from(claims)
      .where(inArray(claims.id, ids.slice(k, k + 1000)))
      .orderBy(sql`${claims.id} collate "C"`)
      .for('update');
    for (const r of rows) found.set(r.id, r);
  }
  const x12PayerOf = new Map(
    (await tx.select({ id: payers.id, x12: payers.x12PayerId }).from(payers)).map((p) => [p.id, p.x12]),
  );
  const record = new ClaimRecords(tx, v);
  await record.preloadCharges([...found.keys()]);
  const payments: (typeof claimPayments.$inferInsert)[] = [];
  const items: { claimId: string | null; paymentId: string; decision: DenialDecision }[] = [];
  const changed = new Set<string>();
  let heldCount = 0;
  for (const [k, { c, t }] of allClaims.entries()) {
    const facts = paymentFacts(c, t, v);
    const paymentId = `${remittanceId}:${String(k + 1).padStart(6, '0')}`;
    const claim = found.get(c.claimId);
    const sender = payerIdsOf(t);
    const sentTo = claim ? x12PayerOf.get(claim.payerId) : undefined;
    const holdReason = !claim
      ? `no claim has patient control number ${c.claimId}`
      : !POSTABLE_STATUSES.includes(claim.status)
        ? `claim ${claim.id} is ${claim.status}: only a submitted claim takes a payment`
        : sender.length > 0 && sentTo !== undefined && !sender.includes(sentTo)
          ? `the 835 is from payer ${sender.join(' / ')}, but claim ${claim.id} was sent to payer ${sentTo}`
          : null;
    payments.push({
      id: paymentId,
      remittanceId,
      patientControlNumber: facts.patientControlNumber,
      claimId: holdReason ? null : c.claimId,
      status: holdReason ? 'held' : 'posted',
      holdReason,
      claimStatusCode: facts.claimStatusCode,
      chargeCents: facts.chargeCents,
      paidCents: facts.paidCents,
      patientResponsibilityCents: facts.patientResponsibilityCents,
      payerClaimNumber: facts.payerClaimNumber,
      adjustments: facts.detail,
      lines: facts.lines,
      postedAt: input.now,
    });
    if (holdReason || !claim) {
      heldCount++;
      items.push({ claimId: null, paymentId, decision: unmatchedDecision(facts, holdReason ?? '') });
      continue;
    }
    const posted = await applyPayment(claim, facts, input.now, record);
    found.set(claim.id, posted.claim);
    changed.add(claim.id);
    if (posted.decision) items.push({ claimId: claim.id, paymentId, decision: posted.decision });
  }
  await saveClaimTotals(
    tx,
    [...changed].map((id) => found.get(id)!),
  );
  // In chunks: one statement per 500 rows keeps well under PostgreSQL's 65,535 parameters.
  for (let k = 0; k < payments.length; k += 500)
    await tx.insert(claimPayments).values(payments.slice(k, k + 500));
  for (let k = 0; k < items.length; k += 500) {
    await tx
      .insert(denialWorkItems)
      .values(items.slice(k, k + 500).map((i) => workItemRow(i.claimId, i.paymentId, i.decision, input.now)));
  }
  if (heldCount > 0) await tx.update(remittances).set({ heldCount }).where(eq(remittances.id, remittanceId));
  return { remittanceId, alreadyPosted: false, claimCount: allClaims.length, heldCount };
}

/**
 * The payer ids an 835 names (N1*PR N104, REF*2U): a payment from another payer than the claim's is held,
 * not posted (a misdirected or crossover remittance). An 835 naming none cannot be checked.
 */
function payerIdsOf(t: RemittanceTransaction): string[] {
  const ids = [
    t.payer.id,
    ...(t.payer.references ?? []).filter((r) => r.qualifier === '2U').map((r) => r.value),
  ];
  return [...new Set(ids.filter((id): id is string => Boolean(id)))];
}

export function unmatchedDecision(facts: PaymentFacts, holdReason: string): DenialDecision {
  return {
    category: 'unmatched-remittance',
    action: 'review',
    rule: `${holdReason}: match the payment to a claim (match_held_payment) or return it to the payer`,
    reasons: facts.detail.adjustments.map((a) => ({
      group: a.group,
      carc: a.carc,
      description: a.carcDescription,
      amountCents: a.amountCents,
      ...(a.line !== undefined ? { line: a.line } : {}),
    })),
    amountCents: facts.paidCents,
  };
}

export function workItemRow(claimId: string | null, paymentId: string, d: DenialDecision, now: Date) {
  return {
    id: `den-${randomUUID()}`,
    claimId,
    claimPaymentId: paymentId,
    category: d.category,
    suggestedAction: d.action,
    reasons: { reasons: d.reasons, rule: d.rule },
    amountCents: d.amountCents,
    status: 'open' as const,
    createdAt: now,
  };
}

/**
 * What one payment makes of its (locked) claim: running totals, payer claim number and status, and the
 * work item the payment calls for. The caller writes both (a whole file's claims in a few statements).
 */
export async function applyPayment(
  claim: ClaimRow,
  facts: PaymentFacts,
  now: Date,
  record: ClaimRecords,
): Promise<{ claim: ClaimRow; decision: DenialDecision | null }> {
  const delta = claimDeltas(facts);
  const reversal = facts.claimStatusCode === REVERSAL;
  const outcome = paymentOutcome(facts);
  const paidCents = claim.paidCents + delta.paid;
  const updated: ClaimRow = {
    ...claim,
    paidCents,
    patientResponsibilityCents: claim.patientResponsibilityCents + delta.patient,
    adjustedCents: claim.adjustedCents + delta.adjusted,
    payerClaimNumber: facts.payerClaimNumber ?? claim.payerClaimNumber,
    // A reversal that takes back everything reopens the claim for the payer's reprocessed payment.
    status: reversal ? (paidCents === 0 ? 'submitted' : 'partially-paid') : outcome,
    updatedAt: now,
  };
  const decision = decideDenial({
    ...(await record.denialContext(claim, facts)),
    outcome,
    reversal,
    adjustments: facts.detail.adjustments,
    remarks: facts.detail.remarks,
    lines: facts.lines,
  });
  const paidAgain = claim.status === 'paid' && facts.paidCents > 0;
  if (!decision && !reversal && (paidAgain || updated.paidCents > claim.totalChargeCents)) {
    // A claim paid in full and paid again (with no reversal), or paid more than billed: the money is
    // not the hospital's to keep.
    return {
      claim: updated,
      decision: {
        category: 'other',
        action: 'review',
        rule: `overpaid: claim ${claim.id} ${paidAgain ? 'was already paid in full' : 'is paid more than its charge'} (payments now ${updated.paidCents} cents, charge ${claim.totalChargeCents}): refund the excess or expect a recoupment`,
        reasons: [],
        amountCents: paidAgain ? facts.paidCents : updated.paidCents - claim.totalChargeCents,
      },
    };
  }
  return { claim: updated, decision };
}

/** Writes the posted totals and status of these claims, 500 to a statement. */
export async function saveClaimTotals(tx: Tx, rows: readonly ClaimRow[]): Promise<void> {
  for (let k = 0; k < rows.length; k += 500) {
    const values = rows
      .slice(k, k + 500)
      .map(
        (c) =>
          sql`(${c.id}::text, ${c.paidCents}::int, ${c.patientResponsibilityCents}::int, ${c.adjustedCents}::int, ${c.payerClaimNumber}::text, ${c.status}::text, ${c.updatedAt.toISOString()}::timestamptz)`,
      );
    await tx.execute(sql`
      update claims as c set paid_cents = v.paid, patient_responsibility_cents = v.patient,
        adjusted_cents = v.adjusted, payer_claim_number = v.pcn, status = v.status, updated_at = v.at
      from (values ${sql.join(values, sql`, `)}) as v(id, paid, patient, adjusted, pcn, status, at)
      where c.id = v.id`);
  }
}

/** A claim_payments row back as the facts it was posted from. */
export function factsOfPayment(row: ClaimPaymentRow): PaymentFacts {
  return {
    patientControlNumber: row.patientControlNumber,
    claimStatusCode: row.claimStatusCode,
    chargeCents: row.chargeCents,
    paidCents: row.paidCents,
    patientResponsibilityCents: row.patientResponsibilityCents,
    payerClaimNumber: row.payerClaimNumber,
    detail: row.adjustments as PaymentFacts['detail'],
    lines: row.lines as PaymentFacts['lines'],
  };
}
