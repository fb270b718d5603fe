import { CLINIC, clinic, headerCoded, KNEE_AGAIN, kneeAgain } from '../revenue/encounters.ts';
import type { RevenueScenario } from '../revenue/types.ts';

// What must not reach a payer, and what a caller may not do: claims past the filing limit or duplicated
// wait for a coder; bad answers and unsendable submissions are refused and change nothing.
const BO = 'enc-bo-knee';

export const refusalScenarios: RevenueScenario[] = [
  {
    id: 'timely-filing-last-day-on-time',
    description: 'billed exactly 180 days after surgery (2026-09-06), Acme’s last day: the claim goes',
    steps: [{ advanceDays: 170 }, { startBilling: BO }],
    expect: { claims: [{ encounter: BO, status: 'submitted' }], outbox: { files: 1 } },
  },
  {
    id: 'timely-filing-voided',
    description:
      'billed 181 days after surgery, a day past Acme’s limit: the coder voids the claim, nothing is sent, the charge reopens',
    steps: [
      { advanceDays: 171 },
      { startBilling: BO },
      { answerReview: { encounter: BO }, decision: 'void', reason: 'past the payer’s filing limit' },
    ],
    expect: {
      claims: [{ encounter: BO, status: 'void', errorCodes: ['TIMELY_FILING'] }],
      charges: { [BO]: { open: 1 } },
      outbox: { files: 0 },
      tasks: [{ kind: 'bill-encounter', status: 'done' }],
    },
  },
  {
    id: 'duplicate-claim-held',
    description:
      'Bo’s knee recorded again in a second encounter: the duplicate is not sent and the coder voids it',
    setup: kneeAgain,
    steps: [
      { startBilling: BO },
      { startBilling: KNEE_AGAIN },
      { answerReview: { encounter: KNEE_AGAIN }, decision: 'void', reason: 'duplicate of the knee claim' },
    ],
    expect: {
      claims: [
        { encounter: BO, status: 'submitted' },
        // AUTH-2201 authorises one arthroscopy, billed on the first claim: the duplicate lacks one too.
        { encounter: KNEE_AGAIN, status: 'void', errorCodes: ['DUPLICATE_CLAIM', 'PRIOR_AUTH_MISSING'] },
      ],
      outbox: { files: 1, claims: [{ encounter: BO }] },
    },
  },
  {
    id: 'only-a-coder-answers',
    description: 'a physician may not answer a claim review (403); the claim still waits',
    setup: headerCoded,
    steps: [
      { startBilling: CLINIC },
      {
        answerReview: clinic,
        decision: 'correct',
        coder: 'stf-surgeon',
        corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.221' }],
        tag: 'surgeon',
      },
    ],
    expect: {
      calls: { surgeon: { status: 403, detail: /may not answer claim reviews/ } },
      claims: [{ ...clinic, status: 'needs-review', changes: 0 }],
      outbox: { files: 0 },
    },
  },
  {
    id: 'submit-with-scrub-error-refused',
    description:
      'submitting a draft the scrubber rejects is refused naming the error; nothing reaches the outbox',
    setup: headerCoded,
    steps: [
      { op: 'capture_charges', body: { encounterId: CLINIC } },
      { op: 'build_claims', body: { encounterId: CLINIC } },
      { op: 'submit_claims', body: (claim) => ({ claimIds: [claim(clinic).id] }), tag: 'submit' },
    ],
    expect: {
      calls: {
        submit: {
          status: 422,
          detail: /^Nothing submitted; the scrubber finds errors now\. .*DX_NOT_BILLABLE/,
        },
      },
      claims: [{ ...clinic, status: 'draft' }],
      outbox: { files: 0 },
    },
  },
  {
    id: 'submit-waiting-claim-refused',
    description: 'a claim waiting for its coder cannot be submitted by hand (409)',
    setup: headerCoded,
    steps: [
      { startBilling: CLINIC },
      { op: 'submit_claims', body: (claim) => ({ claimIds: [claim(clinic).id] }), tag: 'submit' },
    ],
    expect: {
      calls: { submit: { status: 409, detail: /^Not sendable: CLM\d+ is needs-review/ } },
      outbox: { files: 0 },
    },
  },
  {
    id: 'two-payers-one-submission-refused',
    description: 'Ada’s Medicare claim and Bo’s Acme claim in one submission are refused; nothing is written',
    steps: [
      { op: 'capture_charges', body: { encounterId: 'enc-ada-icu' } },
      { op: 'build_claims', body: { encounterId: 'enc-ada-icu' } },
      { op: 'capture_charges', body: { encounterId: BO } },
      { op: 'build_claims', body: { encounterId: BO } },
      {
        op: 'submit_claims',
        body: (claim) => ({
          claimIds: [claim({ encounter: 'enc-ada-icu', type: '837P' }).id, claim({ encounter: BO }).id],
        }),
        tag: 'submit',
      },
    ],
    expect: {
      calls: { submit: { status: 422, detail: /One submission goes to one payer/ } },
      claims: [{ encounter: BO, status: 'draft' }],
      outbox: { files: 0 },
    },
  },
  {
    id: 'remove-every-line-refused',
    description:
      'a correction removing the claim’s only line is refused (void it instead); the claim still waits',
    setup: headerCoded,
    steps: [
      { startBilling: CLINIC },
      {
        answerReview: clinic,
        decision: 'correct',
        corrections: [{ kind: 'remove-line', line: 1 }],
        tag: 'empty',
      },
    ],
    expect: {
      calls: { empty: { status: 422, detail: /leaves nothing to bill; void the claim instead/ } },
      claims: [{ ...clinic, status: 'needs-review', lines: 1, changes: 0 }],
      charges: { [CLINIC]: { open: 0, billed: 1 } },
    },
  },
];
