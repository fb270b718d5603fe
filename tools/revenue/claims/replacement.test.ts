import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charges, claimPayments, claims, remittances } from '../../../db/schema/index.ts';
import type { Actor } from '../../core/actor.ts';
import { rowCount } from '../../../test/mcp.ts';
import { refusal } from '../../../test/refusal.ts';
import { claimsOfFile } from '../scrubber/scrubber.ts';
import { ADA_ENCOUNTER, BO_ENCOUNTER } from '../test-fixtures.ts';
import { parseX12 } from '../x12/parse.ts';
import { buildClaimsOp, fixClaimOp, scrubClaimOp } from './build-operations.ts';
import type { ClaimDocument } from './document.ts';
import { getClaim, listClaims } from './read-operations.ts';
import { createReplacementClaim, voidClaim } from './replacement-operations.ts';
import type { ClaimSummary, ClaimView } from './schema.ts';
import { submitClaims } from './submit-operations.ts';
import { claimsWard, type Ward } from './test-support.ts';

let ward: Ward;
let adaP: ClaimSummary;
let adaI: ClaimSummary;
let bo: ClaimSummary;
const previousOutbox = process.env.CAREBRIDGE_OUTBOX_DIR;

beforeAll(async () => {
  process.env.CAREBRIDGE_OUTBOX_DIR = mkdtempSync(join(tmpdir(), 'carebridge-outbox-'));
  ward = await claimsWard();
  const ada = (await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: ADA_ENCOUNTER }))
    .claims;
  adaP = ada.find((c) => c.type === '837P')!;
  adaI = ada.find((c) => c.type === '837I')!;
  [bo] = (await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: BO_ENCOUNTER }))
    .claims as [ClaimSummary];
  await ward.call(scrubClaimOp, { claimId: adaP.id });
  await ward.call(fixClaimOp, { claimId: bo.id });
  await ward.call(submitClaims, { claimIds: [adaP.id] });
  await ward.call(submitClaims, { claimIds: [bo.id] });
});

afterAll(() => {
  if (previousOutbox === undefined) delete process.env.CAREBRIDGE_OUTBOX_DIR;
  else process.env.CAREBRIDGE_OUTBOX_DIR = previousOutbox;
});

/** What posting the payer's 835 would leave on a claim. */
const adjudicate = (id: string, status: 'denied' | 'paid', payerClaimNumber: string | null) =>
  ward.database.db.update(claims).set({ status, payerClaimNumber }).where(eq(claims.id, id));

describe('create_replacement_claim', () => {
  it('refuses a denied claim without the payer’s claim number, and a claim not adjudicated', async () => {
    await adjudicate(adaP.id, 'denied', null);
    const err = await refusal(ward.call(createReplacementClaim, { claimId: adaP.id }));
    expect(err.code).toBe('invalid');
    expect(err.message).toContain('no payer claim number');
    const draft = await refusal(ward.call(createReplacementClaim, { claimId: adaI.id }));
    expect(draft.code).toBe('conflict');
  });

  it('drafts a frequency-7 copy with REF*F8 and the corrections; submitting it replaces the original', async () => {
    await adjudicate(adaP.id, 'denied', 'ICN-2026-0001');
    const r = await ward.call<ClaimView>(createReplacementClaim, {
      claimId: adaP.id,
      corrections: [{ kind: 'remove-line', line: 3 }],
      note: 'discharge billed in error',
    });
    const doc = r.document as ClaimDocument;
    expect([r.frequency, r.replacesClaimId, r.status]).toEqual(['7', adaP.id, 'ready']);
    expect(doc.claim.frequencyCode).toBe('7');
    expect(doc.claim.originalClaimNumber).toBe('ICN-2026-0001');
    expect(doc.claim.lines.map((l) => l.procedure?.code)).toEqual(['99223', '99232']);
    expect(r.changes.map((c) => c.field)).toEqual([
      'claim.frequencyCode',
      'claim.originalClaimNumber',
      'lines[2]',
      'claim.totalCharge',
    ]);
    const again = await refusal(ward.call(createReplacementClaim, { claimId: adaP.id }));
    expect(again.code).toBe('conflict');

    const s = await ward.call<{ location: string }>(submitClaims, { claimIds: [r.id] });
    const [sent] = claimsOfFile(parseX12(readFileSync(s.location, 'utf8')));
    expect(sent!.claim.frequencyCode).toBe('7');
    expect(sent!.claim.originalClaimNumber).toBe('ICN-2026-0001');
    const original = await ward.call<ClaimView>(getClaim, { claimId: adaP.id });
    expect(original.status).toBe('replaced');
    // The lines kept move to the replacement; the removed discharge visit is open again.
    const rows = await ward.database.db.select().from(charges).where(eq(charges.encounterId, ADA_ENCOUNTER));
    const byId = new Map(rows.map((c) => [c.id, c]));
    expect(byId.get('chg-svc-ada-admit')?.claimId).toBe(r.id);
    expect(byId.get('chg-svc-ada-discharge')).toEqual(
      expect.objectContaining({ status: 'open', claimId: null }),
    );
  });
});

describe('get_claim and list_claims', () => {
  it('summarises the payments posted against a claim', async () => {
    await ward.database.db.insert(remittances).values({
      id: 'rem-1',
      sha256: 'f'.repeat(64),
      paymentCents: 0,
      claimCount: 1,
      text: 'ISA*...',
      postedBy: 'test',
      receivedAt: new Date('2026-04-01T00:00:00Z'),
    });
    await ward.database.db.insert(claimPayments).values({
      id: 'cp-1',
      remittanceId: 'rem-1',
      patientControlNumber: adaP.id,
      claimId: adaP.id,
      status: 'posted',
      claimStatusCode: '4',
      chargeCents: 73_000,
      paidCents: 0,
      patientResponsibilityCents: 1_500,
      adjustments: [],
      lines: [],
      postedAt: new Date('2026-04-01T00:00:00Z'),
    });
    const v = await ward.call<ClaimView>(getClaim, { claimId: adaP.id });
    expect(v.payments).toEqual({
      count: 1,
      paidCents: 0,
      patientResponsibilityCents: 1_500,
      adjustedCents: 0,
      lastStatusCode: '4',
    });
  });

  it('filters by status and payer, and keeps a patient-bound key to its own patient', async () => {
    const submitted = await ward.call<{ claims: ClaimSummary[] }>(listClaims, {
      status: 'submitted',
      payerId: 'pay-acme',
    });
    expect(submitted.claims.map((c) => c.id)).toEqual([bo.id]);
    const app: Actor = { id: 'app:bo', kind: 'patient-app', scopes: ['revenue:read'], patientId: 'pat-2' };
    expect((await refusal(ward.call(getClaim, { claimId: adaP.id }, app))).code).toBe('forbidden');
    const own = await ward.call<{ claims: ClaimSummary[] }>(listClaims, {}, app);
    expect(own.claims.every((c) => c.patientId === 'pat-2')).toBe(true);
    expect(own.claims.length).toBeGreaterThan(0);
  });

  it('a replacement that lost its REF*F8 is refused by the scrub and by submission', async () => {
    const [replacement] = await ward.database.db.select().from(claims).where(eq(claims.frequency, '7'));
    const id = replacement!.id;
    const saved = replacement!.document as ClaimDocument;
    const doc = structuredClone(saved);
    delete doc.claim.originalClaimNumber;
    // As if it had not been sent yet: the original still denied, the replacement ready.
    await ward.database.db
      .update(claims)
      .set({ document: doc, status: 'ready', submittedAt: null })
      .where(eq(claims.id, id));
    await ward.database.db.update(claims).set({ status: 'denied' }).where(eq(claims.id, adaP.id));
    try {
      const scrubbed = await ward.call<{ findings: { code: string; field: string }[] }>(scrubClaimOp, {
        claimId: id,
      });
      expect(scrubbed.findings).toContainEqual(
        expect.objectContaining({ code: 'ORIGINAL_CLAIM_MISSING', field: 'claim.originalClaimNumber' }),
      );
      const err = await refusal(ward.call(submitClaims, { claimIds: [id] }));
      expect(err.message).toContain('ORIGINAL_CLAIM_MISSING');
    } finally {
      const { submittedAt, status } = replacement!;
      await ward.database.db
        .update(claims)
        .set({ document: saved, status, submittedAt })
        .where(eq(claims.id, id));
      await ward.database.db.update(claims).set({ status: 'replaced' }).where(eq(claims.id, adaP.id));
    }
  });
});

describe('void_claim', () => {
  it('voids a claim not yet sent at once, its charges open again', async () => {
    const v = await ward.call<ClaimView>(voidClaim, {
      claimId: adaI.id,
      reason: 'rebill after charge review',
    });
    expect(v.status).toBe('void');
    const left = await ward.database.db.select().from(charges).where(eq(charges.claimId, adaI.id));
    expect(left).toEqual([]);
    const open = await ward.database.db
      .select()
      .from(charges)
      .where(eq(charges.id, `chg-${ADA_ENCOUNTER}-bed-2026-03-02`));
    expect(open[0]?.status).toBe('open');
  });

  it('refuses to void a sent claim before the payer’s number is known', async () => {
    const err = await refusal(ward.call(voidClaim, { claimId: bo.id, reason: 'wrong patient' }));
    expect(err.code).toBe('invalid');
    expect(err.issues).toEqual([{ field: 'claimId', message: 'no payer claim number on file' }]);
  });

  it('drafts a frequency-8 claim for a paid claim; submitting it voids the original', async () => {
    await adjudicate(bo.id, 'paid', 'ACME-7788');
    const v = await ward.call<ClaimView>(voidClaim, {
      claimId: bo.id,
      reason: 'surgery billed under the wrong patient',
    });
    expect([v.frequency, v.replacesClaimId, v.status]).toEqual(['8', bo.id, 'ready']);
    expect((v.document as ClaimDocument).claim.originalClaimNumber).toBe('ACME-7788');
    await ward.call(submitClaims, { claimIds: [v.id] });
    const original = await ward.call<ClaimView>(getClaim, { claimId: bo.id });
    expect(original.status).toBe('void');
    const listed = await ward.call<{ claims: ClaimSummary[] }>(listClaims, { patientId: 'pat-2' });
    expect(listed.claims.map((c) => [c.frequency, c.status]).sort()).toEqual([
      ['1', 'void'],
      ['8', 'submitted'],
    ]);
  });

  it('names the field of bad input and writes nothing', async () => {
    const before = await rowCount(ward.database, 'audit_log');
    const err = await refusal(ward.call(voidClaim, { claimId: bo.id }));
    expect(err.issues[0]?.field).toBe('reason');
    expect(await rowCount(ward.database, 'audit_log')).toBe(before);
  });
});
