import { Annotation } from '@langchain/langgraph';
import type { CoverRequestView } from '../../tools/staffing/cover/requests.ts';

const last = <T>() => Annotation<T>({ reducer: (_old: T, next: T) => next });

export const CoverAgentState = Annotation.Root({
  requestId: Annotation<string>,
  request: last<CoverRequestView | null>(),
  /** The candidate a staffing manager is asked to approve while the agent is interrupted. */
  waitingOn: last<string | null>(),
  /** What the agent did, in order: shown on the request and graded by the evals. */
  notes: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
  outcome: last<string | null>(),
});

export type CoverAgentStateType = typeof CoverAgentState.State;

/** What the interrupt shows whoever resumes the thread: the question to the staffing manager. */
export interface CoverAgentInterrupt {
  requestId: string;
  candidateStaffId: string;
  question: string;
}
