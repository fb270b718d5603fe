import { buildSurgeryGraph } from '../../agents/surgery/graph.ts';
import { surgeryThread } from '../../agents/surgery/run.ts';
import type { SurgeryWait } from '../../agents/surgery/state.ts';
import { type HmsTools, ToolCallError } from '../../agents/runtime/mcp-client.ts';
import {
  runThread,
  type ThreadAgent,
  type ThreadResult,
  type ThreadRuntime,
} from '../../agents/runtime/thread-runner.ts';
import type { InjectedFault } from './types.ts';

/** Counts the agent's calls of each tool across a trial and fails the chosen one, once. */
export class FaultPlan {
  readonly #faults: InjectedFault[];
  readonly #calls = new Map<string, number>();
  readonly fired: string[] = [];

  constructor(faults: readonly InjectedFault[]) {
    this.#faults = [...faults];
  }

  /** The agent's tools, with the planned faults: a call that fails looks like an unreachable server. */
  wrap(tools: HmsTools): HmsTools {
    const wrapped = Object.create(tools) as HmsTools;
    wrapped.call = async <T>(tool: string, args: Record<string, unknown>): Promise<T> => {
      const n = (this.#calls.get(tool) ?? 0) + 1;
      this.#calls.set(tool, n);
      const fault = this.#faults.find((f) => f.tool === tool && (f.nth ?? 1) === n);
      if (!fault) return tools.call<T>(tool, args);
      this.fired.push(`${tool}#${n} ${fault.when}`);
      const lost = new ToolCallError(tool, `unavailable: injected fault (${fault.when} the call)`);
      if (fault.when === 'before') throw lost;
      await tools.call<T>(tool, args);
      throw lost;
    };
    return wrapped;
  }
}

/** The surgery agent exactly as agents/surgery/run.ts defines it, built on tools that fail where the plan says. */
function faultyThread(plan: FaultPlan): ThreadAgent<SurgeryWait> {
  return {
    ...surgeryThread,
    build: (tools, checkpointer) => buildSurgeryGraph(plan.wrap(tools), checkpointer),
  };
}

export function runFaultySurgeryAgent(
  plan: FaultPlan,
  rt: ThreadRuntime,
  requestId: string,
): Promise<ThreadResult> {
  return runThread(faultyThread(plan), rt, requestId);
}
