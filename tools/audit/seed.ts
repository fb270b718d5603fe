import type { Tx } from '../../db/client.ts';
import type { SeedSize } from '../../db/seed/generate.ts';
import { appendAudit } from './chain.ts';

/** Records a seed run in the audit chain, inside the seed's own transaction. */
export function auditSeed(at: Date) {
  return async (
    tx: Tx,
    written: { seed: number; size: SeedSize; replace: boolean; counts: Record<string, number> },
  ): Promise<void> => {
    await appendAudit(tx, {
      at,
      actor: 'system:seed',
      tool: 'seed_hospital',
      input: { seed: written.seed, size: written.size, replace: written.replace },
      outcome: written.counts,
      status: 'ok',
    });
  };
}
