import { runSurgeryTrial } from '../surgery/harness.ts';
import type { SurgeryScenario } from '../surgery/types.ts';
import type { Suite } from '../types.ts';
import { failureScenarios } from './surgery-failures.ts';
import { faultScenarios } from './surgery-faults.ts';
import { happyScenarios } from './surgery-happy.ts';
import { raceScenarios } from './surgery-races.ts';
import { refusalScenarios } from './surgery-refusals.ts';

export const surgeryScenarios: SurgeryScenario[] = [
  ...happyScenarios,
  ...failureScenarios,
  ...faultScenarios,
  ...raceScenarios,
  ...refusalScenarios,
];

export const surgerySuite: Suite<SurgeryScenario> = {
  name: 'surgery',
  description:
    'The surgery orchestration planning requests (theatre, stock, team, post-op bed), compensating every ' +
    'failure, racing for the same theatre time, team and last bed, and following the case to its claim, ' +
    'through the real API, graded on the final state',
  scenarios: surgeryScenarios,
  runTrial: runSurgeryTrial,
};
