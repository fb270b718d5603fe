/**
 * The published best-known objectives beside the instances (best-known.tsv: instance,
 * best_known_objective, lower_bound, …; sources cited in its ub_source and lb_source columns).
 */
export interface BestKnown {
  instance: string;
  objective: number;
  lowerBound: number | null;
}

export function parseBestKnown(text: string): Map<string, BestKnown> {
  const table = new Map<string, BestKnown>();
  const [header, ...rows] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = (header ?? '').split('\t');
  const at = (name: string) => columns.indexOf(name);
  for (const row of rows) {
    const fields = row.split('\t');
    const instance = fields[at('instance')];
    const objective = Number(fields[at('best_known_objective')]);
    if (!instance || !Number.isFinite(objective)) continue;
    const lowerBound = Number(fields[at('lower_bound')]);
    table.set(instance, { instance, objective, lowerBound: Number.isFinite(lowerBound) ? lowerBound : null });
  }
  return table;
}

/** Relative gap of an objective above the best-known one, in percent, to two decimals. */
export function gapPercent(objective: number, bestKnown: number): number {
  if (bestKnown === 0) return objective === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.round(((objective - bestKnown) / bestKnown) * 10_000) / 100;
}
