/**
 * Public API of the pure health-data logic: NEWS2, glucose, the code table and the FHIR Observation
 * parser. No database, clock or network behind any of it. (The operations, ingest and escalation
 * modules in this folder use the database and are imported from their own files.)
 */

export {
  ACCEPTED_STATUSES,
  type ParsedObservation,
  parseFhirObservation,
  type Reading,
} from './fhir-observation.ts';
export type {
  CodeableConcept,
  Coding,
  IssueType,
  Observation,
  ObservationComponent,
  ObservationStatus,
  OperationOutcome,
  OperationOutcomeIssue,
  Period,
  Quantity,
  Reference,
} from './fhir-types.ts';
export { OBSERVATION_STATUSES } from './fhir-types.ts';
export {
  classifyGlucose,
  type GlucoseBand,
  type GlucoseClass,
  type GlucoseRate,
  type GlucoseReading,
  type GlucoseTrend,
  type GlucoseUnit,
  glucoseReadingSchema,
  MAX_GLUCOSE_MG_DL,
  MG_PER_DL_PER_MMOL_PER_L,
  RATE_WINDOW_MINUTES,
  rateOfChange,
  toMgPerDl,
  trendOf,
} from './glucose.ts';
export {
  ACVPU_SNOMED,
  codeKey,
  findPanelCode,
  findVitalCode,
  LOINC,
  MDC,
  PANEL_CODES,
  type PanelCode,
  PLAUSIBLE_RANGE,
  SNOMED,
  UNITS_BY_KIND,
  UNSUPPORTED_CODES,
  unsupportedReason,
  VITAL_CODES,
  type VitalCode,
  type VitalKind,
} from './loinc.ts';
export {
  type Consciousness,
  NEWS2_FIELDS,
  type News2Input,
  type News2ParameterScores,
  type News2Response,
  type News2Result,
  type News2Risk,
  news2InputSchema,
  news2Response,
  news2ResultSchema,
  news2Risk,
  type PartialNews2Result,
  roundHalfUp,
  scoreAirOrOxygen,
  scoreConsciousness,
  scoreNews2,
  scorePartialNews2,
  scorePulse,
  scoreRespirationRate,
  scoreSpo2Scale1,
  scoreSpo2Scale2,
  scoreSystolicBp,
  scoreTemperature,
} from './news2.ts';
