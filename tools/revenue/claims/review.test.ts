import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { charges, encounterDiagnoses, notifications, staff } from '../../../db/schema/index.ts';
import { rowCount } from '../../../test/mcp.ts';
import { refusal } from '../../../test/refusal.ts';
import { ADA_ENCOUNTER, BO_ENCOUNTER } from '../test-fixtures.ts';
import { buildClaimsOp, fixClaimOp } from './build-operations.ts';
import type { ClaimDocument } from './document.ts';
import { answerClaimReview, askClaimReview } from './review-operations.ts';
import type { ClaimSummary, ClaimView, FindingView } from './schema.ts';
import { claimRow, claimsWard, type Ward } from './test-support.ts';

let ward: Ward;
let bo: ClaimSummary;
let adaP: ClaimSummary;

beforeAll(async () => {
  ward = await claimsWard();
  await ward.database.db
    .insert(staff)
    .values({ id: 'stf-coder-2', name: 'Cora Coder', role: 'coder', pager: 'PGR-0103' });
  // Bo's diagnosis recorded as the category M23.2, not a billable code.
  await ward.database.db
    .update(encounterDiagnoses)
    .set({ code: 'M23.2' })
    .where(and(eq(encounterDiagnoses.encounterId, BO_ENCOUNTER), eq(encounterDiagnoses.sequence, 1)));
  [bo] = (await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: BO_ENCOUNTER }))
    .claims as [ClaimSummary];
  const ada = (await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: ADA_ENCOUNTER }))
    .claims;
  adaP = ada.find((c) => c.type === '837P')!;
});

describe('a claim only a coder can clear', () => {
  it('fix_claim adds the authorisation but leaves the invalid diagnosis as needsCoder', async () => {
    const r = await ward.call<{
      needsCoder: FindingView[];
      changes: { field: string }[];
      claim: ClaimSummary;
    }>(fixClaimOp, { claimId: bo.id });
    expect(r.changes.map((c) => c.field)).toEqual(['claim.priorAuthorization']);
    expect(r.needsCoder.map((f) => [f.code, f.field])).toEqual([
      ['DX_NOT_BILLABLE', 'claim.diagnoses[0]'],
      ['DX_POINTER_UNSUPPORTED', 'lines[0].diagnosisPointers[0]'],
    ]);
    expect(r.claim.status).toBe('draft');
  });

  it('ask_claim_review puts the question with findings and changes, and notifies every coder', async () => {
    const v = await ward.call<ClaimView>(askClaimReview, {
      claimId: bo.id,
      question: 'M23.2 is a category: which code?',
    });
    expect(v.status).toBe('needs-review');
    expect(v.question?.asked).toBe('M23.2 is a category: which code?');
    expect(v.question?.findings.map((f) => f.code)).toContain('DX_NOT_BILLABLE');
    expect(v.question?.changes.map((c) => c.field)).toEqual(['claim.priorAuthorization']);
    const sent = await ward.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.recipientKind, 'staff'));
    expect(sent.map((n) => n.recipientId).sort()).toEqual(['stf-coder', 'stf-coder-2']);
    expect(sent[0]!.message).toContain(bo.id);
  });

  it('refuses an answer from someone who is not a coder, naming the staff id', async () => {
    const err = await refusal(
      ward.call(answerClaimReview, {
        claimId: bo.id,
        coderStaffId: 'stf-endo',
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.22' }],
      }),
    );
    expect(err.code).toBe('forbidden');
    expect(err.issues).toEqual([{ field: 'coderStaffId', message: 'stf-endo is not a coder' }]);
    expect((await claimRow(ward.database, bo.id)).status).toBe('needs-review');
  });

  it('refuses a correction naming a position the claim lacks, and writes nothing', async () => {
    const before = await rowCount(ward.database, 'audit_log');
    const err = await refusal(
      ward.call(answerClaimReview, {
        claimId: bo.id,
        coderStaffId: 'stf-coder',
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 4, code: 'M23.22' }],
      }),
    );
    expect(err.code).toBe('invalid');
    expect(err.issues[0]?.field).toBe('corrections.0.position');
    const bad = await refusal(
      ward.call(answerClaimReview, {
        claimId: bo.id,
        coderStaffId: 'stf-coder',
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 1, code: 'not a code' }],
      }),
    );
    expect(bad.issues[0]?.field).toBe('corrections.0.code');
    const noReason = await refusal(
      ward.call(answerClaimReview, { claimId: bo.id, coderStaffId: 'stf-coder', decision: 'void' }),
    );
    expect(noReason.issues).toEqual([{ field: 'reason', message: 'a void decision needs a reason' }]);
    expect(await rowCount(ward.database, 'audit_log')).toBe(before);
    expect((await claimRow(ward.database, bo.id)).status).toBe('needs-review');
  });

  it('a coder’s correction is applied, recorded and re-scrubbed: the claim is ready', async () => {
    const v = await ward.call<ClaimView>(answerClaimReview, {
      claimId: bo.id,
      coderStaffId: 'stf-coder',
      decision: 'correct',
      corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.22' }],
      note: 'posterior horn, medial meniscus, per the operative note',
    });
    expect(v.status).toBe('ready');
    expect(v.question).toBeNull();
    expect(v.scrub?.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(v.changes.at(-1)).toEqual(
      expect.objectContaining({
        field: 'claim.diagnoses[0].code',
        before: 'M232',
        after: 'M2322',
        by: 'stf-coder',
      }),
    );
    expect((v.document as ClaimDocument).claim.diagnoses[0]?.code).toBe('M2322');
  });

  it('answering a claim that waits for no review is a conflict', async () => {
    const err = await refusal(
      ward.call(answerClaimReview, {
        claimId: bo.id,
        coderStaffId: 'stf-coder',
        decision: 'void',
        reason: 'duplicate visit',
      }),
    );
    expect(err.code).toBe('conflict');
  });
});

describe('coder corrections on lines, and a void', () => {
  it('sets units and modifiers and removes a line (its charge reopens), recomputing CLM02', async () => {
    await ward.call(askClaimReview, { claimId: adaP.id, question: 'Check the visit lines' });
    const v = await ward.call<ClaimView>(answerClaimReview, {
      claimId: adaP.id,
      coderStaffId: 'stf-coder-2',
      decision: 'correct',
      corrections: [
        { kind: 'modifiers', line: 1, modifiers: ['ai'] },
        { kind: 'remove-line', line: 2 },
        { kind: 'units', line: 3, units: 2 },
      ],
    });
    const claim = (v.document as ClaimDocument).claim;
    expect(
      claim.lines.map((l) => [l.lineNumber, l.procedure?.code, l.procedure?.modifiers, l.units, l.charge]),
    ).toEqual([
      [1, '99223', ['AI'], 1, 420],
      [2, '99238', [], 2, 300],
    ]);
    expect(claim.totalCharge).toBe(720);
    expect(v.totalChargeCents).toBe(72_000);
    const [visit] = await ward.database.db.select().from(charges).where(eq(charges.id, 'chg-svc-ada-visit'));
    expect(visit).toEqual(expect.objectContaining({ status: 'open', claimId: null }));
  });

  it('a void answer leaves the claim unbilled: status void, its charges open', async () => {
    await ward.call(askClaimReview, { claimId: adaP.id, question: 'Bill these at all?' });
    const v = await ward.call<ClaimView>(answerClaimReview, {
      claimId: adaP.id,
      coderStaffId: 'stf-coder',
      decision: 'void',
      reason: 'billed by the physician group',
    });
    expect(v.status).toBe('void');
    expect(v.changes.at(-1)).toEqual(
      expect.objectContaining({ field: 'status', after: 'void', reason: 'billed by the physician group' }),
    );
    const left = await ward.database.db.select().from(charges).where(eq(charges.claimId, adaP.id));
    expect(left).toEqual([]);
    const reopened = await ward.database.db.select().from(charges).where(eq(charges.id, 'chg-svc-ada-admit'));
    expect(reopened[0]?.status).toBe('open');
  });
});
