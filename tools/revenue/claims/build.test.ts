import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { charges, claims, coverages } from '../../../db/schema/index.ts';
import { rowCount } from '../../../test/mcp.ts';
import { refusal } from '../../../test/refusal.ts';
import { claimsOfFile } from '../scrubber/scrubber.ts';
import { ADA_ENCOUNTER, BO_ENCOUNTER, NPI } from '../test-fixtures.ts';
import { parseX12 } from '../x12/parse.ts';
import { buildClaimsOp } from './build-operations.ts';
import type { ClaimDocument } from './document.ts';
import { exportClaimX12 } from './read-operations.ts';
import type { ClaimSummary } from './schema.ts';
import { claimRow, claimsWard, modelOf, type Ward } from './test-support.ts';

let ward: Ward;
let built: ClaimSummary[];

beforeAll(async () => {
  ward = await claimsWard();
  built = (await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: ADA_ENCOUNTER })).claims;
});

const docOf = async (type: '837P' | '837I') => {
  const summary = built.find((c) => c.type === type)!;
  return (await claimRow(ward.database, summary.id)).document as ClaimDocument;
};

describe('build_claims for Ada’s ICU stay', () => {
  it('builds one 837P and one 837I, drafts for Medicare, every charge on exactly one', async () => {
    expect(built.map((c) => c.type).sort()).toEqual(['837I', '837P']);
    for (const c of built) {
      expect(c.status).toBe('draft');
      expect(c.payerId).toBe('pay-medicare');
      expect(c.id).toMatch(/^CLM\d{12}$/);
    }
    const rows = await ward.database.db.select().from(charges).where(eq(charges.encounterId, ADA_ENCOUNTER));
    expect(rows.length).toBe(10);
    expect(rows.every((r) => r.status === 'billed' && built.some((c) => c.id === r.claimId))).toBe(true);
    const total = rows.reduce((s, r) => s + r.amountCents, 0);
    expect(built.reduce((s, c) => s + c.totalChargeCents, 0)).toBe(total);
  });

  it('puts the three ICU bed-days (revenue code 0200, DA) and the ancillaries on the 837I', async () => {
    const doc = await docOf('837I');
    const claim = doc.claim;
    expect(claim.facilityCode + claim.facilityCodeQualifier + claim.frequencyCode).toBe('11A1');
    const beds = claim.lines.filter((l) => l.revenueCode === '0200');
    expect(beds.map((l) => [l.unitBasis, l.units, l.dates[0]?.start])).toEqual([
      ['DA', 1, '2026-03-02'],
      ['DA', 1, '2026-03-03'],
      ['DA', 1, '2026-03-04'],
    ]);
    expect(claim.dates).toContainEqual({ qualifier: '434', start: '2026-03-02', end: '2026-03-05' });
    expect(claim.institutional).toEqual({ admissionType: '9', admissionSource: '9', patientStatus: '01' });
    expect(claim.providers).toEqual([
      expect.objectContaining({
        role: '71',
        name: 'Endo',
        firstName: 'Eve',
        idQualifier: 'XX',
        id: NPI.endo,
      }),
    ]);
    const insulin = claim.lines.find((l) => l.revenueCode === '0636')!;
    expect(insulin.procedure?.code).toBe('J1815');
    expect(insulin.drug).toEqual({ qualifier: 'N4', code: '00002751001', quantity: 4, unit: 'UN' });
    expect(
      claim.lines
        .map((l) => l.procedure?.code)
        .filter(Boolean)
        .sort(),
    ).toEqual(['36415', '80053', 'A4253', 'J1815']);
    expect(claim.diagnoses.map((d) => [d.qualifier, d.code, d.presentOnAdmission])).toEqual([
      ['ABK', 'E1165', 'Y'],
      ['ABF', 'I10', 'Y'],
      ['ABF', 'Z794', 'Y'],
    ]);
    expect(doc.subscriber.claimFilingIndicator).toBe('MA');
  });

  it('puts Dr Endo’s three visits on the 837P with her NPI, pointers and place of service 21', async () => {
    const doc = await docOf('837P');
    const claim = doc.claim;
    expect(claim.facilityCode).toBe('21');
    expect(claim.lines.map((l) => [l.procedure?.code, l.diagnosisPointers, l.charge])).toEqual([
      ['99223', [1, 2], 420],
      ['99232', [1], 160],
      ['99238', [1], 150],
    ]);
    expect(claim.totalCharge).toBe(730);
    expect(claim.providers).toEqual([expect.objectContaining({ role: '82', id: NPI.endo })]);
    expect(doc.subscriber.person).toEqual(
      expect.objectContaining({ name: 'Diabetic', firstName: 'Ada', id: '1EG4TE5MK73' }),
    );
    expect(doc.subscriber.demographics).toEqual({ dateOfBirth: '1970-02-01', sex: 'F' });
    expect(doc.billingProvider.provider).toEqual(
      expect.objectContaining({ id: NPI.hospital, references: [{ qualifier: 'EI', value: '123456789' }] }),
    );
  });

  it.each(['837P', '837I'] as const)('writes a %s that parses back to the same claim', async (type) => {
    const doc = await docOf(type);
    const x12 = await ward.call<{ text: string; interchangeControl: string }>(exportClaimX12, {
      claimId: doc.claim.id,
    });
    expect(x12.text.startsWith('ISA*')).toBe(true);
    const file = parseX12(x12.text);
    expect(file.interchanges[0]!.control).toBe('000000000');
    const [back] = claimsOfFile(file);
    expect(back!.type).toBe(type);
    expect(modelOf(back!.claim)).toEqual(modelOf(doc.claim));
    expect(modelOf({ ...back!.subscriber, claims: [] })).toEqual(modelOf(doc.subscriber));
    expect(modelOf({ ...back!.billingProvider, subscribers: [] })).toEqual(modelOf(doc.billingProvider));
  });

  it('refuses a second build: nothing left open, nothing written', async () => {
    const before = await rowCount(ward.database, 'claims');
    const err = await refusal(ward.call(buildClaimsOp, { encounterId: ADA_ENCOUNTER }));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('no open charges');
    expect(await rowCount(ward.database, 'claims')).toBe(before);
  });
});

describe('build_claims refusals', () => {
  it('names the field of bad input and writes nothing', async () => {
    const before = await rowCount(ward.database, 'audit_log');
    const err = await refusal(ward.call(buildClaimsOp, { encounterId: 42 }));
    expect(err.code).toBe('invalid');
    expect(err.issues[0]?.field).toBe('encounterId');
    expect(await rowCount(ward.database, 'audit_log')).toBe(before);
  });

  it('refuses an encounter without coverage on the service date, naming patient and date', async () => {
    await ward.database.db
      .update(coverages)
      .set({ endsOn: '2026-03-01' })
      .where(eq(coverages.id, 'cov-bo-acme'));
    try {
      const err = await refusal(ward.call(buildClaimsOp, { encounterId: BO_ENCOUNTER }));
      expect(err.message).toContain('Bo Ward (pat-2)');
      expect(err.message).toContain('on 2026-03-10');
      const open = await ward.database.db.select().from(charges).where(eq(charges.encounterId, BO_ENCOUNTER));
      expect(open.every((c) => c.status === 'open' && c.claimId === null)).toBe(true);
    } finally {
      await ward.database.db.update(coverages).set({ endsOn: null }).where(eq(coverages.id, 'cov-bo-acme'));
    }
  });

  it('bills each charge once when two builds of one encounter race', async () => {
    const results = await Promise.allSettled([
      ward.call(buildClaimsOp, { encounterId: BO_ENCOUNTER }),
      ward.call(buildClaimsOp, { encounterId: BO_ENCOUNTER }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
    const rows = await ward.database.db.select().from(claims).where(eq(claims.encounterId, BO_ENCOUNTER));
    expect(rows.map((r) => r.type)).toEqual(['837P']);
  });
});
