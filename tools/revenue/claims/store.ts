/** The claims table as the operations read and change it: loading, locking, presenting, charges. */
import { randomInt } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../../db/client.ts';
import { billingProfiles, charges, claimPayments, claims } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import type { ClaimDocument, Envelope } from './document.ts';
import type { ClaimChange, ClaimQuestion, ClaimSummary, ClaimView, StoredScrub } from './schema.ts';

export type Db = Database['db'] | Tx;
export type ClaimRow = typeof claims.$inferSelect;

export const documentOf = (row: ClaimRow) => row.document as ClaimDocument;
export const changesOf = (row: ClaimRow) => row.changes as ClaimChange[];
export const scrubOf = (row: ClaimRow) => row.scrub as StoredScrub | null;

/** CLM01: "CLM" and 12 digits (X12 allows 38 characters; payers often keep 20). */
export function newClaimId(): string {
  return `CLM${String(randomInt(0, 1_000_000)).padStart(6, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

export async function requireClaim(db: Db, id: string, opts: { lock?: boolean } = {}): Promise<ClaimRow> {
  const query = db.select().from(claims).where(eq(claims.id, id));
  const [row] = opts.lock ? await query.for('update') : await query;
  if (!row) {
    throw new OperationError('not_found', `No claim ${id}`, [{ field: 'claimId', message: 'no such claim' }]);
  }
  return row;
}

export async function updateClaim(
  tx: Tx,
  id: string,
  values: Partial<typeof claims.$inferInsert>,
): Promise<ClaimRow> {
  const [row] = await tx.update(claims).set(values).where(eq(claims.id, id)).returning();
  return row!;
}

export function summaryOf(row: ClaimRow): ClaimSummary {
  const findings = scrubOf(row)?.findings ?? [];
  return {
    id: row.id,
    encounterId: row.encounterId,
    patientId: row.patientId,
    payerId: row.payerId,
    coverageId: row.coverageId,
    type: row.type,
    frequency: row.frequency,
    replacesClaimId: row.replacesClaimId,
    status: row.status,
    totalChargeCents: row.totalChargeCents,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    payerClaimNumber: row.payerClaimNumber,
    submissionId: row.submissionId,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function viewOf(db: Db, row: ClaimRow): Promise<ClaimView> {
  const payments = await db
    .select({
      count: sql<number>`count(*)::int`,
      paid: sql<number>`coalesce(sum(${claimPayments.paidCents}), 0)::int`,
      patient: sql<number>`coalesce(sum(${claimPayments.patientResponsibilityCents}), 0)::int`,
      last: sql<
        string | null
      >`(array_agg(${claimPayments.claimStatusCode} order by ${claimPayments.postedAt} desc))[1]`,
    })
    .from(claimPayments)
    .where(eq(claimPayments.claimId, row.id));
  const p = payments[0];
  return {
    ...summaryOf(row),
    document: row.document,
    scrub: scrubOf(row),
    changes: changesOf(row),
    question: (row.question as ClaimQuestion | null) ?? null,
    payments: {
      count: p?.count ?? 0,
      paidCents: p?.paid ?? 0,
      patientResponsibilityCents: p?.patient ?? 0,
      adjustedCents: row.adjustedCents,
      lastStatusCode: p?.last ?? null,
    },
  };
}

/** The charges billed on a claim back to open (the claim is void, or a line left it). */
export async function reopenCharges(tx: Tx, claimId: string, chargeIds?: readonly string[]): Promise<number> {
  const where =
    chargeIds === undefined
      ? and(eq(charges.claimId, claimId), eq(charges.status, 'billed'))
      : and(eq(charges.claimId, claimId), eq(charges.status, 'billed'), inArray(charges.id, [...chargeIds]));
  if (chargeIds !== undefined && chargeIds.length === 0) return 0;
  const rows = await tx
    .update(charges)
    .set({ status: 'open', claimId: null })
    .where(where)
    .returning({ id: charges.id });
  return rows.length;
}

/** The hospital as it bills: the profile 'default', else the first. */
export async function billingProfile(db: Db) {
  const rows = await db
    .select()
    .from(billingProfiles)
    .orderBy(sql`${billingProfiles.id} <> 'default'`, billingProfiles.id)
    .limit(1);
  const p = rows[0];
  if (!p) {
    throw new OperationError(
      'invalid',
      'No billing profile: the hospital’s NPI, tax id and submitter id are needed to bill',
      [{ field: 'billing_profiles', message: 'add the hospital’s billing profile' }],
    );
  }
  return p;
}

/** ISA/GS sender and receiver, 1000A submitter and 1000B receiver, from the billing profile. */
export function envelopeOf(p: Awaited<ReturnType<typeof billingProfile>>): Envelope {
  return {
    submitter: {
      entityType: '2',
      name: p.name,
      idQualifier: '46',
      id: p.submitterId,
      contacts: [
        { function: 'IC', name: p.contactName, numbers: [{ qualifier: 'TE', value: p.contactPhone }] },
      ],
    },
    receiver: { entityType: '2', name: p.receiverName, idQualifier: '46', id: p.receiverId },
    // ISA05/07 ZZ: mutually defined ids (the ETINs the clearinghouse assigned).
    sender: { qualifier: 'ZZ', id: p.submitterId },
    receiverId: { qualifier: 'ZZ', id: p.receiverId },
  };
}

export function change(
  field: string,
  before: unknown,
  after: unknown,
  reason: string,
  by: string,
  at: Date,
): ClaimChange {
  return { field, before: before ?? null, after: after ?? null, reason, by, at: at.toISOString() };
}
