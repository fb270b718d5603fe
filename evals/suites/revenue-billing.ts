import { adaInBed, bluePayer, boSecondScope, encounter, sql } from '../revenue/setups.ts';
import type { ClaimRef, RevenueScenario } from '../revenue/types.ts';

// The billing fixture (tools/revenue/test-fixtures.ts): Ada's ICU stay enc-ada-icu (Medicare, 837I + 837P)
// and Bo's knee arthroscopy enc-bo-knee (Acme PPO, 837P, authorised as AUTH-2201), today 2026-03-20.
const ADA = 'enc-ada-icu';
const BO = 'enc-bo-knee';
const adaI: ClaimRef = { encounter: ADA, type: '837I' };
const adaP: ClaimRef = { encounter: ADA, type: '837P' };
const bo: ClaimRef = { encounter: BO };

export const billingScenarios: RevenueScenario[] = [
  {
    id: 'ada-clean-837i-837p',
    description:
      'Ada’s ICU stay is captured, built as a facility 837I and a professional 837P, and sent in one file; started again with nothing new, nothing more is sent',
    steps: [{ startBilling: ADA }, { startBilling: ADA }],
    expect: {
      claimCounts: { [ADA]: 2 },
      claims: [
        { ...adaI, status: 'submitted', errorCodes: [], changes: 0 },
        { ...adaP, status: 'submitted', errorCodes: [], changes: 0 },
      ],
      charges: { [ADA]: { open: 0, billed: 10 } },
      outbox: { files: 1, claims: [adaI, adaP] },
      tasks: [
        {
          kind: 'bill-encounter',
          status: 'done',
          outcome: /submitted, .* submitted$/,
          notes: [
            /^Captured 10 charge\(s\) for enc-ada-icu \(0 already captured\)$/,
            /^Submitted CLM\d+, CLM\d+ \(/,
            /^Captured 0 charge\(s\) for enc-ada-icu \(10 already captured\)$/,
          ],
        },
      ],
    },
  },
  {
    id: 'bo-knee-prior-auth-added',
    description:
      'Bo’s knee claim lacks its prior authorisation: the agent adds AUTH-2201 from the record and shows the change',
    steps: [{ startBilling: BO }],
    expect: {
      claims: [
        { ...bo, type: '837P', status: 'submitted', changes: 1, changedFields: ['claim.priorAuthorization'] },
      ],
      outbox: { files: 1, claims: [bo] },
      tasks: [
        {
          kind: 'bill-encounter',
          status: 'done',
          notes: [/PRIOR_AUTH_MISSING/, /^Fixed CLM\d+ .*AUTH-2201/],
        },
      ],
    },
  },
  {
    id: 'no-coverage-on-service-date',
    description:
      'Bo’s Acme coverage ended before the surgery: nothing is billed, the task fails naming him and the date',
    setup: sql(`update coverages set ends_on = '2026-03-01' where id = 'cov-bo-acme'`),
    steps: [{ startBilling: BO }],
    expect: {
      claimCounts: { [BO]: 0 },
      charges: { [BO]: { open: 1, billed: 0 } },
      outbox: { files: 0 },
      tasks: [
        {
          kind: 'bill-encounter',
          status: 'failed',
          outcome:
            /^Cannot bill enc-bo-knee: .*Bo Ward \(pat-2\) has no active primary coverage on 2026-03-10/,
        },
      ],
    },
  },
  {
    id: 'coverage-switched-by-fix',
    description:
      'a draft claim names coverage that has since been ended and replaced: the fix moves it to the coverage active on the date',
    setup: bluePayer,
    steps: [
      { op: 'capture_charges', body: { encounterId: BO } },
      { op: 'build_claims', body: { encounterId: BO } },
      { op: 'end_coverage', body: { coverageId: 'cov-bo-acme', endsOn: '2026-03-01' } },
      {
        op: 'add_coverage',
        body: { patientId: 'pat-2', planId: 'plan-blue', memberId: 'BLU556677', startsOn: '2026-03-02' },
      },
      { startBilling: BO },
    ],
    expect: {
      claimCounts: { [BO]: 1 },
      claims: [{ ...bo, status: 'submitted', changedFields: ['subscriber'] }],
      outbox: { files: 1, claims: [bo] },
      tasks: [
        {
          kind: 'bill-encounter',
          status: 'done',
          notes: [/COVERAGE_INACTIVE/, /^Fixed CLM\d+ subscriber: .*cov-bo-acme/],
        },
      ],
    },
  },
  {
    id: 'unpriced-service-fails',
    description: 'a chest X-ray with no chargemaster price: the task fails naming it, and no claim is built',
    setup:
      sql(`insert into encounter_services (id, encounter_id, kind, code, quantity, serviced_on, recorded_by, recorded_at)
      values ('svc-ada-xray', 'enc-ada-icu', 'procedure', '71046', 1, '2026-03-03', 'eval', now())`),
    steps: [{ startBilling: ADA }],
    expect: {
      claimCounts: { [ADA]: 0 },
      charges: { [ADA]: { open: 0, billed: 0 } },
      outbox: { files: 0 },
      tasks: [{ kind: 'bill-encounter', status: 'failed', outcome: /^Cannot bill enc-ada-icu: .*71046/ }],
    },
  },
  {
    id: 'discharge-starts-billing',
    description:
      'discharging Ada through the API finishes her stay and the revenue agent bills it on its own',
    setup: adaInBed,
    steps: [{ discharge: 'pat-1', tag: 'discharge' }],
    expect: {
      calls: { discharge: { status: 200 } },
      claims: [
        { encounter: 'enc-ada-stay', type: '837I', status: 'submitted' },
        { encounter: 'enc-ada-stay', type: '837P', status: 'submitted', lines: 2 },
      ],
      outbox: { files: 1 },
      tasks: [
        { kind: 'bill-encounter', status: 'done', notes: [/^Captured 7 charge\(s\) for enc-ada-stay/] },
      ],
    },
  },
  {
    id: 'theatre-completion-starts-billing',
    description: 'completing Bo’s outpatient knee case through the API starts billing: authorised, submitted',
    setup: boSecondScope,
    steps: [{ completeBooking: 'tb-bo-left', tag: 'complete' }],
    expect: {
      calls: { complete: { status: 200 } },
      claims: [
        {
          encounter: 'enc-bo-left',
          type: '837P',
          status: 'submitted',
          changedFields: ['claim.priorAuthorization'],
        },
      ],
      outbox: { files: 1, claims: [{ encounter: 'enc-bo-left' }] },
      tasks: [{ kind: 'bill-encounter', status: 'done' }],
    },
  },
  {
    id: 'late-charge-new-claim',
    description:
      'a venipuncture recorded after Bo was billed: billing again sends only the new charge, on a new claim',
    steps: [
      { startBilling: BO },
      {
        op: 'record_encounter_service',
        body: {
          encounterId: BO,
          kind: 'procedure',
          code: '36415',
          quantity: 1,
          servicedOn: '2026-03-10',
          diagnosisSequences: [1],
        },
      },
      { startBilling: BO },
    ],
    expect: {
      claimCounts: { [BO]: 2 },
      claims: [
        { encounter: BO, type: '837P', status: 'submitted', lines: 1 },
        { encounter: BO, type: '837I', status: 'submitted', lines: 1 },
      ],
      charges: { [BO]: { open: 0, billed: 2 } },
      outbox: { files: 2 },
      tasks: [
        {
          kind: 'bill-encounter',
          status: 'done',
          notes: [/^Captured 1 charge\(s\) for enc-bo-knee \(1 already captured\)$/],
        },
      ],
    },
  },
  {
    id: 'billing-twice-sends-once',
    description: 'the billing office starts Bo’s billing twice: one task, one claim, one file',
    steps: [{ startBilling: BO, beforeAgent: true }, { startBilling: BO }],
    expect: {
      claimCounts: { [BO]: 1 },
      claims: [{ ...bo, status: 'submitted' }],
      outbox: { files: 1 },
      tasks: [{ kind: 'bill-encounter', status: 'done' }],
    },
  },
  {
    id: 'inpatient-in-progress-refused',
    description: 'billing a stay before discharge is refused (409) naming the encounter; no task is opened',
    setup: adaInBed,
    steps: [{ startBilling: 'enc-ada-stay', tag: 'early' }],
    expect: {
      calls: { early: { status: 409, detail: /enc-ada-stay is an inpatient stay in-progress/ } },
      tasks: [],
      outbox: { files: 0 },
    },
  },
  {
    id: 'medicare-late-still-timely',
    description:
      'Ada billed 200 days after her stay: Medicare’s 365-day limit still allows it, both claims go',
    steps: [{ advanceDays: 200 }, { startBilling: ADA }],
    expect: {
      claims: [
        { ...adaI, status: 'submitted' },
        { ...adaP, status: 'submitted' },
      ],
      outbox: { files: 1 },
    },
  },
  {
    id: 'two-payers-two-files',
    description: 'Ada (Medicare) and Bo (Acme) billed the same morning: each payer gets its own file',
    steps: [{ startBilling: ADA }, { startBilling: BO }],
    expect: {
      outbox: { files: 2, claims: [adaI, adaP, bo] },
      tasks: [
        { kind: 'bill-encounter', status: 'done' },
        { kind: 'bill-encounter', status: 'done' },
      ],
    },
  },
  {
    id: 'discharged-twice-billed-once',
    description: 'Ada discharged twice: the second is refused (409), her stay is billed once',
    setup: adaInBed,
    steps: [{ discharge: 'pat-1' }, { discharge: 'pat-1', tag: 'again' }],
    expect: {
      calls: { again: { status: 409, detail: /occupies no bed/ } },
      claimCounts: { 'enc-ada-stay': 2 },
      outbox: { files: 1 },
      tasks: [{ kind: 'bill-encounter', status: 'done' }],
    },
  },
  {
    id: 'physician-without-npi-fails',
    description:
      'a visit by a physician with no NPI on file cannot be billed: the task fails naming him, nothing is sent',
    setup: encounter({
      id: 'enc-ada-clinic',
      patientId: 'pat-1',
      on: '2026-03-12',
      diagnoses: ['E11.65'],
      services: [{ code: '99232', performerId: 'stf-endo-2' }],
    }),
    steps: [{ startBilling: 'enc-ada-clinic' }],
    expect: {
      claimCounts: { 'enc-ada-clinic': 0 },
      outbox: { files: 0 },
      tasks: [
        {
          kind: 'bill-encounter',
          status: 'failed',
          outcome: /^Cannot bill enc-ada-clinic: .*stf-endo-2.*NPI/,
        },
      ],
    },
  },
  {
    id: 'dependent-coverage-fails',
    description:
      'Bo covered as a dependent (SBR02 01): the claim cannot name the policy holder, the task fails saying so',
    setup: sql(`update coverages set relationship = '01' where id = 'cov-bo-acme'`),
    steps: [{ startBilling: BO }],
    expect: {
      claimCounts: { [BO]: 0 },
      outbox: { files: 0 },
      tasks: [
        { kind: 'bill-encounter', status: 'failed', outcome: /^Cannot bill enc-bo-knee: .*subscriber/ },
      ],
    },
  },
];
