import type { Cas } from '../revenue/remit835.ts';
import { boSecondary } from '../revenue/setups.ts';
import { adaP, billAda, billBo, billedThenWorked, bo, boDenied, remit } from '../revenue/steps.ts';
import type { RevenueScenario } from '../revenue/types.ts';
import { denied } from '../revenue/remit835.ts';

// Denials worked by the agent: it drafts appeals for a coder's approval, and leaves write-offs, patient
// and secondary billing and reviews to the billing office (tools/revenue/remittance/README.md, "The
// denial queue"). CARCs from the X12 list (data/codesets/carc__cms-bfd.csv): 18 duplicate, 27 coverage
// terminated, 29 timely filing, 50 not medically necessary, 197 authorisation absent.

/** Bo's knee paid $2,000.00 where the fee schedule allows $3,100.00 less $620.00 coinsurance. */
const boUnderpaid = remit((claim) => {
  const cas: Cas[] = [
    ['CO', '45', 418_000],
    ['PR', '2', 62_000],
  ];
  return [
    {
      claim: claim(bo),
      paidCents: 200_000,
      patientCents: 62_000,
      lines: [{ line: 1, paidCents: 200_000, cas }],
    },
  ];
});

export const denialScenarios: RevenueScenario[] = [
  {
    id: 'auth-denial-appeal-approved',
    description:
      'CO-197 on Bo’s authorised knee: the agent drafts an appeal, the coder approves it, the item is resolved as appealed',
    steps: [billBo, boDenied('197'), { answerDraft: bo, decision: 'approve' }],
    expect: {
      claims: [{ ...bo, status: 'denied' }],
      workItems: [
        {
          claim: bo,
          category: 'authorization',
          suggestedAction: 'appeal',
          status: 'resolved',
          resolution: 'appealed',
          draftKind: 'appeal',
          approved: true,
        },
      ],
      tasks: billedThenWorked('done', {
        outcome: /1 of 1 work item\(s\) resolved$/,
        notes: [/^Drafted an appeal for CLM\d+ \(authorization\)/],
      }),
    },
  },
  {
    id: 'auth-denial-appeal-declined',
    description: 'the coder declines the appeal: the item goes back to the billing office with the reason',
    steps: [
      billBo,
      boDenied('197'),
      { answerDraft: bo, decision: 'decline', reason: 'authorisation lapsed' },
    ],
    expect: {
      workItems: [{ claim: bo, status: 'open', draftKind: 'appeal', declined: true, approved: false }],
      tasks: billedThenWorked('done', {
        notes: [/a coder declined the appeal draft: authorisation lapsed$/],
      }),
    },
  },
  {
    id: 'write-off-by-office',
    description:
      'CO-197 on Ada’s visits with no authorisation on file: a write-off the agent leaves to the office, which writes it off',
    steps: [
      billAda,
      remit((claim) => [denied(claim(adaP), '197')], { payer: 'medicare' }),
      { resolve: adaP, resolution: 'write-off', note: 'no authorisation obtained' },
    ],
    expect: {
      claims: [{ ...adaP, status: 'written-off' }],
      workItems: [
        {
          claim: adaP,
          category: 'authorization',
          suggestedAction: 'write-off',
          status: 'resolved',
          resolution: 'write-off',
          draftKind: null,
        },
      ],
      tasks: [
        { kind: 'bill-encounter', status: 'done' },
        { kind: 'work-remittance', status: 'done', notes: [/for the billing office: write-off$/] },
      ],
    },
  },
  {
    id: 'underpayment-appeal-approved',
    description:
      'Acme pays $480 less than its own fee schedule allows: an underpayment appeal is drafted and the coder approves it',
    steps: [billBo, boUnderpaid, { answerDraft: bo, decision: 'approve' }],
    expect: {
      workItems: [
        {
          claim: bo,
          category: 'underpayment',
          suggestedAction: 'appeal',
          status: 'resolved',
          resolution: 'appealed',
          approved: true,
        },
      ],
      // Paid + CO-45 + PR equal the charge, so the claim is paid; the short line is still caught.
      claims: [{ ...bo, status: 'paid', paidCents: 200_000 }],
      tasks: billedThenWorked('done'),
    },
  },
  {
    id: 'eligibility-denial-bill-secondary',
    description: 'CO-27 while Bo has a secondary plan in force: bill-secondary, left for the office',
    setup: boSecondary,
    steps: [billBo, boDenied('27')],
    expect: {
      workItems: [{ claim: bo, category: 'eligibility', suggestedAction: 'bill-secondary', status: 'open' }],
      tasks: billedThenWorked('done', { notes: [/for the billing office: bill-secondary$/] }),
    },
  },
  {
    id: 'eligibility-denial-bill-patient',
    description: 'CO-27 with no other coverage: bill-patient, left for the office',
    steps: [billBo, boDenied('27')],
    expect: {
      workItems: [{ claim: bo, category: 'eligibility', suggestedAction: 'bill-patient', status: 'open' }],
      tasks: billedThenWorked('done'),
    },
  },
  {
    id: 'timely-filing-denial-appealed',
    description: 'CO-29 on a claim sent within Acme’s 180 days: the agent drafts an appeal',
    steps: [billBo, boDenied('29')],
    expect: {
      workItems: [
        {
          claim: bo,
          category: 'timely-filing',
          suggestedAction: 'appeal',
          status: 'awaiting-approval',
          draftKind: 'appeal',
        },
      ],
      tasks: billedThenWorked('waiting'),
    },
  },
  {
    id: 'duplicate-denial-reviewed',
    description: 'CO-18 (duplicate): a review for the billing office, nothing drafted',
    steps: [billBo, boDenied('18')],
    expect: {
      workItems: [
        { claim: bo, category: 'duplicate', suggestedAction: 'review', status: 'open', draftKind: null },
      ],
      tasks: billedThenWorked('done'),
    },
  },
  {
    id: 'ask-why-denied',
    description:
      'the billing office asks why Bo’s claim was denied: the answer names CO-197 and the suggested appeal',
    steps: [billBo, boDenied('197'), { ask: 'why was claim {claim} denied?', claim: bo, tag: 'why' }],
    expect: {
      calls: { why: { status: 200, detail: /authorization, \$6800\.00, suggested appeal — CO-197 / } },
    },
  },
];

export const pendingDenialScenarios: RevenueScenario[] = [];
