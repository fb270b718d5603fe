/** build_claims, scrub_claim and fix_claim: from an encounter's charges to a claim ready to send. */
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { charges, claims } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../../core/operation.ts';
import { buildClaims } from './build.ts';
import { cents } from './document.ts';
import { encounterFacts, requireEncounter } from './facts.ts';
import { safeFixes } from './fixes.ts';
import { changeSchema, claimIdSchema, claimSummarySchema, findingSchema } from './schema.ts';
import { errorsOf, scrubStored } from './scrub-context.ts';
import {
  type ClaimRow,
  change,
  changesOf,
  newClaimId,
  requireClaim,
  summaryOf,
  updateClaim,
} from './store.ts';

/** Statuses in which the claim is still being prepared (scrubbed, fixed, corrected). */
export const preparing: readonly ClaimRow['status'][] = ['draft', 'ready'];

export function assertPreparing(row: ClaimRow, allowed: readonly ClaimRow['status'][] = preparing): void {
  if (!allowed.includes(row.status)) {
    throw new OperationError(
      'conflict',
      `Claim ${row.id} is ${row.status}; only a ${allowed.join(' or ')} claim can be changed here`,
      [{ field: 'claimId', message: `the claim is ${row.status}` }],
    );
  }
}

/** After a scrub: ready when no error, else draft (a claim waiting on a coder keeps waiting). */
export function statusAfterScrub(row: ClaimRow, errors: number): ClaimRow['status'] {
  if (row.status === 'needs-review') return row.status;
  return errors === 0 ? 'ready' : 'draft';
}

export const buildClaimsOp = defineOperation({
  name: 'build_claims',
  module: 'revenue',
  title: 'Build the claims of an encounter',
  description:
    "Turns an encounter's open charges into draft claims: the physicians' services on one 837P (rendering NPI, " +
    'diagnosis pointers, place of service from the encounter), everything else on the facility 837I (type of ' +
    'bill, statement period, admission for inpatients, revenue-code lines, NDCs for drugs, attending NPI). Each ' +
    'charge goes on exactly one claim and becomes billed. Needs the patient’s primary coverage active on the ' +
    'service dates. Use after charge capture; then scrub_claim. Returns the claims built.',
  input: z.object({
    encounterId: z.string().trim().min(1).describe('The encounter to bill, e.g. enc-ada-icu'),
  }),
  output: z.object({ claims: z.array(claimSummarySchema) }),
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const encounter = await requireEncounter(ctx.database.db, input.encounterId);
    assertPatientAccess(ctx, encounter.patientId);
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'build_claims', input, async (tx) => {
      const { facts, coverage, payer } = await encounterFacts(tx, input.encounterId);
      const built = buildClaims(facts, { professional: newClaimId(), institutional: newClaimId() });
      const out = [];
      for (const b of built) {
        const [row] = await tx
          .insert(claims)
          .values({
            id: b.document.claim.id,
            encounterId: encounter.id,
            patientId: encounter.patientId,
            coverageId: coverage.id,
            payerId: payer.id,
            type: b.document.type,
            status: 'draft',
            totalChargeCents: cents(b.document.claim.totalCharge),
            document: b.document,
            createdBy: ctx.actor.id,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await tx
          .update(charges)
          .set({ status: 'billed', claimId: row!.id })
          .where(inArray(charges.id, b.chargeIds));
        out.push(summaryOf(row!));
      }
      return { claims: out };
    });
  },
});

export const scrubClaimOp = defineOperation({
  name: 'scrub_claim',
  module: 'revenue',
  title: 'Scrub a claim',
  description:
    'Runs the claim scrubber on a stored claim with what the hospital knows: the payer’s filing limit, the ' +
    'coverage’s eligibility, the plan’s prior-authorisation list and the numbers issued, the patient’s claims ' +
    'already sent (duplicates), ICD-10-CM/CPT/HCPCS and the NCCI edit tables. A clean claim becomes ready; one ' +
    'with an error stays draft. Returns every finding (code, severity, field, message) and which edits ran.',
  input: z.object({ claimId: claimIdSchema }),
  output: z.object({
    claim: claimSummarySchema,
    findings: z.array(findingSchema),
    editsRun: z.array(z.object({ edit: z.string(), status: z.string(), reason: z.string().optional() })),
  }),
  scope: 'revenue:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'scrub_claim', input, async (tx) => {
      const row = await requireClaim(tx, input.claimId, { lock: true });
      assertPatientAccess(ctx, row.patientId);
      assertPreparing(row, ['draft', 'ready', 'needs-review']);
      const scrub = await scrubStored(tx, row, now);
      const updated = await updateClaim(tx, row.id, {
        scrub,
        status: statusAfterScrub(row, errorsOf(scrub).length),
        updatedAt: now,
      });
      return { claim: summaryOf(updated), findings: scrub.findings, editsRun: scrub.editsRun };
    });
  },
});

export const fixClaimOp = defineOperation({
  name: 'fix_claim',
  module: 'revenue',
  title: 'Apply the safe fixes to a claim',
  description:
    'Scrubs a draft claim and applies only the fixes the record makes certain: CLM02 recomputed from the lines, ' +
    'REF*G1 from a prior authorisation on file for the code and date, the patient’s date of birth and sex from ' +
    'the patient record, a line without diagnosis pointers pointed at the principal diagnosis, and the ' +
    'patient’s primary coverage active on the service dates. Each fix is recorded on the claim. Everything ' +
    'else (diagnosis codes, NCCI pairs, MUE units, timely filing, duplicates, authorisation not on file) comes ' +
    'back as needsCoder: ask a coder with ask_claim_review. Re-scrubs after fixing; returns the fixes and the findings.',
  input: z.object({ claimId: claimIdSchema }),
  output: z.object({
    claim: claimSummarySchema,
    changes: z.array(changeSchema),
    findings: z.array(findingSchema),
    needsCoder: z.array(findingSchema),
  }),
  scope: 'revenue:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'fix_claim', input, async (tx) => {
      const row = await requireClaim(tx, input.claimId, { lock: true });
      assertPatientAccess(ctx, row.patientId);
      assertPreparing(row);
      const before = await scrubStored(tx, row, now);
      const fixed = await safeFixes(tx, row, before.findings);
      const moved = { ...row, coverageId: fixed.coverageId, payerId: fixed.payerId };
      const scrub = await scrubStored(tx, moved, now, fixed.document);
      const made = fixed.fixes.map((f) => change(f.field, f.before, f.after, f.reason, ctx.actor.id, now));
      const updated = await updateClaim(tx, row.id, {
        document: fixed.document,
        coverageId: fixed.coverageId,
        payerId: fixed.payerId,
        totalChargeCents: cents(fixed.document.claim.totalCharge),
        changes: [...changesOf(row), ...made],
        scrub,
        status: statusAfterScrub(row, errorsOf(scrub).length),
        updatedAt: now,
      });
      return {
        claim: summaryOf(updated),
        changes: made,
        findings: scrub.findings,
        needsCoder: errorsOf(scrub),
      };
    });
  },
});
