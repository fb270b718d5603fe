import { closeBeds, inspectBeds, occupy } from '../beds/hospital.ts';
import { accept, ask, CN_ICU, CN_MS, CN_SD, CN_TELE, medSurg } from '../beds/steps.ts';
import type { BedScenario, NeedInput } from '../beds/types.ts';

const OVERFLOW_3 = ['overflow', 'overflow', 'overflow', 'transfer-out'] as const;

/** One request, accepted by the charge nurse of the bed offered: the bed must be the best that fits. */
const placed = (
  id: string,
  description: string,
  patientId: string,
  need: NeedInput,
  bedId: string,
  chargeNurse: string,
  setup?: BedScenario['setup'],
): BedScenario => ({
  id,
  description,
  ...(setup ? { setup } : {}),
  steps: [ask(patientId, need), accept(1, chargeNurse)],
  expect: {
    statuses: [202, 200],
    requests: [
      {
        status: 'assigned',
        bedId,
        holds: [`${bedId}:accepted`],
        approvals: ['charge-nurse:answered'],
        outcome: /accepted by .* \(charge-nurse\)/,
      },
    ],
    beds: { [bedId]: { status: 'U', occupant: null } },
    auditedWrites: { request_bed: 1, offer_bed: 1, answer_approval: 1 },
  },
});

/** One request nothing fits: it ends no-fit with these options. */
const noFit = (
  id: string,
  description: string,
  patientId: string,
  need: NeedInput,
  optionKinds: readonly ('expedite-discharge' | 'overflow' | 'transfer-out')[],
  more: Pick<BedScenario, 'setup'> & {
    options?: {
      kind: 'expedite-discharge' | 'overflow' | 'transfer-out';
      bedId?: string;
      patientId?: string;
    }[];
    outcome?: RegExp;
  } = {},
): BedScenario => ({
  id,
  description,
  ...(more.setup ? { setup: more.setup } : {}),
  steps: [ask(patientId, need)],
  expect: {
    statuses: [202],
    requests: [
      {
        status: 'no-fit',
        bedId: null,
        holds: [],
        approvals: [],
        optionKinds: [...optionKinds],
        ...(more.options ? { options: more.options } : {}),
        outcome: more.outcome ?? /^No free .* bed fits/,
      },
    ],
  },
});

export const fitScenarios: BedScenario[] = [
  placed(
    'fit-male-inspected-first',
    'a man on med-surg gets the inspected bed of the men’s bay before a merely clean one',
    'pat-m1',
    medSurg('male'),
    'bed-ms-m2',
    CN_MS,
  ),
  placed(
    'fit-female-bay',
    'a woman on med-surg gets the women’s bay, never the men’s',
    'pat-f1',
    medSurg('female'),
    'bed-ms-f1',
    CN_MS,
  ),
  placed(
    'sex-female-mixed-room-when-bay-full',
    'women’s bay closed: a woman goes to a mixed room (the bariatric one, sparing telemetry and contact), not the free men’s bay',
    'pat-f2',
    medSurg('female'),
    'bed-ms-b1',
    CN_MS,
    (db) => closeBeds(db, ['bed-ms-f1', 'bed-ms-f2']),
  ),
  placed(
    'sex-male-mixed-room-when-bay-full',
    'men’s bay full of patients: a man goes to a mixed room, not the free women’s bay',
    'pat-m2',
    medSurg('male'),
    'bed-ms-b1',
    CN_MS,
    async (db) => {
      await occupy(db, 'bed-ms-m1', 'pat-m11');
      await occupy(db, 'bed-ms-m2', 'pat-m12');
    },
  ),
  placed(
    'sex-unknown-mixed-only',
    'a patient of unknown sex goes only to a mixed room: not the first-ranked single-sex bays',
    'pat-u1',
    medSurg('unknown'),
    'bed-ms-b1',
    CN_MS,
  ),
  noFit(
    'sex-female-only-men-bay-left',
    'only the men’s bay is free on med-surg: no bed for a woman; options: expedite the mixed-room discharge, overflow, transfer',
    'pat-f3',
    medSurg('female'),
    ['expedite-discharge', ...OVERFLOW_3],
    {
      setup: (db) => closeBeds(db, ['bed-ms-f1', 'bed-ms-f2', 'bed-ms-b1', 'bed-ms-t1', 'bed-ms-c1']),
      // pat-in-2 leaves sooner but from the men's bay: only pat-in-1's mixed-room bed would fit her.
      options: [{ kind: 'expedite-discharge', patientId: 'pat-in-1', bedId: 'bed-ms-x1' }],
    },
  ),
  placed(
    'isolation-airborne-negative-pressure',
    'airborne isolation in the ICU takes the negative-pressure room',
    'pat-m3',
    { unitTypes: ['icu'], sex: 'male', isolation: 'airborne' },
    'bed-icu-neg',
    CN_ICU,
  ),
  placed(
    'isolation-airborne-fallback-unit',
    'ICU negative-pressure room closed: airborne isolation falls back to step-down’s negative-pressure room',
    'pat-f4',
    { unitTypes: ['icu', 'step-down'], sex: 'female', isolation: 'airborne' },
    'bed-sd-neg',
    CN_SD,
    (db) => closeBeds(db, ['bed-icu-neg']),
  ),
  placed(
    'isolation-contact-own-room',
    'contact isolation on step-down takes the contact room, neither a plain room nor the negative-pressure one',
    'pat-m4',
    { unitTypes: ['step-down'], sex: 'male', isolation: 'contact' },
    'bed-sd-c',
    CN_SD,
  ),
  placed(
    'isolation-contact-higher-room',
    'contact room closed: contact isolation may use the negative-pressure room (higher isolation is fine)',
    'pat-m5',
    { unitTypes: ['step-down'], sex: 'male', isolation: 'contact' },
    'bed-sd-neg',
    CN_SD,
    (db) => closeBeds(db, ['bed-sd-c']),
  ),
  placed(
    'isolation-none-spares-negative-pressure',
    'no isolation needed: the ICU keeps its negative-pressure room free, even when that bed is the inspected one',
    'pat-f5',
    { unitTypes: ['icu'], sex: 'female' },
    'bed-icu-1',
    CN_ICU,
    (db) => inspectBeds(db, ['bed-icu-neg']),
  ),
  noFit(
    'isolation-airborne-none-on-med-surg',
    'med-surg has no negative-pressure room: no-fit, overflow only into the ICU and step-down negative-pressure rooms',
    'pat-m6',
    medSurg('male', { isolation: 'airborne' }),
    ['overflow', 'overflow', 'transfer-out'],
    {
      options: [{ kind: 'overflow' }, { kind: 'overflow' }],
      outcome: /^No free med-surg bed fits \(isolation airborne, telemetry no, sex male\)/,
    },
  ),
  placed(
    'telemetry-required',
    'telemetry needed on the telemetry unit: a monitored bed of the women’s bay, not the unmonitored mixed bed ranked first otherwise',
    'pat-f6',
    { unitTypes: ['telemetry'], sex: 'female', telemetry: true },
    'bed-tele-f1',
    CN_TELE,
  ),
  placed(
    'telemetry-not-needed-spares-monitor',
    'no telemetry needed on the telemetry unit: the unmonitored bed, keeping monitors free, even when a monitored bed is the inspected one',
    'pat-f7',
    { unitTypes: ['telemetry'], sex: 'female' },
    'bed-tele-a',
    CN_TELE,
    (db) => inspectBeds(db, ['bed-tele-f1']),
  ),
  placed(
    'telemetry-on-med-surg',
    'telemetry needed on med-surg: its one monitored bed, though lower-ranked beds are free',
    'pat-m7',
    medSurg('male', { telemetry: true }),
    'bed-ms-t1',
    CN_MS,
  ),
  placed(
    'bariatric-bed',
    'a bariatric patient gets the bariatric frame',
    'pat-m8',
    medSurg('male', { bariatric: true }),
    'bed-ms-b1',
    CN_MS,
  ),
  noFit(
    'bariatric-none-free',
    'the only bariatric bed is closed and none elsewhere: no-fit, transfer out is the only option',
    'pat-f8',
    medSurg('female', { bariatric: true }),
    ['transfer-out'],
    {
      setup: (db) => closeBeds(db, ['bed-ms-b1']),
      outcome: /Options: Transfer the patient to another facility$/,
    },
  ),
  placed(
    'preference-first-choice',
    'step-down preferred over ICU, both free: step-down',
    'pat-m9',
    { unitTypes: ['step-down', 'icu'], sex: 'male' },
    'bed-sd-1a',
    CN_SD,
  ),
  placed(
    'preference-fallback-second',
    'ICU preferred but closed: the step-down fallback',
    'pat-f9',
    { unitTypes: ['icu', 'step-down'], sex: 'female' },
    'bed-sd-1a',
    CN_SD,
    (db) => closeBeds(db, ['bed-icu-1', 'bed-icu-2', 'bed-icu-neg']),
  ),
  placed(
    'preference-fallback-third',
    'telemetry then step-down then ICU; the men’s monitored beds and step-down closed: the ICU',
    'pat-m10',
    { unitTypes: ['telemetry', 'step-down', 'icu'], sex: 'male', telemetry: true },
    'bed-icu-1',
    CN_ICU,
    (db) => closeBeds(db, ['bed-tele-m1', 'bed-tele-m2', 'bed-sd-1a', 'bed-sd-1b', 'bed-sd-c', 'bed-sd-neg']),
  ),
];
