import type { AnyOperation } from '../core/operation.ts';
import { chargeOperations } from './charges/operations.ts';
import { claimOperations } from './claims/operations.ts';
import { remittanceOperations } from './remittance/operations.ts';
import { revenueTaskOperations } from './tasks.ts';

/** The revenue module's operations: charge capture, claims, remittance, the denial work queue and the agent's tasks. */
export const revenueOperations: readonly AnyOperation[] = [
  ...chargeOperations,
  ...claimOperations,
  ...remittanceOperations,
  ...revenueTaskOperations,
];
