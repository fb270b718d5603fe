import type { AnyOperation } from '../core/operation.ts';

/** The revenue module's operations: charge capture, claims, remittance and the denial work queue. */
export const revenueOperations: readonly AnyOperation[] = [];
