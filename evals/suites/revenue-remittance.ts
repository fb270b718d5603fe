import { denied, era835, paidInFull } from '../revenue/remit835.ts';
import { adaInBed, boSecondary } from '../revenue/setups.ts';
import { adaI, adaP, billAda, billBo, bo, remit } from '../revenue/steps.ts';
import type { RevenueScenario } from '../revenue/types.ts';

// Posting 835s against the claims the agent sent. Bo's knee: $6,800.00 charged, $3,100.00 allowed by
// Acme's fee schedule (tools/revenue/test-fixtures.ts), so a payment in full is $2,480.00 with 20 %
// coinsurance (PR-2) of $620.00 and a CO-45 write-down of $3,700.00 (CARC 45: charge exceeds the fee
// schedule; 2: coinsurance; 1: deductible — X12 CARC list, data/codesets/carc__cms-bfd.csv).
const boPaid = remit((claim) => [paidInFull(claim(bo), 248_000, 62_000)]);

export const remittanceScenarios: RevenueScenario[] = [
  {
    id: 'paid-in-full-closes-claim',
    description:
      'Acme pays Bo’s knee at the fee schedule (CO-45, PR-2): paid, no work item, no denial task; the agent says so when asked',
    steps: [
      billBo,
      boPaid,
      { ask: 'where is claim {claim}?', claim: bo, tag: 'where' },
      { ask: 'why was claim {claim} denied?', claim: bo, tag: 'why' },
    ],
    expect: {
      calls: {
        where: {
          status: 200,
          detail:
            /^CLM\d+: 837P to pay-acme, \$6800\.00, paid\.\nPaid \$2480\.00, patient responsibility \$620\.00 \(1 remittance\(s\)\)\.$/,
        },
        why: { status: 200, detail: /^CLM\d+ has no denial in the work queue; it is paid\.$/ },
      },
      claims: [{ ...bo, status: 'paid', paidCents: 248_000, patientResponsibilityCents: 62_000 }],
      remittances: 1,
      payments: { posted: 1, held: 0 },
      workItems: [],
      tasks: [{ kind: 'bill-encounter', status: 'done' }],
    },
  },
  {
    id: 'deductible-with-secondary-left-for-office',
    description:
      'a deductible left to Bo, who has a secondary plan: bill-secondary is left for the billing office',
    setup: boSecondary,
    steps: [
      billBo,
      remit((claim) => [
        {
          claim: claim(bo),
          paidCents: 180_000,
          patientCents: 130_000,
          cas: [
            ['CO', '45', 370_000],
            ['PR', '1', 130_000],
          ],
        },
      ]),
    ],
    expect: {
      claims: [{ ...bo, status: 'paid', paidCents: 180_000, patientResponsibilityCents: 130_000 }],
      workItems: [
        { claim: bo, category: 'patient-responsibility', suggestedAction: 'bill-secondary', status: 'open' },
      ],
      tasks: [
        { kind: 'bill-encounter', status: 'done' },
        {
          kind: 'work-remittance',
          status: 'done',
          outcome: /0 of 1 work item\(s\) resolved; left for the billing office: .* bill-secondary$/,
          notes: [/^Left .* for the billing office: bill-secondary$/],
        },
      ],
    },
  },
  {
    id: 'unknown-claim-held',
    description:
      'an 835 for a claim id the hospital never sent: the payment is held for review, no claim changes',
    steps: [
      billBo,
      remit((claim) => [{ ...paidInFull(claim(bo), 248_000, 62_000), controlNumber: 'CLM999999999999' }]),
    ],
    expect: {
      claims: [{ ...bo, status: 'submitted', paidCents: 0 }],
      payments: { posted: 0, held: 1 },
      workItems: [
        { claim: null, category: 'unmatched-remittance', suggestedAction: 'review', status: 'open' },
      ],
      tasks: [
        { kind: 'bill-encounter', status: 'done' },
        { kind: 'work-remittance', status: 'done', notes: [/^Left .* \(unmatched-remittance, no claim\)/] },
      ],
    },
  },
  {
    id: 'held-payment-matched',
    description:
      'the billing office matches the held payment to Bo’s claim: it posts, the claim is paid, the item closes',
    steps: [
      billBo,
      remit((claim) => [{ ...paidInFull(claim(bo), 248_000, 62_000), controlNumber: 'CLM999999999999' }]),
      { matchHeld: bo, tag: 'match' },
    ],
    expect: {
      calls: { match: { status: 200 } },
      claims: [{ ...bo, status: 'paid', paidCents: 248_000, patientResponsibilityCents: 62_000 }],
      payments: { held: 0 },
      workItems: [{ category: 'unmatched-remittance', status: 'resolved', resolution: 'matched' }],
    },
  },
  {
    id: 'malformed-835-refused',
    description: 'an 835 whose SE count is wrong is refused naming the segment; nothing is posted',
    steps: [
      billBo,
      {
        remit: (claim) => era835([paidInFull(claim(bo), 248_000, 62_000)]).replace(/SE\*\d+\*/, 'SE*3*'),
        tag: 'bad',
      },
    ],
    expect: {
      calls: { bad: { status: 422, detail: /segment \d+ \(SE\) at byte \d+, line \d+: SE01/ } },
      claims: [{ ...bo, status: 'submitted', paidCents: 0 }],
      remittances: 0,
      payments: { posted: 0, held: 0 },
      workItems: [],
    },
  },
  {
    id: 'reversal-reopens-claim',
    description:
      'the payer takes the payment back (CLP02 22): the claim is submitted again with nothing paid',
    steps: [
      billBo,
      boPaid,
      remit(
        (claim) => [
          {
            claim: claim(bo),
            status: '22',
            chargeCents: -680_000,
            paidCents: -248_000,
            patientCents: -62_000,
            cas: [
              ['CO', '45', -370_000],
              ['PR', '2', -62_000],
            ],
          },
        ],
        { control: 2 },
      ),
    ],
    expect: {
      claims: [{ ...bo, status: 'submitted', paidCents: 0, patientResponsibilityCents: 0 }],
      remittances: 2,
      payments: { posted: 2 },
      workItems: [],
    },
  },
  {
    id: 'remittance-without-text-refused',
    description: 'post_remittance without the file is refused naming the text field; nothing is written',
    steps: [{ op: 'post_remittance', body: { fileName: 'empty.835' }, tag: 'empty' }],
    expect: {
      calls: { empty: { status: 422, detail: /text/ } },
      remittances: 0,
    },
  },
  {
    id: 'ward-key-cannot-post-remittance',
    description: 'a ward staff key may not post a remittance (403): no payment, no claim change',
    steps: [
      billBo,
      remit((claim) => [paidInFull(claim(bo), 248_000, 62_000)], { as: 'staff', tag: 'staff' }),
    ],
    expect: {
      calls: { staff: { status: 403 } },
      claims: [{ ...bo, status: 'submitted' }],
      remittances: 0,
    },
  },
  {
    id: 'billing-key-cannot-discharge',
    description:
      'the billing office’s key may not discharge a patient (403): the stay goes on, nothing is billed',
    setup: adaInBed,
    steps: [{ discharge: 'pat-1', as: 'billing', tag: 'discharge' }],
    expect: {
      calls: { discharge: { status: 403, detail: /beds:write/ } },
      tasks: [],
      claimCounts: { 'enc-ada-stay': 0 },
    },
  },
  {
    id: 'one-835-two-claims',
    description:
      'one 835 pays Ada’s facility claim and denies her professional claim: each claim gets its own outcome',
    steps: [
      billAda,
      remit((claim) => [paidInFull(claim(adaI), 900_000), denied(claim(adaP), '50')], { payer: 'medicare' }),
    ],
    expect: {
      claims: [
        { ...adaI, status: 'paid', paidCents: 900_000 },
        { ...adaP, status: 'denied', paidCents: 0 },
      ],
      payments: { posted: 2, held: 0 },
      workItems: [
        { claim: adaP, category: 'medical-necessity', suggestedAction: 'appeal', draftKind: 'appeal' },
      ],
    },
  },
];
