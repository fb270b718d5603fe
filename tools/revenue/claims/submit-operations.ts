/** submit_claims: scrub again, write one interchange, hand it to the payer's clearinghouse, mark the claims. */
import { createHash, randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../db/client.ts';
import { charges, claimSubmissions, claims, payers } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../../core/operation.ts';
import { clearinghouseFor } from '../clearinghouse/adapter.ts';
import { serialize837 } from '../x12/write-837.ts';
import { type ClaimDocument, chargeIdOf, interchangeOptions, transactionsOf } from './document.ts';
import { claimIdSchema, claimSummarySchema } from './schema.ts';
import { errorsOf, scrubStored } from './scrub-context.ts';
import { billingProfile, type ClaimRow, envelopeOf, reopenCharges, summaryOf, updateClaim } from './store.ts';

const sendable: readonly ClaimRow['status'][] = ['draft', 'ready'];

/** The claim a replacement or void supersedes takes its new status once the payer has been sent it. */
async function supersede(tx: Tx, row: ClaimRow, now: Date): Promise<void> {
  if (!row.replacesClaimId) return;
  const [original] = await tx.select().from(claims).where(eq(claims.id, row.replacesClaimId)).for('update');
  if (!original) return;
  if (row.frequency === '7') {
    const kept = new Set(
      (row.document as ClaimDocument).claim.lines.map(chargeIdOf).filter((x) => x !== undefined),
    );
    const billed = await tx.select({ id: charges.id }).from(charges).where(eq(charges.claimId, original.id));
    const moved = billed.filter((c) => kept.has(c.id)).map((c) => c.id);
    const dropped = billed.filter((c) => !kept.has(c.id)).map((c) => c.id);
    if (moved.length > 0) await tx.update(charges).set({ claimId: row.id }).where(inArray(charges.id, moved));
    await reopenCharges(tx, original.id, dropped);
    await updateClaim(tx, original.id, { status: 'replaced', updatedAt: now });
  } else if (row.frequency === '8') {
    await reopenCharges(tx, original.id);
    await updateClaim(tx, original.id, { status: 'void', updatedAt: now });
  }
}

export const submitClaims = defineOperation({
  name: 'submit_claims',
  module: 'revenue',
  title: 'Submit claims to the clearinghouse',
  description:
    'Sends claims for one payer as one X12 837 interchange through the payer’s clearinghouse route. Each claim ' +
    'is scrubbed again now (a stored status is not trusted): if any has an error finding, the whole call is ' +
    'refused naming every claim and error, and nothing is sent. A replacement (frequency 7) makes its original ' +
    'replaced, a void (8) makes it void. A claim already submitted is refused. Returns the submission (interchange ' +
    'control number, where the file went) and the claims.',
  input: z.object({
    claimIds: z
      .array(claimIdSchema)
      .min(1)
      .max(500)
      .refine((ids) => new Set(ids).size === ids.length, 'each claim once'),
  }),
  output: z.object({
    submissionId: z.string(),
    interchangeControl: z.number().int(),
    adapter: z.string(),
    location: z.string(),
    bytes: z.number().int(),
    claims: z.array(claimSummarySchema),
  }),
  scope: 'revenue:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'submit_claims', input, async (tx) => {
      // Locked in id order: two submissions of overlapping claims wait for each other, never deadlock.
      const rows = await tx
        .select()
        .from(claims)
        .where(inArray(claims.id, input.claimIds))
        .orderBy(asc(claims.id))
        .for('update');
      const missing = input.claimIds.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length > 0) {
        throw new OperationError(
          'not_found',
          `No claim ${missing.join(', ')}`,
          missing.map((id) => ({
            field: `claimIds.${input.claimIds.indexOf(id)}`,
            message: `no claim ${id}`,
          })),
        );
      }
      for (const r of rows) assertPatientAccess(ctx, r.patientId);
      const done = rows.filter((r) => r.submittedAt !== null || !sendable.includes(r.status));
      if (done.length > 0) {
        throw new OperationError(
          'conflict',
          `Not sendable: ${done.map((r) => `${r.id} is ${r.status}`).join('; ')}`,
          done.map((r) => ({
            field: `claimIds.${input.claimIds.indexOf(r.id)}`,
            message: `${r.id} is ${r.status}`,
          })),
        );
      }
      const payerIds = [...new Set(rows.map((r) => r.payerId))];
      if (payerIds.length > 1) {
        throw new OperationError(
          'invalid',
          `One submission goes to one payer; these claims are for ${payerIds.join(', ')}`,
          [{ field: 'claimIds', message: 'claims for more than one payer' }],
        );
      }
      for (const r of rows) {
        if (!r.replacesClaimId) continue;
        const [original] = await tx
          .select({ status: claims.status })
          .from(claims)
          .where(eq(claims.id, r.replacesClaimId));
        if (!original || original.status === 'void' || original.status === 'replaced') {
          throw new OperationError(
            'conflict',
            `${r.id} supersedes ${r.replacesClaimId}, which is ${original?.status ?? 'missing'}`,
            [
              {
                field: `claimIds.${input.claimIds.indexOf(r.id)}`,
                message: `original ${r.replacesClaimId} is ${original?.status ?? 'missing'}`,
              },
            ],
          );
        }
      }
      const scrubs = new Map<string, Awaited<ReturnType<typeof scrubStored>>>();
      const refused: string[] = [];
      for (const r of rows) {
        const scrub = await scrubStored(tx, r, now);
        scrubs.set(r.id, scrub);
        const errors = errorsOf(scrub);
        if (errors.length > 0)
          refused.push(`${r.id}: ${errors.map((e) => `${e.code} (${e.field}) ${e.message}`).join('; ')}`);
      }
      if (refused.length > 0) {
        throw new OperationError(
          'invalid',
          `Nothing submitted; the scrubber finds errors now. ${refused.join(' | ')}`,
          rows
            .filter((r) => errorsOf(scrubs.get(r.id)!).length > 0)
            .map((r) => ({
              field: `claimIds.${input.claimIds.indexOf(r.id)}`,
              message: errorsOf(scrubs.get(r.id)!)
                .map((e) => e.code)
                .join(', '),
            })),
        );
      }
      const [payer] = await tx.select().from(payers).where(eq(payers.id, payerIds[0]!));
      const adapter = clearinghouseFor(payer!.clearinghouse);
      const envelope = envelopeOf(await billingProfile(tx));
      // ISA13 from the sequence: unique across every file the hospital sends. A failed hand-over leaves
      // the number spent (sequences are not transactional): a gap, never a reuse.
      const [next] = await tx.execute<{ n: string }>(sql`select nextval('x12_interchange_control') as n`);
      const control = Number(next!.n);
      let transaction = 0;
      const docs = input.claimIds.map((id) => rows.find((r) => r.id === id)!.document as ClaimDocument);
      const bytes = serialize837(
        transactionsOf(docs, envelope, {
          referenceId: String(control),
          date: now.toISOString().slice(0, 10).replaceAll('-', ''),
          time: now.toISOString().slice(11, 16).replace(':', ''),
        }),
        interchangeOptions(envelope, now, {
          next: (kind) => (kind === 'transaction' ? ++transaction : control),
        }),
      );
      const { location } = await adapter.submit({
        bytes,
        interchangeControl: control,
        claimIds: input.claimIds,
        payer: payer!.x12PayerId,
      });
      const submissionId = randomUUID();
      await tx.insert(claimSubmissions).values({
        id: submissionId,
        adapter: adapter.name,
        interchangeControl: control,
        claimIds: input.claimIds,
        location,
        bytes: Buffer.byteLength(bytes),
        sha256: createHash('sha256').update(bytes).digest('hex'),
        submittedBy: ctx.actor.id,
        submittedAt: now,
      });
      const out = [];
      for (const id of input.claimIds) {
        const row = rows.find((r) => r.id === id)!;
        const updated = await updateClaim(tx, id, {
          status: 'submitted',
          submittedAt: now,
          submissionId,
          scrub: scrubs.get(id)!,
          updatedAt: now,
        });
        await supersede(tx, row, now);
        out.push(summaryOf(updated));
      }
      return {
        submissionId,
        interchangeControl: control,
        adapter: adapter.name,
        location,
        bytes: Buffer.byteLength(bytes),
        claims: out,
      };
    });
  },
});
