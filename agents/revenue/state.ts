import { Annotation } from '@langchain/langgraph';
import type { RevenueTaskView } from '../../tools/revenue/tasks.ts';

const last = <T>() => Annotation<T>({ reducer: (_old: T, next: T) => next });

/** What the agent waits for while it is interrupted: a coder's review of a claim, or approval of a draft. */
export interface RevenueWait {
  kind: 'claim-review' | 'denial-approval';
  /** The claim under review, or the denial work item whose draft waits for approval. */
  id: string;
  taskId: string;
  question: string;
}

export const RevenueAgentState = Annotation.Root({
  /** The revenue task (its id is the thread). */
  requestId: Annotation<string>,
  task: last<RevenueTaskView | null>(),
  /** Charges captured and claims built for this task (an encounter is built once, however often woken). */
  built: last<boolean>(),
  waitingOn: last<RevenueWait | null>(),
  /** What the agent did, in order: recorded on the task and graded by the evals. */
  notes: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
  /** How many notes are already recorded on the task. */
  recorded: last<number>(),
  outcome: last<string | null>(),
  /** The task cannot go on without a person (e.g. an unpriced service): it ends failed with the outcome. */
  failed: last<boolean>(),
});

export type RevenueAgentStateType = typeof RevenueAgentState.State;
