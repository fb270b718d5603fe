import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import { refusal } from '../../../test/refusal.ts';
import { revenueWard } from '../test-fixtures.ts';
import { getRemittance, listHeldPayments, matchHeldPayment, postRemittance } from './operations.ts';
import {
  file835,
  type PostedPayment as Payment,
  paidInFull,
  postingHarness,
  submittedClaim,
} from './test-remittances.ts';

let database: Database;
const { call, claimRow, knee } = postingHarness(() => database);

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
});

describe('post_remittance: what a payment does to its claim', () => {
  it('pays a claim in full (CO-45 contractual + PR-2 coinsurance): paid, totals posted, no work item', async () => {
    await knee('CLM-PAID');
    const r = await call(postRemittance, {
      text: file835({ claims: [paidInFull('CLM-PAID')] }),
      fileName: 'era-1.835',
    });
    expect(r).toMatchObject({
      alreadyPosted: false,
      warnings: [],
      claimCount: 1,
      heldCount: 0,
      paymentCents: 248_000,
    });
    expect(r.payments).toEqual([
      expect.objectContaining({
        claimId: 'CLM-PAID',
        status: 'posted',
        claimStatus: 'paid',
        paidCents: 248_000,
        workItem: null,
      }),
    ]);
    expect(await claimRow('CLM-PAID')).toMatchObject({
      status: 'paid',
      paidCents: 248_000,
      patientResponsibilityCents: 62_000,
      adjustedCents: 370_000,
      payerClaimNumber: 'PCN-CLM-PAID',
    });
  });

  it('denies a claim for CO-197 (authorisation absent): denied, authorization work item suggesting appeal with AUTH-2201', async () => {
    await knee('CLM-AUTH');
    const r = await call(postRemittance, {
      text: file835({
        claims: [{ id: 'CLM-AUTH', status: '4', charge: 6800, paid: 0, cas: [['CO', '197', 6800]] }],
      }),
    });
    const [p] = r.payments;
    expect(p).toMatchObject({
      claimStatus: 'denied',
      workItem: { category: 'authorization', suggestedAction: 'appeal', amountCents: 680_000 },
    });
    expect((await claimRow('CLM-AUTH')).status).toBe('denied');
    const [item] =
      await database.sql`select reasons from denial_work_items where id = ${p!.workItem!.workItemId}`;
    expect(item!.reasons).toMatchObject({
      reasons: [
        {
          group: 'CO',
          carc: '197',
          description: 'Precertification/authorization/notification/pre-treatment absent.',
          amountCents: 680_000,
        },
      ],
      rule: expect.stringContaining('AUTH-2201'),
    });
  });

  it('bundles one of two lines (line CAS 97 with RARC M15): partially-paid, bundling work item on that line', async () => {
    await submittedClaim(database, 'CLM-LABS', 'ada', [
      { code: '80053', chargeCents: 18_000, serviceDate: '2026-03-02' },
      { code: '85025', chargeCents: 9_500, serviceDate: '2026-03-02' },
    ]);
    const r = await call(postRemittance, {
      text: file835({
        payerId: '06102',
        claims: [
          {
            id: 'CLM-LABS',
            charge: 275,
            paid: 10.5,
            patient: 0,
            lines: [
              { code: '80053', charge: 180, paid: 10.5, date: '2026-03-02', cas: [['CO', '45', 169.5]] },
              {
                code: '85025',
                charge: 95,
                paid: 0,
                date: '2026-03-02',
                cas: [['CO', '97', 95]],
                lq: ['M15'],
              },
            ],
          },
        ],
      }),
    });
    expect(r.payments[0]).toMatchObject({
      claimStatus: 'partially-paid',
      workItem: { category: 'bundling', suggestedAction: 'correct-and-resubmit', amountCents: 9_500 },
    });
    const [item] = await database.sql`select reasons from denial_work_items where claim_id = 'CLM-LABS'`;
    expect(item!.reasons).toMatchObject({
      reasons: [{ carc: '97', rarc: 'M15', line: 2, amountCents: 9_500 }],
    });
    expect(await claimRow('CLM-LABS')).toMatchObject({ paidCents: 1_050, adjustedCents: 26_450 });
  });

  it('holds a payment for an unknown claim with an unmatched work item; match_held_payment posts it later', async () => {
    await knee('CLM-LATE');
    const r = await call(postRemittance, { text: file835({ claims: [paidInFull('CLM-LATE-TYPO')] }) });
    expect(r).toMatchObject({ heldCount: 1 });
    const [held] = r.payments;
    expect(held).toMatchObject({
      claimId: null,
      status: 'held',
      holdReason: 'no claim has patient control number CLM-LATE-TYPO',
      workItem: { category: 'unmatched-remittance', suggestedAction: 'review', amountCents: 248_000 },
    });
    expect((await claimRow('CLM-LATE')).paidCents).toBe(0);
    const list = await call<{ payments: { claimPaymentId: string }[] }>(listHeldPayments, {});
    expect(list.payments.map((p) => p.claimPaymentId)).toContain(held!.claimPaymentId);

    const incomplete = await refusal(call(matchHeldPayment, { claimPaymentId: held!.claimPaymentId }));
    expect(incomplete).toMatchObject({ code: 'invalid', issues: [{ field: 'claimId' }] });
    const notSubmitted = await refusal(
      call(matchHeldPayment, { claimPaymentId: held!.claimPaymentId, claimId: 'CLM-NOWHERE' }),
    );
    expect(notSubmitted).toMatchObject({ code: 'not_found', issues: [{ field: 'claimId' }] });
    expect((await call(getRemittance, { remittanceId: r.remittanceId })).payments[0]).toMatchObject({
      status: 'held',
    });

    const matched = await call<Payment>(matchHeldPayment, {
      claimPaymentId: held!.claimPaymentId,
      claimId: 'CLM-LATE',
    });
    expect(matched).toMatchObject({
      status: 'released',
      claimId: 'CLM-LATE',
      claimStatus: 'paid',
      workItem: { status: 'resolved' },
    });
    expect(await claimRow('CLM-LATE')).toMatchObject({ status: 'paid', paidCents: 248_000 });
    expect((await call(getRemittance, { remittanceId: r.remittanceId })).heldCount).toBe(0);
    const again = await refusal(
      call(matchHeldPayment, { claimPaymentId: held!.claimPaymentId, claimId: 'CLM-LATE' }),
    );
    expect(again).toMatchObject({ code: 'conflict', issues: [{ field: 'claimPaymentId' }] });
  });

  it('turns the unmatched work item into the denial item when the matched payment denies the claim', async () => {
    await knee('CLM-LATE-DENY');
    const r = await call(postRemittance, {
      text: file835({
        trace: 'LATE-DENY',
        claims: [{ id: 'CLM-LATE-DENIED', status: '4', charge: 6800, paid: 0, cas: [['CO', '50', 6800]] }],
      }),
    });
    const matched = await call<Payment>(matchHeldPayment, {
      claimPaymentId: r.payments[0]!.claimPaymentId,
      claimId: 'CLM-LATE-DENY',
    });
    expect(matched).toMatchObject({
      claimStatus: 'denied',
      workItem: {
        workItemId: r.payments[0]!.workItem!.workItemId,
        category: 'medical-necessity',
        suggestedAction: 'appeal',
        amountCents: 680_000,
      },
    });
    const [item] =
      await database.sql`select claim_id, status from denial_work_items where claim_payment_id = ${matched.claimPaymentId}`;
    expect(item).toEqual({ claim_id: 'CLM-LATE-DENY', status: 'open' });
  });

  it('puts a second payment of a paid claim (more than was billed) up for review', async () => {
    await knee('CLM-PAID-TWICE');
    await call(postRemittance, { text: file835({ trace: 'PT-1', claims: [paidInFull('CLM-PAID-TWICE')] }) });
    const again = await call(postRemittance, {
      text: file835({ trace: 'PT-2', claims: [paidInFull('CLM-PAID-TWICE')] }),
    });
    expect(again.payments[0]!.workItem).toMatchObject({
      category: 'other',
      suggestedAction: 'review',
      amountCents: 248_000,
    });
    expect((await claimRow('CLM-PAID-TWICE')).paidCents).toBe(496_000);
  });

  it('holds a payment for a claim that was never submitted', async () => {
    await submittedClaim(
      database,
      'CLM-DRAFT',
      'bo',
      [{ code: '29881', chargeCents: 680_000, serviceDate: '2026-03-10' }],
      { status: 'ready' },
    );
    const r = await call(postRemittance, { text: file835({ claims: [paidInFull('CLM-DRAFT')] }) });
    expect(r.payments[0]).toMatchObject({ status: 'held', holdReason: expect.stringContaining('is ready') });
    expect((await claimRow('CLM-DRAFT')).paidCents).toBe(0);
  });

  it('holds a payment from another payer than the claim was sent to (REF*2U), posting nothing to the claim', async () => {
    await submittedClaim(database, 'CLM-ACME', 'bo', [
      { code: '29881', chargeCents: 680_000, serviceDate: '2026-03-10' },
    ]);
    const r = await call(postRemittance, {
      text: file835({ payerName: 'MEDICARE', payerId: '06102', claims: [paidInFull('CLM-ACME')] }),
    });
    expect(r.payments[0]).toMatchObject({
      status: 'held',
      holdReason: 'the 835 is from payer 06102, but claim CLM-ACME was sent to payer ACME1',
    });
    expect(await claimRow('CLM-ACME')).toMatchObject({ paidCents: 0, status: 'submitted' });
  });

  it('adds up eight different remittances paying the same claim at the same time (no lost update)', async () => {
    await knee('CLM-SPLIT');
    const part = (trace: string, paid: number): string =>
      file835({
        trace,
        claims: [{ id: 'CLM-SPLIT', charge: 6800, paid, patient: 0, cas: [['CO', '45', 6800 - paid]] }],
      });
    // Eight files at once, $100.00 each (payers split payments into several remittances).
    await Promise.all(
      Array.from({ length: 8 }, (_, k) => call(postRemittance, { text: part(`SPLIT-${k}`, 100) })),
    );
    expect((await claimRow('CLM-SPLIT')).paidCents).toBe(80_000);
  });

  it('takes a reversal (CLP02 22) back and posts the reprocessed payment', async () => {
    await knee('CLM-REV');
    await call(postRemittance, { text: file835({ trace: 'REV-0', claims: [paidInFull('CLM-REV')] }) });
    const r = await call(postRemittance, {
      text: file835({
        trace: 'REV-1',
        claims: [
          {
            id: 'CLM-REV',
            status: '22',
            charge: -6800,
            paid: -2480,
            patient: -620,
            cas: [
              ['CO', '45', -3700],
              ['PR', '2', -620],
            ],
          },
          {
            id: 'CLM-REV',
            charge: 6800,
            paid: 2600,
            patient: 500,
            cas: [
              ['CO', '45', 3700],
              ['PR', '2', 500],
            ],
          },
        ],
      }),
    });
    expect(r.payments.map((p) => p.workItem)).toEqual([null, null]);
    expect(await claimRow('CLM-REV')).toMatchObject({
      status: 'paid',
      paidCents: 260_000,
      patientResponsibilityCents: 50_000,
      adjustedCents: 370_000,
    });
  });

  it('flags an underpayment against the fee schedule for appeal', async () => {
    await knee('CLM-SHORT');
    const r = await call(postRemittance, {
      text: file835({
        trace: 'SHORT',
        claims: [
          {
            id: 'CLM-SHORT',
            charge: 6800,
            paid: 2000,
            patient: 620,
            lines: [
              {
                code: '29881',
                charge: 6800,
                paid: 2000,
                date: '2026-03-10',
                cas: [
                  ['CO', '45', 4180],
                  ['PR', '2', 620],
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(r.payments[0]).toMatchObject({
      claimStatus: 'paid',
      workItem: { category: 'underpayment', suggestedAction: 'appeal', amountCents: 48_000 },
    });
  });
});
