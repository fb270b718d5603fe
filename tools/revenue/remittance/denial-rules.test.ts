import { describe, expect, it } from 'vitest';
import { type DenialFacts, decideDenial, underpaymentTolerance } from './denial-rules.ts';
import { claimDeltas, type PaymentFacts, paymentOutcome, type PostedAdjustment } from './payment.ts';

const adj = (group: string, carc: string, amountCents: number, line?: number): PostedAdjustment => ({
  group,
  groupDescription: group,
  carc,
  carcDescription: `CARC ${carc}`,
  amountCents,
  ...(line !== undefined ? { line } : {}),
});

const facts = (over: Partial<DenialFacts>): DenialFacts => ({
  outcome: 'denied',
  reversal: false,
  adjustments: [],
  remarks: [],
  lines: [],
  serviceDate: '2026-03-10',
  otherCoverageId: null,
  authorizationNumber: null,
  filedInTime: null,
  ptpIndicator: () => null,
  feeSchedule: new Map(),
  ...over,
});

const line = (n: number, procedureCode: string, paidCents: number) => ({
  line: n,
  procedureCode,
  modifiers: [],
  chargeCents: 10_000,
  paidCents,
  units: 1,
  serviceFrom: '2026-03-10',
});

describe('the denial rules', () => {
  it.each<[string, Partial<DenialFacts>, string, string]>([
    [
      'CO-16 with an M remark',
      { adjustments: [adj('CO', '16', 500)], remarks: [{ source: 'MOA', code: 'MA130', description: '' }] },
      'missing-information',
      'correct-and-resubmit',
    ],
    [
      'CO-11 diagnosis inconsistent',
      { adjustments: [adj('CO', '11', 500)] },
      'coding',
      'correct-and-resubmit',
    ],
    [
      'CO-27 coverage ended, no other coverage',
      { adjustments: [adj('CO', '27', 500)] },
      'eligibility',
      'bill-patient',
    ],
    [
      'CO-27 coverage ended, another active',
      { adjustments: [adj('CO', '27', 500)], otherCoverageId: 'cov-2' },
      'eligibility',
      'bill-secondary',
    ],
    [
      'CO-197 with an authorisation on file',
      { adjustments: [adj('CO', '197', 500)], authorizationNumber: 'A-1' },
      'authorization',
      'appeal',
    ],
    ['CO-197 with none on file', { adjustments: [adj('CO', '197', 500)] }, 'authorization', 'write-off'],
    [
      'CO-29 filed in time',
      { adjustments: [adj('CO', '29', 500)], filedInTime: true },
      'timely-filing',
      'appeal',
    ],
    ['CO-29 late', { adjustments: [adj('CO', '29', 500)], filedInTime: false }, 'timely-filing', 'write-off'],
    ['CO-18 duplicate', { adjustments: [adj('CO', '18', 500)] }, 'duplicate', 'review'],
    ['CO-50 medical necessity', { adjustments: [adj('CO', '50', 500)] }, 'medical-necessity', 'appeal'],
    [
      'OA-22 coordination of benefits',
      { adjustments: [adj('OA', '22', 500)] },
      'coordination-of-benefits',
      'bill-secondary',
    ],
    ['PR-27 put on the patient', { adjustments: [adj('PR', '27', 500)] }, 'eligibility', 'bill-patient'],
    [
      'PR-204 not covered, on the patient',
      { adjustments: [adj('PR', '204', 500)] },
      'patient-responsibility',
      'bill-patient',
    ],
    ['CO-B7 (no rule of its own)', { adjustments: [adj('CO', 'B7', 500)] }, 'other', 'review'],
    [
      'CO-97 where NCCI allows no modifier',
      {
        adjustments: [adj('CO', '97', 500, 2)],
        lines: [line(1, '80053', 1_000), line(2, '80048', 0)],
        ptpIndicator: (a, b) => (a === '80053' && b === '80048' ? 0 : null),
      },
      'bundling',
      'write-off',
    ],
    [
      'CO-97 with no NCCI edit',
      { adjustments: [adj('CO', '97', 500, 2)], lines: [line(1, '80053', 1_000), line(2, '85025', 0)] },
      'bundling',
      'correct-and-resubmit',
    ],
    [
      'the largest reason leads: CO-50 over CO-16',
      { adjustments: [adj('CO', '16', 100), adj('CO', '50', 900)] },
      'medical-necessity',
      'appeal',
    ],
  ])('%s → %s / %s', (_, over, category, action) => {
    expect(decideDenial(facts(over))).toMatchObject({ category, action });
  });

  it('opens nothing for contractual adjustments, cost sharing without a secondary, or a reversal', () => {
    expect(
      decideDenial(facts({ outcome: 'paid', adjustments: [adj('CO', '45', 500), adj('PR', '2', 200)] })),
    ).toBeNull();
    expect(decideDenial(facts({ reversal: true, adjustments: [adj('CO', '197', 500)] }))).toBeNull();
  });

  it('sends cost sharing to the secondary payer when the patient has one', () => {
    const d = decideDenial(
      facts({ outcome: 'paid', adjustments: [adj('PR', '1', 300)], otherCoverageId: 'cov-2' }),
    );
    expect(d).toMatchObject({
      category: 'patient-responsibility',
      action: 'bill-secondary',
      amountCents: 300,
    });
  });

  it('appeals a payment below the allowed amount less the patient share, beyond the tolerance only', () => {
    const feeSchedule = new Map([['29881', 310_000]]);
    const short = facts({
      outcome: 'paid',
      lines: [{ ...line(1, '29881', 240_000), chargeCents: 680_000 }],
      adjustments: [adj('PR', '2', 62_000, 1)],
      feeSchedule,
    });
    expect(decideDenial(short)).toMatchObject({
      category: 'underpayment',
      action: 'appeal',
      amountCents: 8_000,
    });
    // $1 short of $2,480 is inside the tolerance (the greater of $1.00 and 1 %).
    expect(underpaymentTolerance(248_000)).toBe(2_480);
    const close = facts({ ...short, lines: [{ ...line(1, '29881', 247_900), chargeCents: 680_000 }] });
    expect(decideDenial(close)).toBeNull();
  });
});

describe('what a payment makes of the claim', () => {
  const payment = (over: Partial<PaymentFacts>, adjustments: PostedAdjustment[]): PaymentFacts => ({
    patientControlNumber: 'C1',
    claimStatusCode: '1',
    chargeCents: 10_000,
    paidCents: 6_000,
    patientResponsibilityCents: 1_000,
    payerClaimNumber: null,
    detail: {
      adjustments,
      remarks: [],
      payerName: null,
      filingIndicator: null,
      serviceFrom: null,
      serviceTo: null,
    },
    lines: [],
    ...over,
  });
  it.each<[string, PaymentFacts, string]>([
    [
      'paid + CO-45 + PR account for the charge',
      payment({}, [adj('CO', '45', 3_000), adj('PR', '2', 1_000)]),
      'paid',
    ],
    [
      'a CO-97 reduction',
      payment({ paidCents: 5_000 }, [adj('CO', '45', 3_000), adj('PR', '2', 1_000), adj('CO', '97', 1_000)]),
      'partially-paid',
    ],
    ['CLP02 4', payment({ claimStatusCode: '4', paidCents: 0, patientResponsibilityCents: 0 }, []), 'denied'],
    [
      'nothing paid with a denial reason',
      payment({ paidCents: 0, patientResponsibilityCents: 0 }, [adj('CO', '50', 10_000)]),
      'denied',
    ],
    [
      'short without a reason',
      payment({ paidCents: 5_000 }, [adj('CO', '45', 3_000), adj('PR', '2', 1_000)]),
      'partially-paid',
    ],
  ])('%s → %s', (_, p, outcome) => {
    expect(paymentOutcome(p)).toBe(outcome);
  });

  it('takes a reversal back whichever sign the payer sent its amounts in', () => {
    const adjustments = [adj('CO', '45', 3_000), adj('PR', '2', 1_000)];
    const negative = payment(
      { claimStatusCode: '22', paidCents: -6_000, patientResponsibilityCents: -1_000 },
      adjustments.map((a) => ({ ...a, amountCents: -a.amountCents })),
    );
    const positive = payment({ claimStatusCode: '22' }, adjustments);
    for (const p of [negative, positive])
      expect(claimDeltas(p)).toEqual({ paid: -6_000, patient: -1_000, adjusted: -3_000 });
    expect(claimDeltas(payment({}, adjustments))).toEqual({ paid: 6_000, patient: 1_000, adjusted: 3_000 });
  });
});
