import { closeBeds } from '../beds/hospital.ts';
import { accept, ask, CN_MS, FEMALE_MED_SURG, MALE_MED_SURG, medSurg, op } from '../beds/steps.ts';
import type { BedRequestInput, BedScenario } from '../beds/types.ts';

const full: BedScenario[] = [
  {
    id: 'full-expedite-named-discharge',
    description:
      'med-surg full for a man: no-fit naming the two planned discharges whose beds would fit him, soonest first, then overflow and transfer',
    setup: (db) => closeBeds(db, MALE_MED_SURG),
    steps: [ask('pat-m1', medSurg('male'))],
    expect: {
      statuses: [202],
      requests: [
        {
          status: 'no-fit',
          holds: [],
          optionKinds: [
            'expedite-discharge',
            'expedite-discharge',
            'overflow',
            'overflow',
            'overflow',
            'transfer-out',
          ],
          options: [
            { kind: 'expedite-discharge', patientId: 'pat-in-2', bedId: 'bed-ms-m3' },
            { kind: 'expedite-discharge', patientId: 'pat-in-1', bedId: 'bed-ms-x1' },
            { kind: 'transfer-out' },
          ],
          outcome:
            /^No free med-surg bed fits \(isolation none, telemetry no, sex male\)\. Options: Expedite the discharge of patient pat-in-2 from bed MS-M3/,
        },
      ],
    },
  },
  {
    id: 'full-expedite-skips-unfit-discharge',
    description:
      'med-surg full for a woman: the sooner discharge is from the men’s bay and is not proposed; the mixed-room one is',
    setup: (db) => closeBeds(db, FEMALE_MED_SURG),
    steps: [ask('pat-f1', medSurg('female'))],
    expect: {
      requests: [
        {
          status: 'no-fit',
          optionKinds: ['expedite-discharge', 'overflow', 'overflow', 'overflow', 'transfer-out'],
          options: [{ kind: 'expedite-discharge', patientId: 'pat-in-1', bedId: 'bed-ms-x1' }],
        },
      ],
    },
  },
  {
    id: 'full-overflow-keeps-needs',
    description:
      'the men’s monitored telemetry beds closed: overflow options keep telemetry and sex (med-surg’s one monitored bed, not the unmonitored ones)',
    setup: (db) => closeBeds(db, ['bed-tele-m1', 'bed-tele-m2']),
    steps: [ask('pat-m2', { unitTypes: ['telemetry'], sex: 'male', telemetry: true })],
    expect: {
      requests: [
        {
          status: 'no-fit',
          optionKinds: ['overflow', 'overflow', 'overflow', 'transfer-out'],
          options: [{ kind: 'overflow', bedId: 'bed-ms-t1' }],
          outcome: /^No free telemetry bed fits \(isolation none, telemetry yes, sex male\)/,
        },
      ],
    },
  },
  {
    id: 'full-transfer-out-only',
    description:
      'every negative-pressure room closed: airborne isolation has no bed, no discharge and no overflow; transfer out only',
    setup: (db) => closeBeds(db, ['bed-icu-neg', 'bed-sd-neg']),
    steps: [ask('pat-f2', { unitTypes: ['icu', 'step-down'], sex: 'female', isolation: 'airborne' })],
    expect: {
      requests: [
        {
          status: 'no-fit',
          optionKinds: ['transfer-out'],
          outcome: /Options: Transfer the patient to another facility$/,
        },
      ],
    },
  },
  {
    id: 'discharge-housekeeping-frees-bed',
    description:
      'med-surg full: the discharged patient’s bed is not offered while dirty, and is offered, accepted and taken once clean',
    setup: (db) => closeBeds(db, MALE_MED_SURG),
    steps: [
      ask('pat-m1', medSurg('male')),
      op('discharge_patient', { patientId: 'pat-in-2', reason: 'home with district nurse' }),
      ask('pat-m2', medSurg('male')),
      op('set_housekeeping_state', { bedId: 'bed-ms-m3', state: 'cleaning' }),
      op('set_housekeeping_state', { bedId: 'bed-ms-m3', state: 'clean' }),
      ask('pat-m3', medSurg('male')),
      accept(3, CN_MS),
      op('admit_patient', { patientId: 'pat-m3' }),
    ],
    expect: {
      statuses: [202, 200, 202, 200, 200, 202, 200, 200],
      requests: [
        {
          status: 'no-fit',
          options: [{ kind: 'expedite-discharge', patientId: 'pat-in-2', bedId: 'bed-ms-m3' }],
        },
        {
          status: 'no-fit',
          // pat-in-2 has left: only pat-in-1's discharge is still to come.
          optionKinds: ['expedite-discharge', 'overflow', 'overflow', 'overflow', 'transfer-out'],
          options: [{ kind: 'expedite-discharge', patientId: 'pat-in-1' }],
        },
        { status: 'assigned', bedId: 'bed-ms-m3', holds: ['bed-ms-m3:fulfilled'] },
      ],
      beds: { 'bed-ms-m3': { status: 'O', housekeeping: 'clean', occupant: 'pat-m3' } },
    },
  },
  {
    id: 'admit-after-accept',
    description:
      'the patient arrives and takes the accepted bed (occupied, hold fulfilled); the next patient is offered another bed',
    steps: [
      ask('pat-f1', medSurg('female')),
      accept(1, CN_MS),
      op('admit_patient', { patientId: 'pat-f1' }),
      ask('pat-f2', medSurg('female')),
    ],
    expect: {
      statuses: [202, 200, 200, 202],
      requests: [
        { status: 'assigned', bedId: 'bed-ms-f1', holds: ['bed-ms-f1:fulfilled'] },
        { status: 'awaiting-acceptance', bedId: 'bed-ms-f2' },
      ],
      beds: { 'bed-ms-f1': { status: 'O', occupant: 'pat-f1' } },
      auditedWrites: { admit_patient: 1 },
    },
  },
  {
    id: 'admit-before-accept-refused',
    description:
      'admitting before anyone accepted the bed is refused (409); the hold and the question stay as they were',
    steps: [ask('pat-m1', medSurg('male')), op('admit_patient', { patientId: 'pat-m1' }, 'early')],
    expect: {
      statuses: [202, 409],
      details: { early: /Patient pat-m1 has no accepted bed to be admitted to/ },
      requests: [
        {
          status: 'awaiting-acceptance',
          bedId: 'bed-ms-m2',
          holds: ['bed-ms-m2:held'],
          approvals: ['charge-nurse:pending'],
        },
      ],
      beds: { 'bed-ms-m2': { status: 'U', occupant: null } },
      auditedWrites: { admit_patient: 0 },
    },
  },
];

const man = (n: number, priority: BedRequestInput['priority'] = 'urgent'): BedRequestInput => ({
  patientId: `pat-m${n}`,
  need: medSurg('male'),
  priority,
});

/** Eighteen patients with different needs arriving at once, for the nineteen free beds of every kind. */
const mixedSurge: BedRequestInput[] = [
  { patientId: 'pat-m1', need: { unitTypes: ['icu'], sex: 'male', isolation: 'airborne' } },
  { patientId: 'pat-f1', need: { unitTypes: ['icu'], sex: 'female' } },
  { patientId: 'pat-m2', need: { unitTypes: ['icu'], sex: 'male' } },
  { patientId: 'pat-f2', need: { unitTypes: ['icu', 'step-down'], sex: 'female', telemetry: true } },
  { patientId: 'pat-m3', need: { unitTypes: ['step-down'], sex: 'male', isolation: 'contact' } },
  { patientId: 'pat-f3', need: { unitTypes: ['step-down'], sex: 'female', isolation: 'airborne' } },
  { patientId: 'pat-m4', need: { unitTypes: ['telemetry'], sex: 'male', telemetry: true } },
  { patientId: 'pat-f4', need: { unitTypes: ['telemetry'], sex: 'female', telemetry: true } },
  { patientId: 'pat-m5', need: { unitTypes: ['telemetry', 'med-surg'], sex: 'male', telemetry: true } },
  { patientId: 'pat-f5', need: medSurg('female') },
  { patientId: 'pat-m6', need: medSurg('male', { bariatric: true }) },
  { patientId: 'pat-f6', need: medSurg('female') },
  { patientId: 'pat-m7', need: medSurg('male') },
  { patientId: 'pat-u1', need: medSurg('unknown') },
  { patientId: 'pat-f7', need: { unitTypes: ['med-surg', 'telemetry'], sex: 'female' } },
  { patientId: 'pat-m8', need: medSurg('male', { isolation: 'airborne' }) },
  { patientId: 'pat-f8', need: { unitTypes: ['icu'], sex: 'female', isolation: 'airborne' } },
  { patientId: 'pat-m9', need: { unitTypes: ['step-down'], sex: 'male' } },
];

const surge: BedScenario[] = [
  {
    id: 'surge-plan-serves-both',
    description:
      'one ICU bed and one med-surg bed left; a man who may go to either files just before a woman who needs the ICU: the batch plan gives him med-surg so both are served',
    setup: (db) =>
      closeBeds(db, ['bed-icu-1', 'bed-icu-neg', 'bed-ms-m2', 'bed-ms-b1', 'bed-ms-t1', 'bed-ms-c1']),
    steps: [
      {
        requests: [
          { patientId: 'pat-m1', need: { unitTypes: ['icu', 'med-surg'], sex: 'male' } },
          { patientId: 'pat-f1', need: { unitTypes: ['icu'], sex: 'female' } },
        ],
      },
    ],
    expect: {
      requests: [
        { status: 'awaiting-acceptance', bedId: 'bed-ms-m1', holds: ['bed-ms-m1:held'] },
        { status: 'awaiting-acceptance', bedId: 'bed-icu-2', holds: ['bed-icu-2:held'] },
      ],
    },
  },
  {
    id: 'surge-no-double-booking',
    description:
      'twelve men ask for med-surg at once, five beds fit: five distinct beds held, seven no-fit; all five accepted',
    steps: [{ requests: Array.from({ length: 12 }, (_, i) => man(i + 1)) }, { acceptAllPending: true }],
    expect: {
      statuses: [...Array<number>(12).fill(202), ...Array<number>(5).fill(200)],
      statusCounts: { assigned: 5, 'no-fit': 7, 'awaiting-acceptance': 0 },
      noFitOnlyWhenFull: true,
      auditedWrites: { offer_bed: 5, answer_approval: 5 },
    },
  },
  {
    id: 'surge-mixed-needs',
    description:
      'eighteen patients with different needs at once: sixteen placed, every bed fitting its patient and none twice; the two no-fit have nothing free that fits',
    steps: [{ requests: mixedSurge }, { acceptAllPending: true }],
    expect: {
      // Two cannot be served: med-surg has no negative-pressure room, and two need the ICU's one.
      statusCounts: { assigned: 16, 'no-fit': 2, 'awaiting-acceptance': 0 },
      noFitOnlyWhenFull: true,
    },
  },
  {
    id: 'surge-emergencies-first',
    description:
      'four routine requests filed just before three emergencies and one urgent, five beds: the batch plan ranks emergency first, so every emergency and the urgent one get a bed and three routine ones do not',
    steps: [
      {
        requests: [
          man(1, 'routine'),
          man(2, 'routine'),
          man(3, 'routine'),
          man(4, 'routine'),
          man(5, 'emergency'),
          man(6, 'emergency'),
          man(7, 'emergency'),
          man(8, 'urgent'),
        ],
      },
    ],
    expect: {
      statusCountsByPriority: {
        emergency: { 'awaiting-acceptance': 3 },
        urgent: { 'awaiting-acceptance': 1 },
        routine: { 'awaiting-acceptance': 1, 'no-fit': 3 },
      },
      noFitOnlyWhenFull: true,
    },
  },
];

export const capacityScenarios: BedScenario[] = [...full, ...surge];
