import {
  CLINIC,
  clinic,
  cmpAndBmp,
  headerCoded,
  LABS,
  PANELS,
  SCOPES,
  tripleCbc,
  twoScopes,
} from '../revenue/encounters.ts';
import { lineOf, type RevenueScenario } from '../revenue/types.ts';

// Claims the record cannot fix: the scrubber's error goes to the coder (stf-coder), whose answer the
// agent picks up: a non-billable diagnosis, units over an MUE, an NCCI pair.
export const codingScenarios: RevenueScenario[] = [
  {
    id: 'header-diagnosis-waits-for-coder',
    description:
      'a claim coded with a category header cannot be fixed from the record: it waits for a coder, nothing is sent',
    setup: headerCoded,
    steps: [{ startBilling: CLINIC }, { ask: 'which claims wait for a coder?', tag: 'ask' }],
    expect: {
      calls: { ask: { status: 200, detail: /^1 claim\(s\) wait for a coder:\nCLM\d+: 837P \$160\.00$/ } },
      claims: [
        { ...clinic, status: 'needs-review', errorCodes: ['DX_NOT_BILLABLE', 'DX_POINTER_UNSUPPORTED'] },
      ],
      outbox: { files: 0 },
      tasks: [
        {
          kind: 'bill-encounter',
          status: 'waiting',
          notes: [/^Asked a coder to review CLM\d+: DX_NOT_BILLABLE/],
        },
      ],
    },
  },
  {
    id: 'coder-corrects-diagnosis',
    description: 'the coder replaces the header with a billable code: the claim is re-scrubbed and submitted',
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
      claims: [{ ...clinic, status: 'submitted', changes: 1, diagnoses: ['M23221'], errorCodes: [] }],
      outbox: { files: 1, claims: [clinic] },
      tasks: [{ kind: 'bill-encounter', status: 'done', outcome: /submitted$/ }],
    },
  },
  {
    id: 'coder-correction-still-wrong',
    description: 'the coder’s correction is another header: the claim is not sent and goes back to the coder',
    setup: headerCoded,
    steps: [
      { startBilling: CLINIC },
      {
        answerReview: clinic,
        decision: 'correct',
        corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.3' }],
      },
    ],
    expect: {
      claims: [
        {
          ...clinic,
          status: 'needs-review',
          changes: 1,
          errorCodes: ['DX_NOT_BILLABLE', 'DX_POINTER_UNSUPPORTED'],
        },
      ],
      outbox: { files: 0 },
      tasks: [{ kind: 'bill-encounter', status: 'waiting' }],
    },
  },
  {
    id: 'coder-voids-claim',
    description: 'the coder voids the claim: its charge goes back to open, nothing is sent, the task ends',
    setup: headerCoded,
    steps: [
      { startBilling: CLINIC },
      { answerReview: clinic, decision: 'void', reason: 'visit not billable' },
    ],
    expect: {
      claims: [{ ...clinic, status: 'void' }],
      charges: { [CLINIC]: { open: 1, billed: 0 } },
      outbox: { files: 0 },
      tasks: [{ kind: 'bill-encounter', status: 'done', outcome: /void$/ }],
    },
  },
  {
    id: 'mue-units-corrected',
    description: 'three CBC units over the MUE of 2: the coder sets 2 units and the claim is submitted',
    setup: tripleCbc,
    steps: [
      { startBilling: LABS },
      {
        answerReview: { encounter: LABS },
        decision: 'correct',
        corrections: [{ kind: 'units', line: 1, units: 2 }],
      },
    ],
    expect: {
      claims: [
        {
          encounter: LABS,
          type: '837P',
          status: 'submitted',
          lineUnits: [2],
          changedFields: ['claim.totalCharge', 'lines[0].units'],
        },
      ],
      outbox: { files: 1 },
    },
  },
  {
    id: 'ncci-pair-line-removed',
    description:
      'CMP and BMP on one day (PTP indicator 0): the coder removes the BMP, whose charge reopens; the CMP is sent',
    setup: cmpAndBmp,
    steps: [
      { startBilling: PANELS },
      {
        answerReview: { encounter: PANELS },
        decision: 'correct',
        corrections: (c) => [{ kind: 'remove-line', line: lineOf(c, '80048') }],
      },
    ],
    expect: {
      claims: [{ encounter: PANELS, type: '837P', status: 'submitted', lines: 1, errorCodes: [] }],
      charges: { [PANELS]: { open: 1, billed: 1 } },
      outbox: { files: 1 },
    },
  },
  {
    id: 'ncci-indicator-0-modifier-refused',
    description:
      'a 59 modifier on the BMP does not bypass an indicator-0 pair: the claim goes back to the coder',
    setup: cmpAndBmp,
    steps: [
      { startBilling: PANELS },
      {
        answerReview: { encounter: PANELS },
        decision: 'correct',
        corrections: (c) => [{ kind: 'modifiers', line: lineOf(c, '80048'), modifiers: ['59'] }],
      },
    ],
    expect: {
      claims: [
        {
          encounter: PANELS,
          status: 'needs-review',
          errorCodes: ['NCCI_PTP'],
          modifiersByCode: { '80053': [], '80048': ['59'] },
        },
      ],
      outbox: { files: 0 },
      tasks: [{ kind: 'bill-encounter', status: 'waiting' }],
    },
  },
  {
    id: 'ncci-indicator-1-modifier-bypasses',
    description:
      'two knee arthroscopies (PTP indicator 1): the coder adds XS to the column-2 line and the claim goes',
    setup: twoScopes,
    steps: [
      { startBilling: SCOPES },
      {
        answerReview: { encounter: SCOPES },
        decision: 'correct',
        corrections: (c) => [{ kind: 'modifiers', line: lineOf(c, '29881'), modifiers: ['XS'] }],
      },
    ],
    expect: {
      claims: [
        {
          encounter: SCOPES,
          status: 'submitted',
          modifiersByCode: { '29880': [], '29881': ['XS'] },
          errorCodes: [],
        },
      ],
      outbox: { files: 1 },
    },
  },
];
