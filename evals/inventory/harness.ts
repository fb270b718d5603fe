import type { ModelSettings } from '../../agents/runtime/model.ts';
import { createApp } from '../../api/app.ts';
import type { ScratchServer } from '../../db/scratch.ts';
import { createApiKey, KeyResolver } from '../../tools/auth/keys.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { inventoryWard } from '../../tools/inventory/test-fixtures.ts';
import { revenueWard } from '../../tools/revenue/test-fixtures.ts';
import { gradedTrial, postJson } from '../harness.ts';
import { miniHospital } from '../hospital.ts';
import type { TrialResult } from '../types.ts';
import { gradeInventory } from './grade.ts';
import { openingOf, refsNow } from './state.ts';
import type { InventoryScenario, InventoryStep, KeyName } from './types.ts';

/** One HTTP call a step made: its status, the problem's detail and first field, and the body. */
export interface InventoryCall {
  tag: string | undefined;
  status: number;
  detail: string;
  field: string | undefined;
  body: unknown;
}

/** The inventory fixture's today (tools/revenue/test-fixtures.ts TODAY_AT): Ada's ward stay in progress. */
export const INVENTORY_EVAL_START = '2026-03-20T09:00:00Z';
const HOUR_MS = 3_600_000;

/**
 * One trial of one inventory scenario: a fresh database with the mini hospital, the billing office (its
 * chargemaster prices dispenses) and the inventory ward, the real API called in-process with API keys of
 * each role, graded on the final state. No agent runs: the inventory operations are deterministic, so the
 * suite is the same with or without a model.
 */
export async function runInventoryTrial(
  scratch: ScratchServer,
  scenario: InventoryScenario,
  _model: ModelSettings | null,
): Promise<TrialResult> {
  return gradedTrial(scratch, async (database) => {
    const clock = new ManualClock(INVENTORY_EVAL_START);
    await miniHospital(database);
    await revenueWard(database);
    await inventoryWard(database);
    await scenario.setup?.(database, clock);
    const opening = await openingOf(database);
    const now = clock.now();
    const keys: Record<KeyName, string> = {
      staff: (await createApiKey(database.db, { role: 'staff', label: 'eval ward', now })).key,
      admin: (await createApiKey(database.db, { role: 'admin', label: 'eval admin', now })).key,
      billing: (await createApiKey(database.db, { role: 'billing', label: 'eval billing', now })).key,
    };
    const app = createApp({ database, clock, keys: new KeyResolver(database.db, 0) });
    const calls: InventoryCall[] = [];

    const act = async (step: InventoryStep): Promise<void> => {
      if ('together' in step) {
        await Promise.all(step.together.map(act));
      } else if ('advanceDays' in step) {
        clock.advance(step.advanceDays * 24 * HOUR_MS);
      } else if ('advanceHours' in step) {
        clock.advance(step.advanceHours * HOUR_MS);
      } else {
        const body = typeof step.body === 'function' ? step.body(await refsNow(database)) : step.body;
        const { status, text, json } = await postJson(
          app,
          `/v1/ops/${step.op}`,
          keys[step.as ?? 'staff'],
          body,
        );
        const refused = status >= 400;
        calls.push({
          tag: step.tag,
          status,
          detail: refused ? String(json?.detail ?? text) : '',
          field: refused ? (json?.errors as { field?: string }[] | undefined)?.[0]?.field : undefined,
          body: json,
        });
      }
    };

    for (const step of scenario.steps) {
      clock.advance(1_000);
      await act(step);
    }
    return gradeInventory(database, scenario.expect, { calls, opening });
  });
}
