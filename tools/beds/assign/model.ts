/**
 * The batch bed-assignment problem: many pending bed requests (morning admissions, a mass-casualty
 * surge), the hospital's beds, and what placing each patient in each bed costs.
 *
 * Hard rules are exactly those of `bedRefusal` (candidates.ts): a pair it refuses is never a candidate.
 * Everything else is a soft cost (below), and a request may always be left unassigned at a penalty that
 * grows with its priority, so the problem is always feasible.
 */
// Types only from the schema: the solver's worker thread must not load drizzle.
import type { bedRequestPriorities, IsolationKind } from '../../../db/schema/hospital.ts';
import type { BedFacts } from '../candidates.ts';
import type { BedNeed } from '../schema.ts';

export interface AssignableBed extends BedFacts {
  /** The unit's specialty (e.g. cardiology); null for a unit without one. */
  unitSpecialty: string | null;
  unitMinAgeYears: number | null;
  unitMaxAgeYears: number | null;
}

export type RequestPriority = (typeof bedRequestPriorities)[number];

/** Bed equipment a patient may prefer without needing it ("preferred room properties" in PAS). */
export const preferableFeatures = ['telemetry', 'bariatric'] as const;
export type PreferableFeature = (typeof preferableFeatures)[number];

export interface PendingBedRequest {
  requestId: string;
  patientId: string;
  /** The hard needs; `need.unitTypes` is also the order of preference among unit types. */
  need: BedNeed;
  priority: RequestPriority;
  /** The patient's care specialty (patients.care_specialty); null when unknown. */
  specialty: string | null;
  ageYears: number | null;
  preferredFeatures: readonly PreferableFeature[];
  /** The bed the patient occupies now, if any: moving them is a transfer. */
  currentBedId: string | null;
}

export interface AssignmentProblem {
  beds: readonly AssignableBed[];
  requests: readonly PendingBedRequest[];
}

/**
 * Soft costs of placing a patient in a bed that fits.
 *
 * The cost components follow the Patient Admission Scheduling (PAS) problem of Demeester, Souffriau,
 * De Causmaecker and Vanden Berghe, "A hybrid tabu search algorithm for automatically assigning
 * patients to beds", Artificial Intelligence in Medicine 48(1):61–70 (2010): department specialism,
 * preferred room properties, department age policy and transfers. The three numbers marked PAS are
 * the weights in Ceschia & Schaerf's PAS solution validator (or_pas_validator.cc, 2014, published with
 * "Dynamic patient admission scheduling with operating room constraints, flexible horizons, and patient
 * delays", Journal of Scheduling 19(4):377–389, 2016): preferred property 20, specialism 20, transfer
 * 100. (Its gender weight 50 and room-capacity preference 10 have no use here: room sex policy is a
 * hard rule, and beds carry no room size.) We have not checked them against the 2010 paper's own table.
 *
 * CareBridge's own choices: the age-limit weight (the validator makes department age limits a hard
 * rule; here they are soft), and the five terms find_candidate_beds already ranks by (candidates.ts):
 * 100 per step down the requested unit-type order, 10 per isolation level the room has beyond the
 * need, 5 for an unneeded telemetry bed, 3 for an unneeded bariatric frame, 1 for a bed merely clean
 * rather than inspected. So the fit part of a cost equals find_candidate_beds' rank.
 */
export const assignmentWeights = {
  unitPreferenceStep: 100,
  spareIsolationLevel: 10,
  spareTelemetry: 5,
  spareBariatric: 3,
  notInspected: 1,
  /** PAS: the unit's specialty is not the patient's (PAS "partial" specialism level). */
  specialtyMismatch: 20,
  /** PAS: per preferred feature the bed lacks. */
  missingPreferredFeature: 20,
  /** PAS: moving a patient out of the bed they occupy. */
  transfer: 100,
  /** CareBridge: the patient's age is outside the unit's limits (a child on an adult ward). */
  outsideAgeLimits: 50,
} as const;

/**
 * The cost of leaving a request without a bed (CareBridge's own). Each exceeds the largest possible
 * assignment cost (`maxAssignmentCost`), so a request is placed whenever a bed fits; and each step up
 * in priority exceeds it too, so a higher-priority request never loses a bed to a lower-priority one.
 */
export const unassignedPenalty: Record<RequestPriority, number> = {
  emergency: 100_000,
  urgent: 20_000,
  routine: 5_000,
};

/** The largest cost any feasible pair can have: every soft term at once, at the last of nine unit types. */
export const maxAssignmentCost =
  8 * assignmentWeights.unitPreferenceStep +
  3 * assignmentWeights.spareIsolationLevel +
  assignmentWeights.spareTelemetry +
  assignmentWeights.spareBariatric +
  assignmentWeights.notInspected +
  assignmentWeights.specialtyMismatch +
  2 * assignmentWeights.missingPreferredFeature +
  assignmentWeights.transfer +
  assignmentWeights.outsideAgeLimits;

export const costKinds = [
  'unit-type',
  'spare-isolation',
  'spare-telemetry',
  'spare-bariatric',
  'not-inspected',
  'specialty',
  'preferred-feature',
  'age',
  'transfer',
] as const;
export type CostKind = (typeof costKinds)[number];

export interface CostItem {
  kind: CostKind;
  cost: number;
  reason: string;
}

/** As in candidates.ts: airborne (negative pressure) also serves droplet and contact, and so on. */
const isolationLevel: Record<IsolationKind, number> = { none: 0, contact: 1, droplet: 2, airborne: 3 };

/**
 * The soft cost of a pair that passes `bedRefusal`. With `explain`, every non-zero term is also pushed
 * there with its reason (the plan shows them); without, nothing is allocated, for the solver's inner loop.
 */
export function assignmentCost(bed: AssignableBed, request: PendingBedRequest, explain?: CostItem[]): number {
  const w = assignmentWeights;
  const { need } = request;
  let total = 0;
  const add = (kind: CostKind, cost: number, reason: () => string) => {
    total += cost;
    explain?.push({ kind, cost, reason: reason() });
  };
  const step = need.unitTypes.indexOf(bed.unitType);
  if (step > 0)
    add(
      'unit-type',
      step * w.unitPreferenceStep,
      () => `fallback unit type ${bed.unitType} (choice ${step + 1})`,
    );
  const spare = isolationLevel[bed.roomIsolation] - isolationLevel[need.isolation];
  if (spare > 0)
    add(
      'spare-isolation',
      spare * w.spareIsolationLevel,
      () => `uses a ${bed.roomIsolation}-isolation room the patient does not need`,
    );
  if (bed.telemetry && !need.telemetry && !request.preferredFeatures.includes('telemetry'))
    add('spare-telemetry', w.spareTelemetry, () => 'uses a telemetry bed the patient does not need');
  if (bed.bariatric && !need.bariatric && !request.preferredFeatures.includes('bariatric'))
    add('spare-bariatric', w.spareBariatric, () => 'uses a bariatric bed the patient does not need');
  if (bed.housekeeping !== 'inspected')
    add('not-inspected', w.notInspected, () => 'bed is clean but not yet inspected');
  if (request.specialty !== null && bed.unitSpecialty !== request.specialty) {
    add('specialty', w.specialtyMismatch, () =>
      bed.unitSpecialty === null
        ? `unit has no specialty; patient's is ${request.specialty}`
        : `unit specialty ${bed.unitSpecialty}, patient's is ${request.specialty}`,
    );
  }
  for (const feature of request.preferredFeatures) {
    if (!bed[feature])
      add('preferred-feature', w.missingPreferredFeature, () => `no ${feature}, which the patient prefers`);
  }
  const age = request.ageYears;
  if (age !== null) {
    if (bed.unitMinAgeYears !== null && age < bed.unitMinAgeYears)
      add('age', w.outsideAgeLimits, () => `patient is ${age}, unit takes ${bed.unitMinAgeYears} and over`);
    else if (bed.unitMaxAgeYears !== null && age > bed.unitMaxAgeYears)
      add('age', w.outsideAgeLimits, () => `patient is ${age}, unit takes up to ${bed.unitMaxAgeYears}`);
  }
  if (request.currentBedId !== null && request.currentBedId !== bed.bedId)
    add('transfer', w.transfer, () => `moves the patient from bed ${request.currentBedId}`);
  return total;
}
