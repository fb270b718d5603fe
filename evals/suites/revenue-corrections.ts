import {
  ADA,
  adaI,
  adaP,
  billAda,
  billBo,
  billedThenWorked,
  BO,
  bo,
  boDenied,
  boReplacement,
  remit,
} from '../revenue/steps.ts';
import { denied, paidInFull } from '../revenue/remit835.ts';
import type { RevenueScenario, RevenueStep } from '../revenue/types.ts';

// Denials answered with a corrected claim: a replacement (frequency 7, REF*F8 = the payer's claim number;
// 005010X222A1 2300 CLM05-3 and REF*F8) built by the agent, corrected by a coder when the record offers
// no fix, approved by a coder, then sent; the original becomes replaced. CARCs (X12 list): 11 diagnosis
// inconsistent with the procedure, 16 missing information, 97 bundled into another service.

const fixDiagnosis: RevenueStep = {
  answerReview: boReplacement,
  decision: 'correct',
  corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.222' }],
};

/** Ada's three visits: the first two paid at Medicare's fee schedule, the discharge day bundled (CO-97). */
const adaBundled = remit(
  (claim) => [
    {
      claim: claim(adaP),
      paidCents: 23_200,
      patientCents: 5_800,
      lines: [
        {
          line: 1,
          paidCents: 16_800,
          cas: [
            ['CO', '45', 21_000],
            ['PR', '2', 4_200],
          ],
        },
        {
          line: 2,
          paidCents: 6_400,
          cas: [
            ['CO', '45', 8_000],
            ['PR', '2', 1_600],
          ],
        },
        { line: 3, paidCents: 0, cas: [['CO', '97', 15_000]] },
      ],
    },
  ],
  { payer: 'medicare' },
);

export const correctionScenarios: RevenueScenario[] = [
  {
    id: 'coding-denial-replacement-waits',
    description:
      'CO-11 on Bo’s knee: the agent builds a replacement (frequency 7, REF*F8) and asks a coder to correct it',
    steps: [billBo, boDenied('11')],
    expect: {
      claimCounts: { [BO]: 2 },
      claims: [
        { ...bo, status: 'denied' },
        { ...boReplacement, status: 'needs-review', replaces: true },
      ],
      workItems: [{ claim: bo, category: 'coding', suggestedAction: 'correct-and-resubmit', status: 'open' }],
      outbox: { files: 1 },
      tasks: billedThenWorked('waiting', {
        notes: [/^Built replacement CLM\d+ \(frequency 7\)/, /^Asked a coder to correct replacement/],
      }),
    },
  },
  {
    id: 'coding-denial-replacement-submitted',
    description:
      'the coder corrects the replacement and approves the draft: it is sent, the original is replaced',
    steps: [billBo, boDenied('11'), fixDiagnosis, { answerDraft: bo, decision: 'approve' }],
    expect: {
      claims: [
        { ...bo, status: 'replaced' },
        { ...boReplacement, status: 'submitted', replaces: true, diagnoses: ['M23222'], errorCodes: [] },
      ],
      workItems: [
        {
          claim: bo,
          status: 'resolved',
          resolution: 'resubmitted',
          draftKind: 'corrected-claim',
          approved: true,
        },
      ],
      outbox: { files: 2, claims: [bo, boReplacement] },
      tasks: billedThenWorked('done', {
        notes: [/^Submitted replacement CLM\d+ for CLM\d+ \(approved by stf-coder\)$/],
      }),
    },
  },
  {
    id: 'corrected-claim-awaits-approval',
    description: 'the coder corrects the replacement: the agent drafts it for approval and sends nothing yet',
    steps: [billBo, boDenied('11'), fixDiagnosis],
    expect: {
      claims: [
        {
          ...boReplacement,
          status: 'ready',
          changedFields: ['claim.diagnoses[0].code', 'claim.frequencyCode', 'claim.originalClaimNumber'],
        },
      ],
      workItems: [{ claim: bo, status: 'awaiting-approval', draftKind: 'corrected-claim', approved: false }],
      outbox: { files: 1 },
      tasks: billedThenWorked('waiting'),
    },
  },
  {
    id: 'corrected-claim-declined',
    description:
      'the coder declines the corrected claim: nothing is resubmitted, the item is left for the office',
    steps: [
      billBo,
      boDenied('11'),
      fixDiagnosis,
      { answerDraft: bo, decision: 'decline', reason: 'documentation does not support it' },
    ],
    expect: {
      claims: [{ ...bo, status: 'denied' }],
      workItems: [{ claim: bo, status: 'open', draftKind: 'corrected-claim', declined: true }],
      outbox: { files: 1 },
      tasks: billedThenWorked('done'),
    },
  },
  {
    id: 'missing-info-replacement-voided',
    description: 'CO-16: the coder voids the replacement instead; the denial is left for the billing office',
    steps: [
      billBo,
      boDenied('16'),
      { answerReview: boReplacement, decision: 'void', reason: 'nothing to correct' },
    ],
    expect: {
      claims: [
        { ...bo, status: 'denied' },
        { ...boReplacement, status: 'void' },
      ],
      workItems: [
        {
          claim: bo,
          category: 'missing-information',
          suggestedAction: 'correct-and-resubmit',
          status: 'open',
        },
      ],
      outbox: { files: 1 },
      tasks: billedThenWorked('done', {
        notes: [/^A coder voided replacement CLM\d+: .* is left for the billing office$/],
      }),
    },
  },
  {
    id: 'bundled-line-partially-paid',
    description:
      'Medicare bundles Ada’s discharge-day visit (CO-97): partially paid; the replacement waits for a coder (no fix in the record)',
    steps: [billAda, adaBundled],
    expect: {
      claims: [
        { ...adaP, status: 'partially-paid', paidCents: 23_200, patientResponsibilityCents: 5_800 },
        { encounter: ADA, type: '837P', frequency: '7', status: 'needs-review', replaces: true },
      ],
      workItems: [
        { claim: adaP, category: 'bundling', suggestedAction: 'correct-and-resubmit', status: 'open' },
      ],
      tasks: billedThenWorked('waiting', {
        notes: [
          /^Asked a coder to correct replacement CLM\d+: denied as bundling and the record offers no correction$/,
        ],
      }),
    },
  },
  {
    id: 'paid-claim-voided',
    description:
      'the office voids Bo’s paid claim: a frequency-8 claim is sent, the original is void and its charge reopens',
    steps: [
      billBo,
      remit((claim) => [paidInFull(claim(bo), 248_000, 62_000)]),
      {
        op: 'void_claim',
        body: (claim) => ({ claimId: claim(bo).id, reason: 'billed to the wrong patient' }),
      },
      {
        op: 'submit_claims',
        body: (claim) => ({ claimIds: [claim({ encounter: BO, frequency: '8' }).id] }),
        tag: 'send',
      },
    ],
    expect: {
      calls: { send: { status: 200 } },
      claims: [
        { ...bo, status: 'void' },
        { encounter: BO, frequency: '8', status: 'submitted', replaces: true },
      ],
      charges: { [BO]: { open: 1, billed: 0 } },
      outbox: { files: 2 },
    },
  },
  {
    id: 'two-denials-one-remittance',
    description:
      'one 835 denies both of Ada’s claims (CO-50 and CO-11): answered in either order, the appeal and the replacement both go through',
    steps: [
      billAda,
      remit((claim) => [denied(claim(adaP), '50'), denied(claim(adaI), '11')], { payer: 'medicare' }),
      {
        answerReview: { encounter: ADA, type: '837I', frequency: '7' },
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 2, code: 'I11.9' }],
      },
      { answerDraft: adaP, decision: 'approve' },
      { answerDraft: adaI, decision: 'approve' },
    ],
    expect: {
      claims: [
        { ...adaP, status: 'denied' },
        { ...adaI, status: 'replaced' },
        { encounter: ADA, type: '837I', frequency: '7', status: 'submitted', replaces: true },
      ],
      workItems: [
        { claim: adaP, category: 'medical-necessity', status: 'resolved', resolution: 'appealed' },
        { claim: adaI, category: 'coding', status: 'resolved', resolution: 'resubmitted' },
      ],
      outbox: { files: 2 },
      tasks: [
        { kind: 'bill-encounter', status: 'done' },
        { kind: 'work-remittance', status: 'done', outcome: /2 of 2 work item\(s\) resolved$/ },
      ],
    },
  },
  {
    id: 'replacement-denied-again',
    description:
      'the sent replacement is denied in turn (CO-16): the agent builds a replacement of the replacement for a coder',
    steps: [
      billBo,
      boDenied('11'),
      fixDiagnosis,
      { answerDraft: bo, decision: 'approve' },
      remit((claim) => [denied(claim(boReplacement), '16')], { control: 2 }),
    ],
    expect: {
      claimCounts: { [BO]: 3 },
      claims: [
        { ...bo, status: 'replaced' },
        { ...boReplacement, status: 'denied' },
        { ...boReplacement, nth: 1, status: 'needs-review', replaces: true },
      ],
      workItems: [
        { claim: bo, status: 'resolved', resolution: 'resubmitted' },
        { claim: boReplacement, category: 'missing-information', status: 'open' },
      ],
      outbox: { files: 2 },
    },
  },
];
