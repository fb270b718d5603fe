import type { MessageFacts } from './messages.ts';

export const COMPOSE_SYSTEM_PROMPT = `You write the text of two messages for a hospital escalation service.
The clinical decision has already been made by validated rules; you must not change, add or question it,
and you must not add clinical advice beyond what the draft says.
Return only JSON: {"patient": string, "clinician": string}.
- patient: plain language for the patient, at most 600 characters, keeping every instruction of the draft.
- clinician: one or two sentences for the nurse or on-call doctor, at most 400 characters, keeping the
  escalation id, the level and the plan.`;

export function composeUserPrompt(
  facts: MessageFacts,
  draft: { patient: string; clinician: string },
): string {
  return JSON.stringify({ facts, draft });
}
