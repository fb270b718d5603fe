/**
 * The HiGHS MILP solver (the `highs` package: HiGHS compiled to WebAssembly, MIT licence) behind the
 * small interface the roster strategy needs. Loading can fail (no WebAssembly, package missing); the
 * strategy then runs its pure-TypeScript search alone.
 */
export interface MilpRun {
  /** 'optimal'; 'limit' when the node limit stopped the solve; 'time-limit'; 'failed' (no usable solution). */
  status: 'optimal' | 'limit' | 'time-limit' | 'failed';
  value(column: string): number | undefined;
  /** HiGHS's proven lower bound on the model's objective (without the model's constant), if any. */
  dualBound: number | null;
}

export type MilpRunner = (
  lp: string,
  start: Map<string, number> | null,
  limits: { timeLimitSeconds: number; maxNodes?: number },
) => MilpRun;

export async function loadHighsRunner(): Promise<MilpRunner | null> {
  let highs: Awaited<ReturnType<typeof import('highs').default>>;
  try {
    const { default: loadHighs } = await import('highs');
    highs = await loadHighs();
  } catch {
    return null;
  }
  return (lp, start, limits) => {
    const model = highs.createModel();
    try {
      model.readModel({ format: 'lp', data: lp });
      model.options.set({
        output_flag: false,
        mip_rel_gap: 0,
        random_seed: 0,
        time_limit: limits.timeLimitSeconds,
        ...(limits.maxNodes === undefined ? {} : { mip_max_nodes: limits.maxNodes }),
      });
      const columns = model.getDimensions().numCols;
      const index = new Map<string, number>();
      for (let i = 0; i < columns; i++) index.set(model.getColName(i), i);
      if (start) {
        const colValue = new Float64Array(columns);
        for (const [name, i] of index) colValue[i] = start.get(name) ?? 0;
        model.setSolution({ colValue });
      }
      const { modelStatus } = model.run();
      const optimal = modelStatus === highs.constants.modelStatus.optimal;
      const timedOut = modelStatus === highs.constants.modelStatus.timeLimit;
      let values: Float64Array | null = null;
      try {
        values = model.getSolution().colValue;
      } catch {
        values = null;
      }
      let dualBound: number | null = null;
      try {
        const bound = Number(model.info.get('mip_dual_bound'));
        dualBound = Number.isFinite(bound) ? bound : null;
      } catch {
        dualBound = null;
      }
      const solution = values;
      return {
        status:
          solution === null || solution.length !== columns
            ? 'failed'
            : optimal
              ? 'optimal'
              : timedOut
                ? 'time-limit'
                : 'limit',
        value: (column) => {
          const i = index.get(column);
          return i === undefined ? undefined : solution?.[i];
        },
        dualBound,
      };
    } catch {
      return { status: 'failed', value: () => undefined, dualBound: null };
    } finally {
      model.dispose();
    }
  };
}
