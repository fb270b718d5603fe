import {
  accept,
  ask,
  BED_MANAGER,
  CN_ICU,
  CN_MS,
  CN_TELE,
  counter,
  decline,
  MALE_MED_SURG,
  medSurg,
} from '../beds/steps.ts';
import type { BedScenario, OptionKind } from '../beds/types.ts';

const man = medSurg('male');
const GROWTH: OptionKind[] = [
  'expedite-discharge',
  'expedite-discharge',
  'overflow',
  'overflow',
  'overflow',
  'transfer-out',
];

const declines: BedScenario[] = [
  {
    id: 'decline-one-next-bed',
    description:
      'the charge nurse declines the first bed with a reason: the next-ranked bed is offered and accepted',
    steps: [ask('pat-m1', man), decline(1, CN_MS, 'bed 2 is next to a confused patient'), accept(1, CN_MS)],
    expect: {
      statuses: [202, 200, 200],
      requests: [
        {
          status: 'assigned',
          bedId: 'bed-ms-m1',
          holds: ['bed-ms-m2:released', 'bed-ms-m1:accepted'],
          approvals: ['charge-nurse:answered', 'charge-nurse:answered'],
        },
      ],
    },
  },
  {
    id: 'decline-several',
    description: 'three declines: the beds are offered in rank order and none twice; the fourth is accepted',
    steps: [
      ask('pat-m1', man),
      decline(1, CN_MS),
      decline(1, CN_MS),
      decline(1, BED_MANAGER, 'keeping the bariatric frame for a known admission'),
      accept(1, CN_MS),
    ],
    expect: {
      statuses: [202, 200, 200, 200, 200],
      requests: [
        {
          status: 'assigned',
          bedId: 'bed-ms-t1',
          holds: ['bed-ms-m2:released', 'bed-ms-m1:released', 'bed-ms-b1:released', 'bed-ms-t1:accepted'],
        },
      ],
      auditedWrites: { offer_bed: 4, answer_approval: 4 },
    },
  },
  {
    id: 'decline-all-no-fit',
    description:
      'every fitting bed declined: no-fit after 5 offers, every hold released, options to expedite both discharges, overflow, transfer',
    steps: [ask('pat-m1', man), ...Array.from({ length: 5 }, () => decline(1, CN_MS))],
    expect: {
      statuses: [202, 200, 200, 200, 200, 200],
      requests: [
        {
          status: 'no-fit',
          bedId: null,
          holds: ['released', 'released', 'released', 'released', 'released'],
          optionKinds: GROWTH,
          // Soonest planned discharge first: pat-in-2 (12:00, men's bay), then pat-in-1 (14:00).
          options: [
            { kind: 'expedite-discharge', patientId: 'pat-in-2', bedId: 'bed-ms-m3' },
            { kind: 'expedite-discharge', patientId: 'pat-in-1', bedId: 'bed-ms-x1' },
          ],
          outcome:
            /^No free med-surg bed fits .* after 5 bed\(s\) offered\. Options: Expedite the discharge of patient pat-in-2/,
        },
      ],
      beds: Object.fromEntries(MALE_MED_SURG.map((b) => [b, { status: 'U', occupant: null }])),
    },
  },
  {
    id: 'decline-needs-reason',
    description:
      'a decline without a reason is refused (422 naming reason) and changes nothing; the accept that follows stands',
    steps: [ask('pat-m1', man), { answer: 1, as: CN_MS, decision: 'decline', tag: 'bare' }, accept(1, CN_MS)],
    expect: {
      statuses: [202, 422, 200],
      details: { bare: /reason/ },
      requests: [{ status: 'assigned', bedId: 'bed-ms-m2', holds: ['bed-ms-m2:accepted'] }],
      auditedWrites: { answer_approval: 1 },
    },
  },
  {
    id: 'decline-across-units',
    description:
      'telemetry preferred, step-down allowed: both monitored men’s beds declined by the telemetry charge nurse, step-down is offered next',
    steps: [
      ask('pat-m2', { unitTypes: ['telemetry', 'step-down'], sex: 'male', telemetry: true }),
      decline(1, CN_TELE),
      decline(1, CN_TELE),
    ],
    expect: {
      statuses: [202, 200, 200],
      requests: [
        {
          status: 'awaiting-acceptance',
          bedId: 'bed-sd-1a',
          holds: ['bed-tele-m1:released', 'bed-tele-m2:released', 'bed-sd-1a:held'],
          approvals: ['charge-nurse:answered', 'charge-nurse:answered', 'charge-nurse:pending'],
        },
      ],
    },
  },
];

const counters: BedScenario[] = [
  {
    id: 'counter-valid-same-unit',
    description:
      'the charge nurse counter-offers another fitting bed of the unit: it is held and accepted at once',
    steps: [ask('pat-m1', man), counter(1, CN_MS, 'bed-ms-c1')],
    expect: {
      statuses: [202, 200],
      requests: [
        {
          status: 'assigned',
          bedId: 'bed-ms-c1',
          holds: ['bed-ms-m2:released', 'bed-ms-c1:accepted'],
          approvals: ['charge-nurse:answered'],
          outcome: /counter-offered bed MS-C1 instead of MS-M2; accepted/,
        },
      ],
    },
  },
  {
    id: 'counter-unfit-refused',
    description:
      'a counter-offer of a women’s-bay bed for a man is refused (409, room is female-only) and nothing changes; the original bed is then accepted',
    steps: [ask('pat-m1', man), counter(1, CN_MS, 'bed-ms-f1', 'unfit'), accept(1, CN_MS)],
    expect: {
      statuses: [202, 409, 200],
      details: { unfit: /Counter-offered bed bed-ms-f1 does not fit: room is female-only/ },
      requests: [
        {
          status: 'assigned',
          bedId: 'bed-ms-m2',
          holds: ['bed-ms-m2:accepted'],
          approvals: ['charge-nurse:answered'],
        },
      ],
      auditedWrites: { answer_approval: 1 },
    },
  },
  {
    id: 'counter-other-unit-by-charge-nurse-refused',
    description:
      'med-surg or telemetry is fine for the patient, but the med-surg charge nurse may not counter-offer a telemetry bed (403); the hold stays',
    steps: [
      ask('pat-m1', medSurg('male', { unitTypes: ['med-surg', 'telemetry'] })),
      counter(1, CN_MS, 'bed-tele-m1', 'other'),
    ],
    expect: {
      statuses: [202, 403],
      details: { other: /counter-offers a bed of their own unit/ },
      requests: [
        {
          status: 'awaiting-acceptance',
          bedId: 'bed-ms-m2',
          holds: ['bed-ms-m2:held'],
          approvals: ['charge-nurse:pending'],
        },
      ],
      beds: { 'bed-tele-m1': { status: 'U' } },
      auditedWrites: { answer_approval: 0 },
    },
  },
  {
    id: 'counter-bed-manager-any-unit',
    description:
      'the bed manager may counter-offer a fitting bed on another unit: the telemetry bed is assigned',
    steps: [
      ask('pat-m1', medSurg('male', { unitTypes: ['med-surg', 'telemetry'] })),
      counter(1, BED_MANAGER, 'bed-tele-m1'),
    ],
    expect: {
      statuses: [202, 200],
      requests: [
        {
          status: 'assigned',
          bedId: 'bed-tele-m1',
          holds: ['bed-ms-m2:released', 'bed-tele-m1:accepted'],
          outcome: /Bea Manager \(bed-manager\) counter-offered bed TELE-M1/,
        },
      ],
    },
  },
  {
    id: 'counter-bed-manager-unit-type-refused',
    description:
      'even the bed manager cannot counter-offer an ICU bed for a med-surg-only request (409); nothing changes',
    steps: [ask('pat-m1', man), counter(1, BED_MANAGER, 'bed-icu-1', 'icu')],
    expect: {
      statuses: [202, 409],
      details: { icu: /does not fit: unit type icu is not among med-surg/ },
      requests: [{ status: 'awaiting-acceptance', bedId: 'bed-ms-m2', holds: ['bed-ms-m2:held'] }],
    },
  },
  {
    id: 'counter-held-bed-refused',
    description:
      'a counter-offer of a bed held for another patient is refused (409) and both requests keep their own holds',
    steps: [ask('pat-m1', man), ask('pat-m2', man), counter(2, CN_MS, 'bed-ms-m2', 'taken')],
    expect: {
      statuses: [202, 202, 409],
      details: { taken: /already reserved/ },
      requests: [
        { status: 'awaiting-acceptance', bedId: 'bed-ms-m2', holds: ['bed-ms-m2:held'] },
        { status: 'awaiting-acceptance', bedId: 'bed-ms-m1', holds: ['bed-ms-m1:held'] },
      ],
    },
  },
];

const people: BedScenario[] = [
  {
    id: 'wrong-staff-refused',
    description:
      'the ICU charge nurse (403), a ward RN (403) and an unknown id (404) cannot answer the med-surg question; its charge nurse then can',
    steps: [
      ask('pat-m1', man),
      accept(1, CN_ICU, { tag: 'icu' }),
      accept(1, 'stf-rn-ms', { tag: 'rn' }),
      accept(1, 'stf-nobody', { tag: 'nobody' }),
      accept(1, CN_MS),
    ],
    expect: {
      statuses: [202, 403, 403, 404, 200],
      details: {
        icu: /Ike Charge \(charge-nurse on unit-icu\) may not answer this question/,
        rn: /may not answer/,
        nobody: /No staff member stf-nobody/,
      },
      requests: [{ status: 'assigned', bedId: 'bed-ms-m2', approvals: ['charge-nurse:answered'] }],
      auditedWrites: { answer_approval: 1 },
    },
  },
  {
    id: 'bed-manager-answers-directly',
    description: 'the bed manager may answer the charge nurse’s question before it is escalated',
    steps: [ask('pat-f1', medSurg('female')), accept(1, BED_MANAGER)],
    expect: {
      statuses: [202, 200],
      requests: [
        {
          status: 'assigned',
          bedId: 'bed-ms-f1',
          approvals: ['charge-nurse:answered'],
          outcome: /accepted by Bea Manager \(bed-manager\)/,
        },
      ],
    },
  },
];

/** What charge nurses and the bed manager answer: declines, counter-offers, and who may answer. */
export const answerScenarios: BedScenario[] = [...declines, ...counters, ...people];
