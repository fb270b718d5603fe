import type { AnyOperation } from '../core/operation.ts';

/** The inventory module's operations: items, locations, stock by lot, movements, reservations, reorders. */
export const inventoryOperations: readonly AnyOperation[] = [];
