import { runInventoryTrial } from '../inventory/harness.ts';
import type { InventoryScenario } from '../inventory/types.ts';
import type { Suite } from '../types.ts';
import { alertScenarios } from './inventory-alerts.ts';
import { dispensingScenarios } from './inventory-dispensing.ts';
import { raceScenarios } from './inventory-races.ts';
import { reorderingScenarios } from './inventory-reordering.ts';
import { reservationScenarios } from './inventory-reservations.ts';

export const inventoryScenarios: InventoryScenario[] = [
  ...dispensingScenarios,
  ...reservationScenarios,
  ...reorderingScenarios,
  ...alertScenarios,
  ...raceScenarios,
];

export const inventorySuite: Suite<InventoryScenario> = {
  name: 'inventory',
  description:
    'Stock through the real API: dispensing FEFO with its charge, reservations, the reorder job and purchase ' +
    'orders, alerts; graded on the final state (lots, movements, charges, reservations, orders, audit)',
  scenarios: inventoryScenarios,
  runTrial: runInventoryTrial,
};
