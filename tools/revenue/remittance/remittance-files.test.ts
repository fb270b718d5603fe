import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import { refusal } from '../../../test/refusal.ts';
import { revenueWard } from '../test-fixtures.ts';
import { sample } from '../x12/test-helpers.ts';
import { listRemittances, postRemittance } from './operations.ts';
import { file835, interchange835, paidInFull, postingHarness } from './test-remittances.ts';

let database: Database;
const { call, claimRow, counts, knee } = postingHarness(() => database);

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
});

describe('post_remittance: the file', () => {
  it('posts the same bytes once: a second post returns the earlier result marked alreadyPosted and writes nothing', async () => {
    await knee('CLM-TWICE');
    const text = file835({ trace: 'TWICE', claims: [paidInFull('CLM-TWICE')] });
    const first = await call(postRemittance, { text });
    const before = await counts();
    const second = await call(postRemittance, { text });
    expect(second).toMatchObject({
      alreadyPosted: true,
      remittanceId: first.remittanceId,
      payments: first.payments,
    });
    expect(await counts()).toEqual(before);
    expect((await claimRow('CLM-TWICE')).paidCents).toBe(248_000);
  });

  it('posts the same bytes once when two posts race', async () => {
    await knee('CLM-RACE');
    const text = file835({ trace: 'RACE', claims: [paidInFull('CLM-RACE')] });
    const results = await Promise.all([call(postRemittance, { text }), call(postRemittance, { text })]);
    expect(results.map((r) => r.alreadyPosted).sort()).toEqual([false, true]);
    expect(results[0]!.remittanceId).toBe(results[1]!.remittanceId);
    expect((await claimRow('CLM-RACE')).paidCents).toBe(248_000);
  });

  it.each([
    [
      'a broken SE count',
      'CLM-BAD-SE',
      (t: string) => t.replace(/SE\*\d+\*1000/, 'SE*3*1000'),
      /segment \d+ \(SE\) at byte \d+, line \d+: SE01 says 3/,
    ],
    [
      'a CLP with a non-numeric amount',
      'CLM-BAD-CLP',
      (t: string) => t.replace('*1*6800*2480', '*1*6800*24X0'),
      /segment \d+ \(CLP\) at byte \d+, line \d+: CLP04 \(claim payment amount\) is not a number/,
    ],
  ])(
    'refuses a file with %s, naming the segment and position, and writes nothing',
    async (_, id, breakIt, message) => {
      await knee(id);
      const before = await counts();
      const err = await refusal(
        call(postRemittance, { text: breakIt(file835({ claims: [paidInFull(id)] })) }),
      );
      expect(err.code).toBe('invalid');
      expect(err.message).toMatch(message);
      expect(err.issues[0]?.field).toBe('text');
      expect(await counts()).toEqual(before);
      expect((await claimRow(id)).status).toBe('submitted');
    },
  );

  it('refuses input without text, naming the field, and writes nothing', async () => {
    const before = await counts();
    const err = await refusal(call(postRemittance, { fileName: 'x.835' }));
    expect(err).toMatchObject({ code: 'invalid', issues: [{ field: 'text' }] });
    expect(await counts()).toEqual(before);
  });

  it('posts every interchange of a file, with a BOM and non-default separators', async () => {
    await knee('CLM-MULTI-1');
    await knee('CLM-MULTI-2');
    const odd = { element: '|', component: '>', repetition: '}', segment: '_\r\n' };
    const text = `\uFEFF${interchange835([{ trace: 'M1', claims: [paidInFull('CLM-MULTI-1')] }], 7, odd)}${interchange835(
      [{ trace: 'M2', payerName: 'ACME SECONDARY', claims: [paidInFull('CLM-MULTI-2')] }],
      8,
      odd,
    )}`;
    const r = await call(postRemittance, { text });
    expect(r).toMatchObject({
      claimCount: 2,
      heldCount: 0,
      paymentCents: 496_000,
      payerName: 'ACME HEALTH; ACME SECONDARY',
      warnings: [],
    });
    expect(r.payments.map((p) => [p.claimId, p.claimStatus])).toEqual([
      ['CLM-MULTI-1', 'paid'],
      ['CLM-MULTI-2', 'paid'],
    ]);
  });

  it('stores PLB provider adjustments with their reasons, and warns (without refusing) when BPR02 does not balance', async () => {
    await knee('CLM-PLB');
    const balanced = await call(postRemittance, {
      text: file835({
        trace: 'PLB-1',
        claims: [paidInFull('CLM-PLB')],
        plb: [
          ['L6', -12.5],
          ['WO', 100],
        ],
      }),
    });
    expect(balanced.paymentCents).toBe(248_000 + 1_250 - 10_000);
    expect(balanced.warnings).toEqual([]);
    expect(balanced.providerAdjustments).toEqual([
      expect.objectContaining({ reason: 'L6', description: 'Interest Owed', amountCents: -1_250 }),
      expect.objectContaining({ reason: 'WO', description: 'Overpayment Recovery', amountCents: 10_000 }),
    ]);
    await knee('CLM-OFF');
    const off = await call(postRemittance, {
      text: file835({ trace: 'OFF', payment: 2500, claims: [paidInFull('CLM-OFF')] }),
    });
    expect(off.warnings).toEqual([
      expect.stringMatching(/BPR02 is 2500.00 but the claims paid \(CLP04\) 2480.00/),
    ]);
    expect((await claimRow('CLM-OFF')).status).toBe('paid');
  });

  it('refuses a file with no 835 in it (an 837), naming the field', async () => {
    const err = await refusal(call(postRemittance, { text: sample('lfh__demo.837') }));
    expect(err).toMatchObject({
      code: 'invalid',
      issues: [{ field: 'text', message: 'no 835 in the file' }],
    });
  });

  it('holds every claim of the public sample 835s (their claims are not ours) and drops none', async () => {
    const posted: string[] = [];
    for (const [name, claimsInFile] of [
      ['lfh__demo.835', 2],
      ['pyx12__835_mult_loops.txt', 1],
    ] as const) {
      const r = await call(postRemittance, { text: sample(name), fileName: name });
      expect(r).toMatchObject({ claimCount: claimsInFile, heldCount: claimsInFile, warnings: [] });
      expect(
        r.payments.every((p) => p.status === 'held' && p.workItem?.category === 'unmatched-remittance'),
      ).toBe(true);
      const [n] =
        await database.sql`select count(*)::int as n from claim_payments where remittance_id = ${r.remittanceId} and status = 'held'`;
      expect(n!.n).toBe(claimsInFile);
      posted.push(r.remittanceId);
    }
    const { remittances } = await call<{ remittances: { remittanceId: string; heldCount: number }[] }>(
      listRemittances,
      {
        withHeldOnly: true,
      },
    );
    expect(remittances.map((r) => r.remittanceId)).toEqual(expect.arrayContaining(posted));
    expect(remittances.every((r) => r.heldCount > 0)).toBe(true);
  });
});
