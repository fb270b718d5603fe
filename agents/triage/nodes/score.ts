import type { TriageDeps } from '../graph.ts';
import type { TriageContext, TriageStateType } from '../state.ts';

/** Loads the escalation and re-scores its reading through the health-data tools. */
export async function scoreReading(
  s: TriageStateType,
  { tools }: TriageDeps,
): Promise<Partial<TriageStateType>> {
  const context = await tools.call<TriageContext>('get_triage_context', { escalationId: s.escalationId });
  const { escalation } = context;
  let confirmedSeverity = escalation.severity;
  let detail = escalation.summary;
  if (escalation.reading && escalation.condition.endsWith('glycaemia')) {
    const g = await tools.call<{ severity: number; band: string; valueMgDl: number }>('classify_glucose', {
      value: escalation.reading.value,
      unit: escalation.reading.unit,
    });
    confirmedSeverity = g.severity;
    detail = `glucose ${g.valueMgDl} mg/dL: ${g.band}`;
    const rate = context.glucoseRate;
    if (rate)
      detail += `, ${rate.trend.replace('-', ' ')} (${rate.mgDlPerMin} mg/dL/min over ${rate.spanMinutes} min)`;
  } else if (escalation.condition === 'news2' && escalation.vitals) {
    const n = await tools.call<{ total: number; risk: string }>('score_partial_news2', escalation.vitals);
    detail = `NEWS2 ${n.total} (${n.risk})`;
  }
  await tools.call('record_escalation_event', {
    escalationId: s.escalationId,
    step: 'scored',
    message: `Scored: ${detail}`,
    data: {
      condition: escalation.condition,
      severity: confirmedSeverity,
      level: escalation.level,
      glucoseRate: context.glucoseRate,
    },
  });
  return { context, confirmedSeverity };
}
