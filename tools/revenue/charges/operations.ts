import type { AnyOperation } from '../../core/operation.ts';
import { getEncounterBilling } from './billing-operations.ts';
import { listUnbilledEncounters } from './unbilled-operations.ts';
import { captureCharges, listCharges, voidCharge } from './charge-operations.ts';
import { listChargemaster, setChargemasterItem } from './chargemaster-operations.ts';
import { recordEncounterService, setEncounterDiagnoses } from './coding-operations.ts';
import {
  addCoverage,
  addPriorAuthorization,
  endCoverage,
  getPatientCoverage,
  listPayers,
} from './coverage-operations.ts';

/** Payers and coverage, the chargemaster, encounter coding and charge capture (module 'revenue'). */
export const chargeOperations: readonly AnyOperation[] = [
  listPayers,
  getPatientCoverage,
  addCoverage,
  endCoverage,
  addPriorAuthorization,
  setChargemasterItem,
  listChargemaster,
  setEncounterDiagnoses,
  recordEncounterService,
  captureCharges,
  listCharges,
  voidCharge,
  getEncounterBilling,
  listUnbilledEncounters,
];
