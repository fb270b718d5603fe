import { runRevenueTrial } from '../revenue/harness.ts';
import type { RevenueScenario } from '../revenue/types.ts';
import type { Suite } from '../types.ts';
import { billingScenarios } from './revenue-billing.ts';
import { codingScenarios } from './revenue-coding.ts';
import { concurrencyScenarios } from './revenue-concurrency.ts';
import { correctionScenarios } from './revenue-corrections.ts';
import { denialScenarios } from './revenue-denials.ts';
import { officeScenarios, foundFaultScenarios } from './revenue-office.ts';
import { refusalScenarios } from './revenue-refusals.ts';
import { remittanceScenarios } from './revenue-remittance.ts';

export const revenueScenarios: RevenueScenario[] = [
  ...billingScenarios,
  ...codingScenarios,
  ...refusalScenarios,
  ...remittanceScenarios,
  ...denialScenarios,
  ...correctionScenarios,
  ...concurrencyScenarios,
  ...officeScenarios,
  ...foundFaultScenarios,
];

export const revenueSuite: Suite<RevenueScenario> = {
  name: 'revenue',
  description:
    'The revenue agent billing encounters (capture, build, scrub, fix, coder review, submit to the outbox) and ' +
    'working remittances (posting, denials, appeals, replacements), through the real API, graded on the final state',
  scenarios: revenueScenarios,
  runTrial: runRevenueTrial,
};
