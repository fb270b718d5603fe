import { CLINIC, clinic, headerCoded } from '../revenue/encounters.ts';
import { boSecondScope, sql } from '../revenue/setups.ts';
import { denied, paidInFull } from '../revenue/remit835.ts';
import { ADA, adaP, BO, billBo, bo, boDenied, boReplacement, remit } from '../revenue/steps.ts';
import type { RevenueScenario } from '../revenue/types.ts';

// The billing office at work beside the agent: questions to the agent (deterministic mode: no model),
// submissions through it (the scrubber still decides), and people's answers the tools must refuse.
export const officeScenarios: RevenueScenario[] = [
  {
    id: 'assistant-cannot-send-bad-claim',
    description:
      'asked to submit a claim the scrubber rejects, the agent reports the refusal; nothing is sent',
    setup: headerCoded,
    steps: [
      { op: 'capture_charges', body: { encounterId: CLINIC } },
      { op: 'build_claims', body: { encounterId: CLINIC } },
      { ask: 'submit claim {claim}', claim: clinic, tag: 'ask' },
    ],
    expect: {
      calls: { ask: { status: 200, detail: /^The revenue tools refused: .*DX_NOT_BILLABLE/ } },
      claims: [{ ...clinic, status: 'draft' }],
      outbox: { files: 0 },
    },
  },
  {
    id: 'assistant-submits-clean-claim',
    description: 'asked to submit Ada’s clean professional claim, the agent sends it through the scrubber',
    steps: [
      { op: 'capture_charges', body: { encounterId: ADA } },
      { op: 'build_claims', body: { encounterId: ADA } },
      { ask: 'submit claim {claim}', claim: adaP, tag: 'ask' },
    ],
    expect: {
      calls: { ask: { status: 200, detail: /^Submitted CLM\d+ \(/ } },
      claims: [{ ...adaP, status: 'submitted' }],
      outbox: { files: 1, claims: [adaP] },
    },
  },
  {
    id: 'assistant-starts-billing',
    description: 'asked to bill Bo’s encounter, the agent opens the task and the claim goes out',
    steps: [{ ask: 'bill encounter enc-bo-knee', tag: 'ask' }],
    expect: {
      calls: { ask: { status: 200, detail: /^The revenue agent bills enc-bo-knee \(task rt-/ } },
      claims: [{ ...bo, status: 'submitted' }],
      outbox: { files: 1 },
    },
  },
  {
    id: 'expired-auth-voided-and-rebilled',
    description:
      'Bo’s authorisation had lapsed: the coder voids the claim, the office records a new authorisation, billing again sends a new claim',
    setup: sql(`update prior_authorizations set valid_to = '2026-03-05' where id = 'pa-bo-knee'`),
    steps: [
      billBo,
      { answerReview: bo, decision: 'void', reason: 'authorisation lapsed before surgery' },
      {
        op: 'add_prior_authorization',
        body: {
          coverageId: 'cov-bo-acme',
          number: 'AUTH-3301',
          procedureCodes: ['29881'],
          validFrom: '2026-03-06',
          validTo: '2026-04-30',
          units: 1,
        },
      },
      billBo,
    ],
    expect: {
      claimCounts: { [BO]: 2 },
      claims: [
        { ...bo, status: 'void', errorCodes: ['PRIOR_AUTH_MISSING'] },
        { ...bo, nth: 1, status: 'submitted', changedFields: ['claim.priorAuthorization'] },
      ],
      charges: { [BO]: { open: 0, billed: 1 } },
      outbox: { files: 1, claims: [{ ...bo, nth: 1 }] },
    },
  },
  {
    id: 'only-a-coder-approves-drafts',
    description: 'a surgeon may not approve the appeal draft (403): the item still waits for a coder',
    steps: [
      billBo,
      boDenied('197'),
      { answerDraft: bo, decision: 'approve', coder: 'stf-surgeon', tag: 'approve' },
    ],
    expect: {
      calls: { approve: { status: 403, detail: /may not approve denial drafts/ } },
      workItems: [{ claim: bo, status: 'awaiting-approval', approved: false }],
    },
  },
  {
    id: 'resubmitted-before-sending-refused',
    description:
      'closing a corrected-claim denial as resubmitted before the replacement is sent is refused (409)',
    steps: [
      billBo,
      boDenied('11'),
      {
        answerReview: boReplacement,
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.222' }],
      },
      { resolve: bo, resolution: 'resubmitted', note: 'sent it', tag: 'early' },
    ],
    expect: {
      calls: { early: { status: 409, detail: /submit it first$/ } },
      workItems: [{ claim: bo, status: 'awaiting-approval', draftKind: 'corrected-claim' }],
      outbox: { files: 1 },
    },
  },
  {
    id: 'malformed-correction-refused',
    description:
      'a correction with a code not shaped like ICD-10-CM is refused naming it; the claim is unchanged',
    setup: headerCoded,
    steps: [
      { startBilling: CLINIC },
      {
        answerReview: clinic,
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 1, code: '12345' }],
        tag: 'bad',
      },
      { answerReview: clinic, decision: 'correct', tag: 'empty' },
    ],
    expect: {
      calls: {
        bad: { status: 422, detail: /corrections\.0\.code/ },
        empty: {
          status: 422,
          detail:
            /^Invalid input to answer_claim_review: corrections: a correct decision needs at least one correction/,
        },
      },
      claims: [{ ...clinic, status: 'needs-review', changes: 0, diagnoses: ['M232'] }],
    },
  },
];

/**
 * Scenarios that exposed faults in agents/ or tools/ when the suite was written (notes recorded twice
 * across an interrupt, a matched denial nobody worked, a late charge dropped, a used-up authorisation
 * reused, another payer's 835 posted); fixed since, they guard against their return.
 */
export const foundFaultScenarios: RevenueScenario[] = [
  {
    id: 'notes-recorded-once-after-review',
    description:
      'what the agent did before a coder’s review is recorded on the task once, not again on resuming',
    setup: headerCoded,
    steps: [
      { startBilling: CLINIC },
      {
        answerReview: clinic,
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.221' }],
      },
    ],
    expect: {
      tasks: [
        {
          kind: 'bill-encounter',
          status: 'done',
          notesOnce: [
            /^Captured 1 charge\(s\)/,
            /^Built 837P claim/,
            /^Asked a coder to review/,
            /^Submitted CLM/,
          ],
        },
      ],
    },
  },
  {
    id: 'notes-recorded-once-after-approval',
    description: 'the appeal drafted before a coder’s approval is recorded once on the denial task',
    steps: [billBo, boDenied('197'), { answerDraft: bo, decision: 'approve' }],
    expect: {
      tasks: [
        { kind: 'bill-encounter', status: 'done' },
        {
          kind: 'work-remittance',
          status: 'done',
          notesOnce: [/^Drafted an appeal for CLM\d+ \(authorization\)/],
        },
      ],
    },
  },
  {
    id: 'matched-denial-worked-by-agent',
    description:
      'a held CO-197 denial matched to Bo’s claim becomes an authorisation denial: the agent drafts the appeal as for any denial',
    steps: [
      billBo,
      remit((claim) => [{ ...denied(claim(bo), '197'), controlNumber: 'CLM999999999999' }]),
      { matchHeld: bo },
    ],
    expect: {
      claims: [{ ...bo, status: 'denied' }],
      workItems: [
        {
          claim: bo,
          category: 'authorization',
          suggestedAction: 'appeal',
          status: 'awaiting-approval',
          draftKind: 'appeal',
        },
      ],
    },
  },
  {
    id: 'late-charge-while-coder-reviews',
    description:
      'a late charge recorded and billing restarted while a coder reviews the first claim: once answered, the late charge is billed on a claim of its own, which carries the same uncorrected diagnosis and goes to the coder too',
    setup: headerCoded,
    steps: [
      { startBilling: CLINIC },
      {
        op: 'record_encounter_service',
        body: {
          encounterId: CLINIC,
          kind: 'procedure',
          code: '36415',
          quantity: 1,
          servicedOn: '2026-03-12',
          diagnosisSequences: [1],
        },
      },
      { startBilling: CLINIC, tag: 'again' },
      {
        answerReview: { ...clinic, type: '837P' },
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.221' }],
      },
      {
        answerReview: { ...clinic, type: '837I' },
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.221' }],
      },
    ],
    expect: {
      calls: { again: { status: 200 } },
      claimCounts: { [CLINIC]: 2 },
      claims: [
        { ...clinic, type: '837P', status: 'submitted' },
        { ...clinic, type: '837I', status: 'submitted' },
      ],
      charges: { [CLINIC]: { open: 0, billed: 2 } },
      tasks: [{ kind: 'bill-encounter', status: 'done' }],
    },
  },
  {
    id: 'authorisation-units-not-reused',
    description:
      'AUTH-2201 authorises one knee arthroscopy, already billed: the second knee case must not reuse it, a coder is asked',
    setup: boSecondScope,
    steps: [billBo, { completeBooking: 'tb-bo-left' }],
    expect: {
      claims: [
        { ...bo, status: 'submitted' },
        { encounter: 'enc-bo-left', status: 'needs-review', errorCodes: ['PRIOR_AUTH_MISSING'] },
      ],
      outbox: { files: 1, claims: [bo] },
    },
  },
  {
    id: 'other-payers-835-held',
    description:
      'an 835 from Medicare paying Bo’s claim sent to Acme is held for review, not posted to the claim',
    steps: [billBo, remit((claim) => [paidInFull(claim(bo), 248_000, 62_000)], { payer: 'medicare' })],
    expect: {
      claims: [{ ...bo, status: 'submitted', paidCents: 0 }],
      payments: { posted: 0, held: 1 },
    },
  },
];
