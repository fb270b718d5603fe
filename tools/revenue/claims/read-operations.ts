/** get_claim, list_claims and export_claim_x12: reading claims without changing them. */
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { claims, claimStatuses } from '../../../db/schema/index.ts';
import { assertPatientAccess, defineOperation } from '../../core/operation.ts';
import { serialize837 } from '../x12/write-837.ts';
import { type ClaimDocument, interchangeOptions, transactionsOf } from './document.ts';
import { claimIdSchema, claimSummarySchema, claimViewSchema } from './schema.ts';
import { billingProfile, envelopeOf, requireClaim, summaryOf, viewOf } from './store.ts';

export const getClaim = defineOperation({
  name: 'get_claim',
  module: 'revenue',
  title: 'Get a claim',
  description:
    'One claim in full: the document in the X12 model, status, the last scrub’s findings, every change made ' +
    'after it was built (fixes and coder corrections), the question waiting for a coder, and a summary of the ' +
    'payments posted against it.',
  input: z.object({ claimId: claimIdSchema }),
  output: claimViewSchema,
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const row = await requireClaim(ctx.database.db, input.claimId);
    assertPatientAccess(ctx, row.patientId);
    return viewOf(ctx.database.db, row);
  },
});

export const listClaims = defineOperation({
  name: 'list_claims',
  module: 'revenue',
  title: 'List claims',
  description:
    'Claims, most recently changed first, filtered by status, encounter, patient or payer (all optional). Use to ' +
    'find claims ready to submit, waiting for a coder, or sent for one payer. Returns summaries with the error ' +
    'and warning counts of the last scrub; get_claim has the detail.',
  input: z.object({
    status: z.enum(claimStatuses).optional(),
    encounterId: z.string().trim().min(1).optional(),
    patientId: z.string().trim().min(1).optional(),
    payerId: z.string().trim().min(1).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  output: z.object({ claims: z.array(claimSummarySchema) }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const bound = ctx.actor.patientId;
    if (input.patientId) assertPatientAccess(ctx, input.patientId);
    const where: SQL[] = [];
    if (input.status) where.push(eq(claims.status, input.status));
    if (input.encounterId) where.push(eq(claims.encounterId, input.encounterId));
    const patientId = input.patientId ?? bound;
    if (patientId) where.push(eq(claims.patientId, patientId));
    if (input.payerId) where.push(eq(claims.payerId, input.payerId));
    const rows = await ctx.database.db
      .select()
      .from(claims)
      .where(and(...where))
      .orderBy(desc(claims.updatedAt), claims.id)
      .limit(input.limit);
    return { claims: rows.map(summaryOf) };
  },
});

export const exportClaimX12 = defineOperation({
  name: 'export_claim_x12',
  module: 'revenue',
  title: 'Preview a claim as X12',
  description:
    'The X12 837 text of one claim, in its own interchange, for a person to read or a tool to check. A preview: ' +
    'ISA13 is 000000000 and no interchange number is used; submit_claims writes the real file.',
  input: z.object({ claimId: claimIdSchema }),
  output: z.object({
    claimId: z.string(),
    preview: z.literal(true),
    interchangeControl: z.literal('000000000'),
    text: z.string(),
  }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const row = await requireClaim(db, input.claimId);
    assertPatientAccess(ctx, row.patientId);
    const envelope = envelopeOf(await billingProfile(db));
    const now = ctx.clock.now();
    const text = serialize837(
      transactionsOf([row.document as ClaimDocument], envelope, {
        referenceId: 'PREVIEW',
        date: now.toISOString().slice(0, 10).replaceAll('-', ''),
        time: now.toISOString().slice(11, 16).replace(':', ''),
      }),
      // Interchange 0: a preview is never mistaken for a file sent.
      interchangeOptions(envelope, now, { next: (kind) => (kind === 'interchange' ? 0 : 1) }),
    );
    return { claimId: row.id, preview: true as const, interchangeControl: '000000000' as const, text };
  },
});
