import { auditOperations } from './audit/operations.ts';
import { bedOperations } from './beds/operations.ts';
import type { AnyOperation, ModuleName } from './core/operation.ts';
import { healthDataOperations } from './health-data/operations.ts';
import { inventoryOperations } from './inventory/operations.ts';
import { revenueOperations } from './revenue/operations.ts';
import { staffingOperations } from './staffing/operations.ts';
import { surgeryOperations } from './surgery/operations.ts';

/** Every operation, by module: the one list the MCP servers, HTTP routes and docs are built from. */
export const operationsByModule: Record<ModuleName, readonly AnyOperation[]> = {
  'health-data': healthDataOperations,
  beds: bedOperations,
  staffing: staffingOperations,
  revenue: revenueOperations,
  inventory: inventoryOperations,
  surgery: surgeryOperations,
  audit: auditOperations,
};

export type ServedModule = keyof typeof operationsByModule;
export const servedModules = Object.keys(operationsByModule) as ServedModule[];

export function isServedModule(name: string): name is ServedModule {
  return Object.hasOwn(operationsByModule, name);
}

export const allOperations: readonly AnyOperation[] = Object.values(operationsByModule).flat();
