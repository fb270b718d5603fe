import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import type { TriageDeps } from '../graph.ts';
import { type ComposedMessages, type MessageFacts, replyProblem, templateMessages } from '../messages.ts';
import { COMPOSE_SYSTEM_PROMPT, composeUserPrompt } from '../prompts.ts';
import type { TriageStateType } from '../state.ts';

const modelReply = z.object({ patient: z.string().min(20).max(600), clinician: z.string().min(10).max(400) });

/**
 * Writes the patient and clinician messages. Templates always work; a configured model may reword
 * them, and its reply is used only if it is well-formed, keeps the escalation id and the safety
 * instructions, and does not contradict the response (replyProblem).
 */
export async function composeMessages(
  s: TriageStateType,
  deps: TriageDeps,
): Promise<Partial<TriageStateType>> {
  const { escalation, patient } = s.context!;
  const facts: MessageFacts = {
    escalationId: escalation.id,
    patientName: patient.name,
    condition: escalation.condition,
    level: escalation.level,
    summary: escalation.summary,
    goal: s.plan!.goal,
  };
  const draft = templateMessages(facts);
  let composed: ComposedMessages = draft;
  let note = 'messages from templates (no model configured)';
  if (deps.model) {
    try {
      const reply = await deps.model.invoke([
        new SystemMessage(COMPOSE_SYSTEM_PROMPT),
        new HumanMessage(composeUserPrompt(facts, draft)),
      ]);
      const text = typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content);
      const parsed = modelReply.parse(JSON.parse(text.replace(/^```(json)?|```$/g, '').trim()));
      const problem = replyProblem(facts, parsed);
      if (problem) throw new Error(problem);
      composed = { ...parsed, source: 'model' };
      note = 'messages worded by the model';
    } catch (err) {
      note = `model reply unusable (${err instanceof Error ? err.message : String(err)}); templates used`;
    }
  }
  await deps.tools.call('record_escalation_event', {
    escalationId: s.escalationId,
    step: 'composed',
    message: note,
    data: { source: composed.source },
  });
  return { composed };
}
