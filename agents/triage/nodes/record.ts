import type { TriageDeps } from '../graph.ts';
import type { TriageStateType } from '../state.ts';

/** Closes the escalation with the end state a person reads: the goal, or what fell short of it. */
export async function recordOutcome(
  s: TriageStateType,
  { tools }: TriageDeps,
): Promise<Partial<TriageStateType>> {
  let status: 'completed' | 'suppressed';
  let outcome: string;
  if (s.duplicateOf) {
    status = 'suppressed';
    outcome = `suppressed: repeat of escalation ${s.duplicateOf}`;
  } else {
    status = 'completed';
    const failed = s.results.filter((r) => !r.ok);
    outcome =
      failed.length === 0
        ? s.plan!.goal
        : `${s.plan!.goal}, except: ${failed.map((f) => `${f.action} (${f.detail})`).join('; ')}`;
  }
  await tools.call('complete_escalation', {
    escalationId: s.escalationId,
    status,
    outcome,
    ...(s.duplicateOf ? { duplicateOf: s.duplicateOf } : {}),
  });
  return { outcome };
}
