/**
 * The few FHIR R4 (4.0.1) shapes this module reads and writes, declared here rather than pulling in a
 * full FHIR type package. Field names and cardinalities follow https://hl7.org/fhir/R4/observation.html
 * and https://hl7.org/fhir/R4/operationoutcome.html; everything not used is left out. Input is still
 * parsed as `unknown` and checked field by field: these types describe what has been checked.
 */

export interface Coding {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Quantity {
  value?: number;
  comparator?: '<' | '<=' | '>=' | '>';
  unit?: string;
  system?: string;
  code?: string;
}

export interface Reference {
  reference?: string;
  display?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export const OBSERVATION_STATUSES = [
  'registered',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'cancelled',
  'entered-in-error',
  'unknown',
] as const;
export type ObservationStatus = (typeof OBSERVATION_STATUSES)[number];

export interface ObservationComponent {
  code: CodeableConcept;
  valueQuantity?: Quantity;
  valueCodeableConcept?: CodeableConcept;
  dataAbsentReason?: CodeableConcept;
}

export interface Observation {
  resourceType: 'Observation';
  id?: string;
  status: ObservationStatus;
  category?: CodeableConcept[];
  code: CodeableConcept;
  subject?: Reference;
  effectiveDateTime?: string;
  effectivePeriod?: Period;
  effectiveInstant?: string;
  valueQuantity?: Quantity;
  valueCodeableConcept?: CodeableConcept;
  dataAbsentReason?: CodeableConcept;
  device?: Reference;
  hasMember?: Reference[];
  component?: ObservationComponent[];
}

/** The issue codes used here, from the R4 IssueType value set. */
export type IssueType = 'invalid' | 'required' | 'code-invalid' | 'not-supported';

export interface OperationOutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: IssueType;
  diagnostics?: string;
  /** FHIRPath of the offending element, e.g. `Observation.component[1].valueQuantity.value`. */
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}
