import { END, START, StateGraph } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { ChatOpenAI } from '@langchain/openai';
import type { HmsTools } from '../runtime/mcp-client.ts';
import { actOnPlan } from './nodes/act.ts';
import { checkHistory } from './nodes/history.ts';
import { composeMessages } from './nodes/compose.ts';
import { recordOutcome } from './nodes/record.ts';
import { scoreReading } from './nodes/score.ts';
import { planResponse } from './plan.ts';
import { TriageState, type TriageStateType } from './state.ts';

export interface TriageDeps {
  tools: HmsTools;
  /** Present only when a model is configured; it writes message text, never the decision. */
  model?: ChatOpenAI | undefined;
  /** Runs the bed agent on a bed request until it waits for a person or is done. */
  negotiateBed?: ((requestId: string) => Promise<unknown>) | undefined;
}

/**
 * score → check history → (suppressed → record) | decide → compose → act → record.
 * Every node reaches the HMS through MCP tools; the decision itself is plain code.
 */
export function buildTriageGraph(deps: TriageDeps, checkpointer?: BaseCheckpointSaver) {
  return new StateGraph(TriageState)
    .addNode('scoreReading', (s: TriageStateType) => scoreReading(s, deps))
    .addNode('checkHistory', (s: TriageStateType) => checkHistory(s, deps))
    .addNode('decideResponse', (s: TriageStateType) => decideResponse(s, deps))
    .addNode('composeMessages', (s: TriageStateType) => composeMessages(s, deps))
    .addNode('actOnPlan', (s: TriageStateType) => actOnPlan(s, deps))
    .addNode('recordOutcome', (s: TriageStateType) => recordOutcome(s, deps))
    .addEdge(START, 'scoreReading')
    .addEdge('scoreReading', 'checkHistory')
    .addConditionalEdges(
      'checkHistory',
      (s: TriageStateType) => (s.duplicateOf ? 'recordOutcome' : 'decideResponse'),
      ['recordOutcome', 'decideResponse'],
    )
    .addEdge('decideResponse', 'composeMessages')
    .addEdge('composeMessages', 'actOnPlan')
    .addEdge('actOnPlan', 'recordOutcome')
    .addEdge('recordOutcome', END)
    .compile({ checkpointer, name: 'triage' });
}

async function decideResponse(s: TriageStateType, deps: TriageDeps): Promise<Partial<TriageStateType>> {
  const ctx = s.context!;
  const plan = planResponse(ctx.escalation.level, ctx.escalation.condition, ctx.patient);
  await deps.tools.call('record_escalation_event', {
    escalationId: s.escalationId,
    step: 'decided',
    message: `Response ${plan.level}: ${plan.goal}`,
    data: { actions: plan.actions },
  });
  return { plan };
}
