import type { TriageDeps } from '../graph.ts';
import type { TriageStateType } from '../state.ts';

/** How long a repeat of the same condition is treated as the same episode. */
export const DUPLICATE_WINDOW_MINUTES: Record<string, number> = {
  hypoglycaemia: 30,
  hyperglycaemia: 120,
  news2: 60,
  'device-stale': 240,
};

interface PriorEscalation {
  id: string;
  severity: number;
  status: string;
  createdAt: string;
}

/**
 * Suppresses a repeat of an episode already being handled, unless the patient is worse; notes a
 * data gap when the device that sent the reading had gone silent before it.
 */
export async function checkHistory(
  s: TriageStateType,
  { tools }: TriageDeps,
): Promise<Partial<TriageStateType>> {
  const { escalation, deviceGapMinutes } = s.context!;
  const window = DUPLICATE_WINDOW_MINUTES[escalation.condition] ?? 60;
  const { escalations } = await tools.call<{ escalations: PriorEscalation[] }>('get_escalation_history', {
    patientId: escalation.patientId,
    condition: escalation.condition,
    withinMinutes: window,
    before: escalation.createdAt,
    excludeEscalationId: escalation.id,
  });
  const severity = s.confirmedSeverity ?? escalation.severity;
  const active = escalations.filter((e) => e.status !== 'failed' && e.status !== 'suppressed');
  const sameOrWorse = active.find((e) => e.severity >= severity);
  const notes: string[] = [];
  let message: string;
  let duplicateOf: string | null = null;
  if (sameOrWorse) {
    duplicateOf = sameOrWorse.id;
    message = `Repeat of escalation ${sameOrWorse.id} within ${window} min and not worse: suppressed`;
  } else if (active.length > 0) {
    message = `Worse than escalation ${active[0]!.id} within ${window} min: escalating again`;
    notes.push('worsening');
  } else {
    message = `No ${escalation.condition} escalation in the last ${window} min`;
  }
  if (deviceGapMinutes !== null) {
    notes.push(`data gap of ${deviceGapMinutes} min before this reading`);
    message += `; the device had been silent for ${deviceGapMinutes} min before this reading`;
  }
  await tools.call('record_escalation_event', {
    escalationId: s.escalationId,
    step: 'history-checked',
    message,
    data: { prior: escalations.map((e) => e.id), duplicateOf, deviceGapMinutes },
  });
  return { duplicateOf, notes };
}
