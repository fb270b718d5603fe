import { Annotation } from '@langchain/langgraph';
import type { ComposedMessages } from './messages.ts';
import type { PatientFacts, ResponsePlan } from './plan.ts';

export interface TriageContext {
  escalation: {
    id: string;
    patientId: string;
    condition: string;
    severity: number;
    level: 'emergency' | 'urgent' | 'notify' | 'advice';
    summary: string;
    createdAt: string;
    reading: { kind: string; value: number; unit: string; effectiveAt: string } | null;
    vitals: Record<string, number | string | boolean> | null;
  };
  patient: PatientFacts;
  deviceGapMinutes: number | null;
  glucoseRate: { mgDlPerMin: number; trend: string; points: number; spanMinutes: number } | null;
}

export interface ActionResult {
  action: string;
  ok: boolean;
  detail: string;
  data?: Record<string, unknown>;
}

const last = <T>() => Annotation<T>({ reducer: (_old: T, next: T) => next });

export const TriageState = Annotation.Root({
  escalationId: Annotation<string>,
  context: last<TriageContext | null>(),
  confirmedSeverity: last<number | null>(),
  duplicateOf: last<string | null>(),
  notes: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
  plan: last<ResponsePlan | null>(),
  composed: last<ComposedMessages | null>(),
  results: Annotation<ActionResult[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
  outcome: last<string | null>(),
});

export type TriageStateType = typeof TriageState.State;
