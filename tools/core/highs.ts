/**
 * The HiGHS MILP solver (the `highs` package: HiGHS compiled to WebAssembly, MIT licence) behind one
 * small interface: a model in (CPLEX LP text, or column arrays), a solution, status and dual bound out.
 * The roster solver (tools/staffing/roster) and the bed-assignment solver (tools/beds/assign) use it.
 * Loading can fail (no WebAssembly, package missing): `loadHighsRunner` then answers null and each
 * caller falls back to its own pure-TypeScript method.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Highs, ModelData, VariableType } from 'highs';

export interface MilpRun {
  /** 'optimal'; 'limit' when the node limit stopped the solve; 'time-limit'; 'failed' (no usable solution). */
  status: 'optimal' | 'limit' | 'time-limit' | 'failed';
  value(column: string): number | undefined;
  /** Every column's value, in column order; null when status is 'failed'. */
  values: Float64Array | null;
  /** HiGHS's proven lower bound on the model's objective (without the model's constant), if any. */
  dualBound: number | null;
}

/** A model as column arrays (HiGHS's own ModelData): no text to write or parse, for large models. */
export type MilpArrays = ModelData;

export type MilpRunner = (
  model: string | MilpArrays,
  start: Map<string, number> | Float64Array | null,
  limits: {
    timeLimitSeconds: number;
    maxNodes?: number;
    /** HiGHS's presolve (default on). Off pays when the root LP is already integral (a network model). */
    presolve?: boolean;
  },
) => MilpRun;

let highsModule: Promise<WebAssembly.Module> | null = null;

/**
 * HiGHS's WebAssembly compiled once per process. Worker threads that load HiGHS from this module skip
 * compiling it again.
 */
export function compileHighsModule(): Promise<WebAssembly.Module> {
  highsModule ??= (async () => {
    const bytes = await readFile(fileURLToPath(import.meta.resolve('highs/runtime')));
    // @types/node declares WebAssembly's types but not the global value.
    const wasm = (
      globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<WebAssembly.Module> } }
    ).WebAssembly;
    return wasm.compile(bytes);
  })();
  return highsModule;
}

/**
 * HiGHS's own persistent models, for a caller that changes a model between solves (column generation
 * adds columns to a master LP and re-solves it from the last basis).
 */
export interface HighsModels {
  create(): ReturnType<Highs['createModel']>;
  infinity: number;
  /** The integrality code of an integer column. */
  integer: VariableType;
  /** Model statuses: a solve that reached optimality, and one its time limit stopped. */
  optimal: number;
  timeLimit: number;
}

async function loadHighs(init: { wasmModule?: WebAssembly.Module }): Promise<Highs | null> {
  try {
    const { default: load } = await import('highs');
    return await load(init.wasmModule ? { wasmModule: init.wasmModule } : undefined);
  } catch {
    return null;
  }
}

/** Both ways of using one HiGHS instance, or null when it cannot be loaded. */
export async function loadHighsSolvers(
  init: { wasmModule?: WebAssembly.Module } = {},
): Promise<{ runner: MilpRunner; models: HighsModels } | null> {
  const highs = await loadHighs(init);
  if (!highs) return null;
  return {
    runner: runnerOf(highs),
    models: {
      create: () => highs.createModel(),
      infinity: highs.infinity,
      integer: highs.constants.variableType.integer,
      optimal: highs.constants.modelStatus.optimal,
      timeLimit: highs.constants.modelStatus.timeLimit,
    },
  };
}

export async function loadHighsRunner(
  init: { wasmModule?: WebAssembly.Module } = {},
): Promise<MilpRunner | null> {
  const highs = await loadHighs(init);
  return highs ? runnerOf(highs) : null;
}

function runnerOf(highs: Highs): MilpRunner {
  return (source, start, limits) => {
    const model = highs.createModel();
    try {
      if (typeof source === 'string') model.readModel({ format: 'lp', data: source });
      else model.passModel(source);
      model.options.set({
        output_flag: false,
        mip_rel_gap: 0,
        random_seed: 0,
        time_limit: limits.timeLimitSeconds,
        ...(limits.maxNodes === undefined ? {} : { mip_max_nodes: limits.maxNodes }),
        ...(limits.presolve === false ? { presolve: 'off' } : {}),
      });
      const columns = model.getDimensions().numCols;
      const index = new Map<string, number>();
      if (typeof source === 'string') for (let i = 0; i < columns; i++) index.set(model.getColName(i), i);
      else for (const [i, name] of (source.colNames ?? []).entries()) index.set(name, i);
      if (start instanceof Float64Array) model.setSolution({ colValue: start });
      else if (start) {
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
      const solution = values === null || values.length !== columns ? null : values;
      return {
        status: solution === null ? 'failed' : optimal ? 'optimal' : timedOut ? 'time-limit' : 'limit',
        value: (column) => {
          const i = index.get(column);
          return i === undefined ? undefined : solution?.[i];
        },
        values: solution,
        dualBound,
      };
    } catch {
      return { status: 'failed', value: () => undefined, values: null, dualBound: null };
    } finally {
      model.dispose();
    }
  };
}
