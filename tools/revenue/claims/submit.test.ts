import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimSubmissions, claims, payers } from '../../../db/schema/index.ts';
import { rowCount } from '../../../test/mcp.ts';
import { refusal } from '../../../test/refusal.ts';
import { registerClearinghouse } from '../clearinghouse/adapter.ts';
import { claimsOfFile } from '../scrubber/scrubber.ts';
import { ADA_ENCOUNTER, BO_ENCOUNTER } from '../test-fixtures.ts';
import { parseX12 } from '../x12/parse.ts';
import { buildClaimsOp, fixClaimOp, scrubClaimOp } from './build-operations.ts';
import type { ClaimDocument } from './document.ts';
import type { ClaimSummary } from './schema.ts';
import { submitClaims } from './submit-operations.ts';
import { claimRow, claimsWard, modelOf, type Ward } from './test-support.ts';

let ward: Ward;
let outbox: string;
let ada: ClaimSummary[];
let bo: ClaimSummary;
const previousOutbox = process.env.CAREBRIDGE_OUTBOX_DIR;

interface Submitted {
  submissionId: string;
  interchangeControl: number;
  adapter: string;
  location: string;
  bytes: number;
  claims: ClaimSummary[];
}

beforeAll(async () => {
  outbox = mkdtempSync(join(tmpdir(), 'carebridge-outbox-'));
  process.env.CAREBRIDGE_OUTBOX_DIR = outbox;
  ward = await claimsWard();
  ada = (await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: ADA_ENCOUNTER })).claims;
  [bo] = (await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: BO_ENCOUNTER }))
    .claims as [ClaimSummary];
  for (const c of ada) await ward.call(scrubClaimOp, { claimId: c.id });
});

afterAll(() => {
  if (previousOutbox === undefined) delete process.env.CAREBRIDGE_OUTBOX_DIR;
  else process.env.CAREBRIDGE_OUTBOX_DIR = previousOutbox;
});

const files = () => readdirSync(outbox).sort();

describe('submit_claims', () => {
  it('refuses claims for two payers in one call, sending nothing', async () => {
    const mixed = await refusal(ward.call(submitClaims, { claimIds: [ada[0]!.id, bo.id] }));
    expect(mixed.code).toBe('invalid');
    expect(mixed.message).toContain('pay-medicare');
    expect(mixed.message).toContain('pay-acme');
    expect(files()).toEqual([]);
  });

  it('writes Ada’s two claims as one interchange in the outbox, with correct envelopes and counts', async () => {
    const ids = ada.map((c) => c.id);
    const s = await ward.call<Submitted>(submitClaims, { claimIds: ids });
    const name = `${String(s.interchangeControl).padStart(9, '0')}-06102.x12`;
    expect(files()).toEqual([name]);
    expect(s.location).toBe(join(outbox, name));
    const text = readFileSync(s.location, 'utf8');
    expect(s.bytes).toBe(Buffer.byteLength(text));
    // Strict parse: ISA13 = IEA02, GS06 = GE02, ST02 = SE02 and every count must hold.
    const file = parseX12(text);
    const interchange = file.interchanges[0]!;
    expect(interchange.control).toBe(String(s.interchangeControl).padStart(9, '0'));
    expect(interchange.sender.id).toBe('CAREBRIDGE01');
    expect(interchange.receiver.id).toBe('CLEARHOUSE01');
    expect(interchange.groups.map((g) => [g.functionalId, g.version, g.transactions.length]).sort()).toEqual([
      ['HC', '005010X222A1', 1],
      ['HC', '005010X223A2', 1],
    ]);
    const sent = claimsOfFile(file);
    for (const c of ada) {
      const doc = (await claimRow(ward.database, c.id)).document as ClaimDocument;
      expect(modelOf(sent.find((x) => x.claim.id === c.id)!.claim)).toEqual(modelOf(doc.claim));
    }
    const [row] = await ward.database.db
      .select()
      .from(claimSubmissions)
      .where(eq(claimSubmissions.id, s.submissionId));
    expect(row).toEqual(
      expect.objectContaining({
        adapter: 'outbox',
        claimIds: ids,
        sha256: createHash('sha256').update(text).digest('hex'),
      }),
    );
    for (const c of s.claims) {
      expect(c.status).toBe('submitted');
      expect(c.submissionId).toBe(s.submissionId);
      expect(c.submittedAt).toBe('2026-03-20T09:00:00.000Z');
    }
  });

  it('refuses a claim already submitted', async () => {
    const err = await refusal(ward.call(submitClaims, { claimIds: [ada[0]!.id] }));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain(`${ada[0]!.id} is submitted`);
  });

  it('scrubs again and refuses a claim with an error even when its status says ready; nothing is sent', async () => {
    await ward.database.db.update(claims).set({ status: 'ready' }).where(eq(claims.id, bo.id));
    const before = { files: files(), submissions: await rowCount(ward.database, 'claim_submissions') };
    const err = await refusal(ward.call(submitClaims, { claimIds: [bo.id] }));
    expect(err.code).toBe('invalid');
    expect(err.message).toContain(bo.id);
    expect(err.message).toContain('PRIOR_AUTH_MISSING');
    expect(err.issues).toEqual([{ field: 'claimIds.0', message: 'PRIOR_AUTH_MISSING' }]);
    expect(files()).toEqual(before.files);
    expect(await rowCount(ward.database, 'claim_submissions')).toBe(before.submissions);
    expect((await claimRow(ward.database, bo.id)).submittedAt).toBeNull();
  });

  it('marks nothing submitted when the clearinghouse refuses the file', async () => {
    await ward.call(fixClaimOp, { claimId: bo.id });
    const unregister = registerClearinghouse('broken', () => ({
      name: 'broken',
      submit: async () => {
        throw new Error('clearinghouse unavailable');
      },
    }));
    await ward.database.db.update(payers).set({ clearinghouse: 'broken' }).where(eq(payers.id, 'pay-acme'));
    try {
      await expect(ward.call(submitClaims, { claimIds: [bo.id] })).rejects.toThrow(
        'clearinghouse unavailable',
      );
      const row = await claimRow(ward.database, bo.id);
      expect([row.status, row.submittedAt, row.submissionId]).toEqual(['ready', null, null]);
      await ward.database.db
        .update(payers)
        .set({ clearinghouse: 'nowhere' })
        .where(eq(payers.id, 'pay-acme'));
      const unknown = await refusal(ward.call(submitClaims, { claimIds: [bo.id] }));
      expect(unknown.message).toContain('No clearinghouse adapter named "nowhere"');
    } finally {
      unregister();
      await ward.database.db.update(payers).set({ clearinghouse: 'outbox' }).where(eq(payers.id, 'pay-acme'));
    }
  });

  it('submits a claim once when two submissions race', async () => {
    const results = await Promise.allSettled([
      ward.call<Submitted>(submitClaims, { claimIds: [bo.id] }),
      ward.call<Submitted>(submitClaims, { claimIds: [bo.id] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).toBe('conflict');
    const subs = await ward.database.db.select().from(claimSubmissions);
    expect(subs.filter((s) => s.claimIds.includes(bo.id))).toHaveLength(1);
    expect(files().filter((f) => f.endsWith('-ACME1.x12'))).toHaveLength(1);
  });

  it('refuses bad input by field', async () => {
    const empty = await refusal(ward.call(submitClaims, { claimIds: [] }));
    expect(empty.issues[0]?.field).toBe('claimIds');
    const twice = await refusal(ward.call(submitClaims, { claimIds: ['CLM1', 'CLM1'] }));
    expect(twice.issues[0]?.message).toBe('each claim once');
  });
});
