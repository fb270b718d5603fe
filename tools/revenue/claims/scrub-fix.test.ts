import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { claims, coverages } from '../../../db/schema/index.ts';
import { rowCount } from '../../../test/mcp.ts';
import { refusal } from '../../../test/refusal.ts';
import { ADA_ENCOUNTER, BO_ENCOUNTER } from '../test-fixtures.ts';
import { buildClaimsOp, fixClaimOp, scrubClaimOp } from './build-operations.ts';
import type { ClaimDocument } from './document.ts';
import { SAMPLE_EDIT_TABLES_DIR } from './scrub-context.ts';
import type { ClaimChange, ClaimSummary, FindingView } from './schema.ts';
import { claimRow, claimsWard, readOnlyActor, type Ward } from './test-support.ts';

let ward: Ward;
let ada: ClaimSummary[];
let bo: ClaimSummary;

interface Scrubbed {
  claim: ClaimSummary;
  findings: FindingView[];
  editsRun: { edit: string; status: string; reason?: string }[];
}
interface FixResult {
  claim: ClaimSummary;
  changes: ClaimChange[];
  findings: FindingView[];
  needsCoder: FindingView[];
}

const errors = (findings: FindingView[]) => findings.filter((f) => f.severity === 'error').map((f) => f.code);

beforeAll(async () => {
  ward = await claimsWard();
  ada = (await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: ADA_ENCOUNTER })).claims;
  [bo] = (await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: BO_ENCOUNTER }))
    .claims as [ClaimSummary];
});

async function tamper(id: string, edit: (doc: ClaimDocument) => void) {
  const row = await claimRow(ward.database, id);
  const doc = row.document as ClaimDocument;
  edit(doc);
  await ward.database.db.update(claims).set({ document: doc }).where(eq(claims.id, id));
}

describe('scrub_claim with the hospital’s facts', () => {
  it('finds Ada’s claims clean and makes them ready; NCCI edits skip her inpatient facility claim', async () => {
    for (const c of ada) {
      const r = await ward.call<Scrubbed>(scrubClaimOp, { claimId: c.id });
      expect(errors(r.findings)).toEqual([]);
      expect(r.claim.status).toBe('ready');
      const skipped = r.editsRun.filter((e) => e.status === 'skipped');
      if (c.type === '837P') expect(skipped).toEqual([]);
      else {
        expect(skipped.map((e) => [e.edit, e.reason])).toEqual([
          ['ncci-ptp', 'NCCI edits do not apply to inpatient facility claims (type of bill 11x)'],
          ['mue', 'NCCI edits do not apply to inpatient facility claims (type of bill 11x)'],
        ]);
      }
      const row = await claimRow(ward.database, c.id);
      expect((row.scrub as { documentSha256: string }).documentSha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('fails Bo’s knee arthroscopy for the missing prior authorisation; it stays draft', async () => {
    const r = await ward.call<Scrubbed>(scrubClaimOp, { claimId: bo.id });
    expect(errors(r.findings)).toEqual(['PRIOR_AUTH_MISSING']);
    expect(r.claim.status).toBe('draft');
  });

  it('applies the payer’s filing limit from the payer row (Acme: 180 days)', async () => {
    ward.clock.set('2026-09-07T09:00:00Z');
    try {
      const r = await ward.call<Scrubbed>(scrubClaimOp, { claimId: bo.id });
      expect(errors(r.findings)).toContain('TIMELY_FILING');
    } finally {
      ward.clock.set('2026-03-20T09:00:00Z');
    }
  });

  it('reads the hospital’s own NCCI tables from CAREBRIDGE_EDIT_TABLES_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edit-tables-'));
    const sample = readFileSync(join(SAMPLE_EDIT_TABLES_DIR, 'mue.sample.csv'), 'utf8').split('\n');
    // The CMS layout (preamble and header as in the sample) with a cap of 0 units for 99223.
    writeFileSync(
      join(dir, 'mue-practitioner.csv'),
      [...sample.slice(0, 3), '99223,0,2 Date of Service Edit: Policy,CMS Policy', ''].join('\n'),
    );
    const p = ada.find((c) => c.type === '837P')!;
    process.env.CAREBRIDGE_EDIT_TABLES_DIR = dir;
    try {
      const r = await ward.call<Scrubbed>(scrubClaimOp, { claimId: p.id });
      expect(errors(r.findings)).toEqual(['MUE_UNITS']);
      expect(r.editsRun.find((e) => e.edit === 'ncci-ptp')?.status).toBe('skipped');
    } finally {
      delete process.env.CAREBRIDGE_EDIT_TABLES_DIR;
    }
    expect((await ward.call<Scrubbed>(scrubClaimOp, { claimId: p.id })).claim.status).toBe('ready');
  });

  it('refuses a read-only key and an unknown claim', async () => {
    expect((await refusal(ward.call(scrubClaimOp, { claimId: bo.id }, readOnlyActor))).code).toBe(
      'forbidden',
    );
    expect((await refusal(ward.call(scrubClaimOp, { claimId: 'CLM000' }))).code).toBe('not_found');
  });
});

describe('fix_claim', () => {
  it('adds REF*G1 AUTH-2201 from the authorisation on file, records it, and the claim is ready', async () => {
    const r = await ward.call<FixResult>(fixClaimOp, { claimId: bo.id });
    expect(r.changes).toEqual([
      expect.objectContaining({
        field: 'claim.priorAuthorization',
        before: null,
        after: 'AUTH-2201',
        by: 'system',
      }),
    ]);
    expect(r.needsCoder).toEqual([]);
    expect(r.claim.status).toBe('ready');
    const row = await claimRow(ward.database, bo.id);
    expect((row.document as ClaimDocument).claim.priorAuthorization).toBe('AUTH-2201');
    expect(row.changes).toHaveLength(1);
  });

  it('repairs CLM02, the patient’s DOB and sex, and a line without pointers, each recorded', async () => {
    const p = ada.find((c) => c.type === '837P')!;
    await tamper(p.id, (doc) => {
      doc.claim.totalCharge = 1;
      doc.subscriber.demographics = {};
      doc.claim.lines[1]!.diagnosisPointers = [];
    });
    const r = await ward.call<FixResult>(fixClaimOp, { claimId: p.id });
    expect(r.changes.map((c) => c.field).sort()).toEqual([
      'claim.totalCharge',
      'lines[1].diagnosisPointers',
      'subscriber.demographics',
    ]);
    expect(r.changes.find((c) => c.field === 'claim.totalCharge')).toEqual(
      expect.objectContaining({ before: 1, after: 730 }),
    );
    expect(r.changes.find((c) => c.field === 'subscriber.demographics')?.after).toEqual({
      dateOfBirth: '1970-02-01',
      sex: 'F',
    });
    expect(r.needsCoder).toEqual([]);
    expect(r.claim.status).toBe('ready');
    expect(r.claim.totalChargeCents).toBe(73_000);
  });

  it('switches to the coverage active on the service dates', async () => {
    const i = ada.find((c) => c.type === '837I')!;
    await ward.database.db.insert(coverages).values({
      id: 'cov-ada-old',
      patientId: 'pat-1',
      planId: 'plan-medicare',
      memberId: 'OLD-MEMBER',
      startsOn: '2015-01-01',
      endsOn: '2019-12-31',
      // Not primary today: kept on file for the old claims only.
      priority: 'secondary',
    });
    await ward.database.db.update(claims).set({ coverageId: 'cov-ada-old' }).where(eq(claims.id, i.id));
    await tamper(i.id, (doc) => {
      doc.subscriber.person.id = 'OLD-MEMBER';
    });
    const before = await ward.call<Scrubbed>(scrubClaimOp, { claimId: i.id });
    expect(errors(before.findings)).toContain('COVERAGE_INACTIVE');
    const r = await ward.call<FixResult>(fixClaimOp, { claimId: i.id });
    expect(r.changes).toEqual([
      expect.objectContaining({
        field: 'subscriber',
        after: { coverageId: 'cov-ada-medicare', memberId: '1EG4TE5MK73', payer: '06102' },
      }),
    ]);
    expect(r.claim.coverageId).toBe('cov-ada-medicare');
    expect(r.claim.status).toBe('ready');
  });

  it('leaves what needs judgement to a coder: an MUE overrun is not fixed', async () => {
    // 29881 has an MUE of 1 per date of service (MAI 2) in the sample practitioner table.
    await tamper(bo.id, (doc) => {
      doc.claim.lines[0]!.units = 2;
    });
    const r = await ward.call<FixResult>(fixClaimOp, { claimId: bo.id });
    expect(r.needsCoder.map((f) => f.code)).toEqual(['MUE_UNITS']);
    expect(r.changes).toEqual([]);
    expect(r.claim.status).toBe('draft');
    const row = await claimRow(ward.database, bo.id);
    expect((row.document as ClaimDocument).claim.lines[0]?.units).toBe(2);
  });

  it('names the field of bad input and writes nothing', async () => {
    const before = await rowCount(ward.database, 'audit_log');
    const err = await refusal(ward.call(fixClaimOp, { claimId: '' }));
    expect(err.code).toBe('invalid');
    expect(err.issues[0]?.field).toBe('claimId');
    expect(await rowCount(ward.database, 'audit_log')).toBe(before);
  });
});
