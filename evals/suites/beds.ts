import { runBedTrial } from '../beds/harness.ts';
import type { BedScenario } from '../beds/types.ts';
import type { Suite } from '../types.ts';
import { answerScenarios } from './beds-answers.ts';
import { capacityScenarios } from './beds-capacity.ts';
import { fitScenarios } from './beds-fit.ts';
import { timingScenarios } from './beds-timing.ts';

export const bedsSuite: Suite<BedScenario> = {
  name: 'beds',
  description:
    'Bed requests → the bed agent’s negotiation with charge nurses and the bed manager, graded on the final database state',
  scenarios: [...fitScenarios, ...answerScenarios, ...timingScenarios, ...capacityScenarios],
  runTrial: runBedTrial,
};
