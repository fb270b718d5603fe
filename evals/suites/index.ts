import type { AnySuite } from '../types.ts';
import { bedsSuite } from './beds.ts';
import { inventorySuite } from './inventory.ts';
import { revenueSuite } from './revenue.ts';
import { staffingSuite } from './staffing.ts';
import { surgerySuite } from './surgery.ts';
import { triageSuite } from './triage.ts';

export const suites: Record<string, AnySuite> = {
  triage: triageSuite,
  beds: bedsSuite,
  staffing: staffingSuite,
  revenue: revenueSuite,
  inventory: inventorySuite,
  surgery: surgerySuite,
};
