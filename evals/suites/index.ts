import type { Suite } from '../types.ts';
import { triageSuite } from './triage.ts';

export const suites: Record<string, Suite> = { triage: triageSuite };
