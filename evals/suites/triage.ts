import { eq } from 'drizzle-orm';
import { beds, devices, onCallRota, patients } from '../../db/schema/index.ts';
import { runTrial } from '../harness.ts';
import type { Scenario, Suite } from '../types.ts';

const cgm = (value: number, unit: 'mg/dL' | 'mmol/L' = 'mg/dL') => ({
  patientId: 'pat-1',
  deviceId: 'dev-1-cgm',
  glucose: { value, unit },
});
const vitals = (v: Record<string, unknown>, patientId = 'pat-2') => ({
  patientId,
  deviceId: 'dev-2-mon',
  vitals: v,
});
const normal = {
  respirationRate: 16,
  spo2: 97,
  onOxygen: false,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37,
};
const fhirGlucose = (code: string, value: number, unit: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: 'Patient/pat-1' },
  effectiveDateTime: '2026-03-02T09:58:00Z',
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  ...extra,
});

const EMERGENCY = 'bed reserved and on-call specialist paged';
const WARD_BEDS = ['med-surg', 'telemetry', 'step-down'];
const RULE_OF_15 = /15 g of fast-acting carbohydrate/;

const emergencyHypo = (
  id: string,
  description: string,
  post: unknown,
  path?: '/fhir/Observation',
): Scenario => ({
  id,
  description,
  steps: [{ post, ...(path ? { path } : {}) }],
  expect: {
    statuses: [202],
    escalations: [
      { condition: 'hypoglycaemia', level: 'emergency', status: 'completed', outcome: EMERGENCY },
    ],
    heldBeds: { count: 1, unitTypes: WARD_BEDS },
    paged: ['stf-endo'],
    notified: ['stf-nurse'],
    adviceContains: [RULE_OF_15, /call emergency services/],
    clinicianMessageContains: ['{escalationId}'],
  },
});

const storedOnly = (id: string, description: string, post: unknown): Scenario => ({
  id,
  description,
  steps: [{ post }],
  expect: {
    statuses: [201],
    escalations: [],
    heldBeds: { count: 0 },
    paged: [],
    notified: [],
    observations: 1,
  },
});

const wardLevel = (
  id: string,
  description: string,
  post: unknown,
  condition: string,
  advice: RegExp,
): Scenario => ({
  id,
  description,
  steps: [{ post }],
  expect: {
    statuses: [202],
    escalations: [
      {
        condition,
        level: 'notify',
        status: 'completed',
        outcome: 'assigned nurse notified; advice sent to the patient',
      },
    ],
    heldBeds: { count: 0 },
    paged: [],
    notified: ['stf-nurse'],
    adviceContains: [advice],
  },
});

const glucose: Scenario[] = [
  emergencyHypo('hypo-l2-48-mgdl', 'CGM 48 mg/dL: level 2 hypoglycaemia is an emergency', cgm(48)),
  emergencyHypo(
    'hypo-l2-mmol',
    'CGM 2.6 mmol/L (≈ 47 mg/dL) is converted and treated as level 2',
    cgm(2.6, 'mmol/L'),
  ),
  emergencyHypo('hypo-l2-boundary', '53.9 mg/dL is still level 2 (< 54)', cgm(53.9)),
  wardLevel(
    'hypo-l1-boundary',
    '54 mg/dL is level 1: nurse and advice, no bed',
    cgm(54),
    'hypoglycaemia',
    RULE_OF_15,
  ),
  wardLevel('hypo-l1-69', '69 mg/dL is level 1', cgm(69), 'hypoglycaemia', RULE_OF_15),
  storedOnly('in-range-70', '70 mg/dL is in range: stored only (201)', cgm(70)),
  storedOnly('in-range-180', '180 mg/dL is in range', cgm(180)),
  storedOnly('hyper-l1-250', '250 mg/dL is level 1 hyperglycaemia: stored only', cgm(250)),
  wardLevel(
    'hyper-l2-251',
    '251 mg/dL is level 2 hyperglycaemia: nurse and ketone advice',
    cgm(251),
    'hyperglycaemia',
    /ketones/,
  ),
  wardLevel(
    'hyper-l2-mmol',
    '22 mmol/L (≈ 396 mg/dL) is level 2 hyperglycaemia',
    cgm(22, 'mmol/L'),
    'hyperglycaemia',
    /ketones/,
  ),
  {
    id: 'repeat-suppressed',
    description: 'a second low reading 5 min later, not worse, is suppressed: one bed, one page',
    steps: [{ post: cgm(48) }, { advanceMinutes: 5 }, { post: cgm(50) }],
    expect: {
      statuses: [202, 202],
      escalations: [
        { condition: 'hypoglycaemia', status: 'completed', outcome: EMERGENCY },
        { condition: 'hypoglycaemia', status: 'suppressed', outcome: /repeat of escalation/ },
      ],
      heldBeds: { count: 1 },
      paged: ['stf-endo'],
    },
  },
  {
    id: 'worsening-escalates',
    description: 'level 1 then level 2 within the window: the worsening escalates to an emergency',
    steps: [{ post: cgm(62) }, { advanceMinutes: 10 }, { post: cgm(49) }],
    expect: {
      statuses: [202, 202],
      escalations: [
        { condition: 'hypoglycaemia', level: 'notify', status: 'completed' },
        { condition: 'hypoglycaemia', level: 'emergency', status: 'completed', outcome: EMERGENCY },
      ],
      heldBeds: { count: 1 },
      paged: ['stf-endo'],
      eventMessages: [/Worse than escalation/],
    },
  },
  {
    id: 'falling-rapidly',
    description: 'CGM 95, 75, 50 mg/dL five minutes apart: the emergency is scored with its falling trend',
    steps: [
      { post: cgm(95) },
      { advanceMinutes: 5 },
      { post: cgm(75) },
      { advanceMinutes: 5 },
      { post: cgm(50) },
    ],
    expect: {
      statuses: [201, 201, 202],
      escalations: [
        { condition: 'hypoglycaemia', level: 'emergency', status: 'completed', outcome: EMERGENCY },
      ],
      heldBeds: { count: 1, unitTypes: WARD_BEDS },
      paged: ['stf-endo'],
      eventMessages: [/falling rapidly \(-4\.5 mg\/dL\/min over 10 min\)/],
    },
  },
  {
    id: 'repeat-after-window',
    description: 'the same low reading 45 min later is a new episode; the first hold has lapsed',
    steps: [{ post: cgm(48) }, { advanceMinutes: 45 }, { post: cgm(48) }],
    expect: {
      escalations: [
        { condition: 'hypoglycaemia', status: 'completed', outcome: EMERGENCY },
        { condition: 'hypoglycaemia', status: 'completed', outcome: EMERGENCY },
      ],
      heldBeds: { count: 1 },
      paged: ['stf-endo', 'stf-endo'],
    },
  },
  {
    id: 'idempotent-retry',
    description: 'a retry with the same Idempotency-Key creates nothing new',
    steps: [
      { post: cgm(48), idempotencyKey: 'k-1' },
      { post: cgm(48), idempotencyKey: 'k-1' },
    ],
    expect: {
      statuses: [202, 202],
      escalations: [{ condition: 'hypoglycaemia', status: 'completed' }],
      observations: 1,
      paged: ['stf-endo'],
    },
  },
  {
    id: 'no-ward-bed',
    description: 'every ward bed occupied: the specialist is still paged and the outcome says no bed',
    setup: async (database) => {
      await database.db.update(beds).set({ status: 'O' }).where(eq(beds.unitId, 'unit-ms'));
    },
    steps: [{ post: cgm(45) }],
    expect: {
      escalations: [
        {
          condition: 'hypoglycaemia',
          status: 'completed',
          outcome: /except: reserve-bed \(no free med-surg\/telemetry\/step-down bed/,
        },
      ],
      heldBeds: { count: 0 },
      paged: ['stf-endo'],
    },
  },
  {
    id: 'dirty-beds-not-offered',
    description: 'beds awaiting housekeeping are never held; the one clean bed is',
    setup: async (database) => {
      await database.db
        .update(beds)
        .set({ status: 'H', housekeeping: 'dirty' })
        .where(eq(beds.unitId, 'unit-ms'));
      await database.db
        .update(beds)
        .set({ status: 'U', housekeeping: 'clean' })
        .where(eq(beds.id, 'bed-ms-2'));
    },
    steps: [{ post: cgm(45) }],
    expect: {
      escalations: [{ condition: 'hypoglycaemia', status: 'completed', outcome: EMERGENCY }],
      heldBeds: { count: 1 },
      eventMessages: [/bed bed-ms-2/],
    },
  },
  {
    id: 'airborne-isolation-no-ward-room',
    description: 'a patient needing airborne isolation gets no ward bed without a negative-pressure room',
    setup: async (database) => {
      await database.db.update(patients).set({ isolation: 'airborne' }).where(eq(patients.id, 'pat-1'));
    },
    steps: [{ post: cgm(47) }],
    expect: {
      escalations: [{ condition: 'hypoglycaemia', status: 'completed', outcome: /isolation airborne/ }],
      heldBeds: { count: 0 },
      paged: ['stf-endo'],
    },
  },
  {
    id: 'backup-on-call',
    description: 'with no primary endocrinologist on call, the backup is paged',
    setup: async (database) => {
      await database.db.delete(onCallRota).where(eq(onCallRota.id, 'rota-endo-p'));
    },
    steps: [{ post: cgm(48) }],
    expect: {
      escalations: [{ condition: 'hypoglycaemia', status: 'completed', outcome: EMERGENCY }],
      paged: ['stf-endo-2'],
      eventMessages: [/backup on call/],
    },
  },
  {
    id: 'nobody-on-call',
    description: 'a specialty without any rota: the bed is still reserved and the gap is reported',
    setup: async (database) => {
      await database.db.update(patients).set({ careSpecialty: 'nephrology' }).where(eq(patients.id, 'pat-1'));
    },
    steps: [{ post: cgm(48) }],
    expect: {
      escalations: [
        {
          condition: 'hypoglycaemia',
          status: 'completed',
          outcome: /except: page-on-call \(nobody on call for nephrology\)/,
        },
      ],
      heldBeds: { count: 1 },
      paged: [],
    },
  },
  {
    id: 'no-assigned-nurse',
    description: 'a patient without an assigned nurse: the outcome says so',
    setup: async (database) => {
      await database.db.update(patients).set({ assignedNurseId: null }).where(eq(patients.id, 'pat-1'));
    },
    steps: [{ post: cgm(60) }],
    expect: {
      escalations: [
        { condition: 'hypoglycaemia', status: 'completed', outcome: /patient has no assigned nurse/ },
      ],
      notified: [],
    },
  },
  {
    id: 'device-gap-noted',
    description: 'a reading after the CGM was silent for 2 hours notes the data gap',
    setup: async (database, clock) => {
      await database.db
        .update(devices)
        .set({ lastSeenAt: new Date(clock.now().getTime() - 120 * 60_000) })
        .where(eq(devices.id, 'dev-1-cgm'));
    },
    steps: [{ post: cgm(48) }],
    expect: {
      escalations: [{ condition: 'hypoglycaemia', status: 'completed' }],
      eventMessages: [/silent for 120 min/],
    },
  },
  {
    id: 'stale-device-alert',
    description: 'a CGM silent for 30 min (3 × 5 min expected) raises a device alert to the nurse',
    setup: async (database, clock) => {
      await database.db
        .update(devices)
        .set({ lastSeenAt: new Date(clock.now().getTime() - 30 * 60_000) })
        .where(eq(devices.id, 'dev-1-cgm'));
    },
    steps: [{ sweepStaleDevices: true }, { sweepStaleDevices: true }],
    expect: {
      escalations: [{ condition: 'device-stale', level: 'notify', status: 'completed' }],
      notified: ['stf-nurse'],
      adviceContains: [/stopped sending/],
    },
  },
  {
    id: 'other-patient-refused',
    description: "a patient app posting another patient's reading gets 403 and nothing is stored",
    steps: [{ post: cgm(48), as: 'patient2' }],
    expect: { statuses: [403], escalations: [], observations: 0 },
  },
  {
    id: 'invalid-unit-refused',
    description: 'a glucose in an unknown unit gets 422 and nothing is stored',
    steps: [{ post: { patientId: 'pat-1', glucose: { value: 48, unit: 'g/L' } } }],
    expect: { statuses: [422], escalations: [], observations: 0 },
  },
  emergencyHypo(
    'fhir-2339-0',
    'a FHIR R4 Observation, LOINC 2339-0, 48 mg/dL',
    fhirGlucose('2339-0', 48, 'mg/dL'),
    '/fhir/Observation',
  ),
  emergencyHypo(
    'fhir-15074-8-mmol',
    'a FHIR R4 Observation, LOINC 15074-8, 2.5 mmol/L',
    fhirGlucose('15074-8', 2.5, 'mmol/L'),
    '/fhir/Observation',
  ),
  {
    id: 'fhir-missing-status',
    description: 'a FHIR Observation without status is refused (422) and nothing is stored',
    steps: [
      { post: { ...fhirGlucose('2339-0', 48, 'mg/dL'), status: undefined }, path: '/fhir/Observation' },
    ],
    expect: { statuses: [422], escalations: [], observations: 0 },
  },
];

const news2: Scenario[] = [
  {
    id: 'news2-high',
    description: 'NEWS2 11 (≥ 7): a monitored ICU/step-down bed and the critical-care team paged',
    steps: [
      {
        as: 'patient2',
        post: vitals({
          respirationRate: 25,
          spo2: 91,
          onOxygen: false,
          systolicBp: 100,
          pulse: 120,
          consciousness: 'A',
          temperature: 38.5,
        }),
      },
    ],
    expect: {
      statuses: [202],
      escalations: [{ condition: 'news2', level: 'emergency', status: 'completed', outcome: EMERGENCY }],
      heldBeds: { count: 1, unitTypes: ['icu', 'step-down'], telemetry: true },
      paged: ['stf-icu'],
      notified: ['stf-nurse'],
      adviceContains: [/emergency assessment/],
    },
  },
  {
    id: 'news2-medium',
    description: 'NEWS2 5 (medium): an urgent ward review, no bed',
    steps: [
      {
        as: 'patient2',
        post: vitals({ ...normal, respirationRate: 22, spo2: 95, systolicBp: 105, pulse: 95 }),
      },
    ],
    expect: {
      escalations: [
        { condition: 'news2', level: 'urgent', status: 'completed', outcome: /urgent ward review/ },
      ],
      heldBeds: { count: 0 },
      paged: [],
      notified: ['stf-nurse'],
      clinicianMessageContains: ['URGENT ward review'],
    },
  },
  {
    id: 'news2-single-3',
    description: 'respiration rate 8 alone scores 3: urgent ward review (low-medium)',
    steps: [{ as: 'patient2', post: vitals({ ...normal, respirationRate: 8 }) }],
    expect: {
      escalations: [{ condition: 'news2', level: 'urgent', status: 'completed' }],
      heldBeds: { count: 0 },
      notified: ['stf-nurse'],
    },
  },
  {
    id: 'news2-new-confusion',
    description: 'new confusion (C) scores 3 on its own: urgent',
    steps: [{ as: 'patient2', post: vitals({ ...normal, consciousness: 'C' }) }],
    expect: { escalations: [{ condition: 'news2', level: 'urgent', status: 'completed' }] },
  },
  {
    id: 'news2-low',
    description: 'NEWS2 2 (low): the nurse assesses',
    steps: [{ as: 'patient2', post: vitals({ ...normal, respirationRate: 21 }) }],
    expect: {
      escalations: [{ condition: 'news2', level: 'notify', status: 'completed' }],
      notified: ['stf-nurse'],
      paged: [],
    },
  },
  {
    id: 'news2-zero',
    description: 'NEWS2 0: stored only',
    steps: [{ as: 'patient2', post: vitals(normal) }],
    expect: { statuses: [201], escalations: [], observations: 7 },
  },
  {
    id: 'news2-scale2',
    description: 'SpO2 89% on air on scale 2 (hypercapnic target 88–92%) scores 0: stored only',
    steps: [{ as: 'patient2', post: vitals({ ...normal, spo2: 89, spo2Scale: 2 }) }],
    expect: { statuses: [201], escalations: [] },
  },
  {
    id: 'news2-partial-spo2',
    description: 'a lone SpO2 of 85% scores 3: urgent even though the set is partial',
    steps: [{ as: 'patient2', post: vitals({ spo2: 85 }) }],
    expect: { escalations: [{ condition: 'news2', level: 'urgent', status: 'completed' }] },
  },
  {
    id: 'news2-accumulates',
    description: 'readings 10 min apart are scored together: the second set makes it an emergency',
    steps: [
      { as: 'patient2', post: vitals({ respirationRate: 25 }) },
      { advanceMinutes: 10 },
      { as: 'patient2', post: vitals({ systolicBp: 88, pulse: 135 }) },
    ],
    expect: {
      escalations: [
        { condition: 'news2', level: 'urgent', status: 'completed' },
        { condition: 'news2', level: 'emergency', status: 'completed', outcome: EMERGENCY },
      ],
      heldBeds: { count: 1, unitTypes: ['icu', 'step-down'] },
      paged: ['stf-icu'],
    },
  },
  {
    id: 'news2-high-inpatient-in-icu',
    description: 'an ICU inpatient with NEWS2 ≥ 7 keeps the bed: critical care paged, no second bed',
    setup: async (database) => {
      await database.db
        .update(beds)
        .set({ status: 'O', occupantPatientId: 'pat-2' })
        .where(eq(beds.id, 'bed-icu-1'));
    },
    steps: [
      {
        as: 'patient2',
        post: vitals({
          respirationRate: 26,
          spo2: 90,
          onOxygen: true,
          systolicBp: 88,
          pulse: 135,
          consciousness: 'V',
          temperature: 39.5,
        }),
      },
    ],
    expect: {
      escalations: [
        {
          condition: 'news2',
          level: 'emergency',
          status: 'completed',
          outcome: 'patient already in a suitable bed; on-call specialist paged',
        },
      ],
      heldBeds: { count: 0 },
      paged: ['stf-icu'],
    },
  },
];

export const triageSuite: Suite = {
  name: 'triage',
  description:
    'Patient readings → screening → the triage agent’s response, graded on the final database state',
  scenarios: [...glucose, ...news2],
  runTrial,
};
