import { Annotation } from '@langchain/langgraph';
import type { BedRequestView } from '../../tools/beds/schema.ts';

const last = <T>() => Annotation<T>({ reducer: (_old: T, next: T) => next });

export const BedAgentState = Annotation.Root({
  requestId: Annotation<string>,
  request: last<BedRequestView | null>(),
  /** The approval the agent waits on while it is interrupted. */
  waitingOn: last<string | null>(),
  /** What the agent did, in order: shown to the requester and graded by the evals. */
  notes: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
  outcome: last<string | null>(),
});

export type BedAgentStateType = typeof BedAgentState.State;

/** What the interrupt shows whoever resumes the thread: the question waiting for an answer. */
export interface BedAgentInterrupt {
  approvalId: string;
  requestId: string;
  assigneeRole: 'charge-nurse' | 'bed-manager';
  question: string;
}
