import type { ResponseLevel } from '../../db/schema/escalations.ts';
import { classifyGlucose, type GlucoseBand } from './glucose.ts';
import { type News2Input, type News2Risk, scorePartialNews2 } from './news2.ts';

export interface Screen {
  condition: 'hypoglycaemia' | 'hyperglycaemia' | 'news2';
  severity: number;
  level: ResponseLevel;
  summary: string;
}

/** One row of a response table: the screen, and the words its summary ends with. */
type ScreenRule = Omit<Screen, 'summary'> & { label: string };

/**
 * Which glucose readings escalate (ADA Standards of Care, section 6; International Consensus on Time
 * in Range, Battelino 2019): level 2 hypoglycaemia (< 54 mg/dL) is an emergency, level 1 (< 70)
 * calls for advice and the nurse, level 2 hyperglycaemia (> 250) likewise. Level 1
 * hyperglycaemia (181–250) and in-range readings are stored only.
 */
const GLUCOSE_RESPONSES: Partial<Record<GlucoseBand, ScreenRule>> = {
  'hypo-level-2': {
    condition: 'hypoglycaemia',
    severity: 2,
    level: 'emergency',
    label: 'level 2 hypoglycaemia',
  },
  'hypo-level-1': {
    condition: 'hypoglycaemia',
    severity: 1,
    level: 'notify',
    label: 'level 1 hypoglycaemia',
  },
  'hyper-level-2': {
    condition: 'hyperglycaemia',
    severity: 2,
    level: 'notify',
    label: 'level 2 hyperglycaemia',
  },
};

export function screenGlucose(valueMgDl: number): Screen | null {
  const response = GLUCOSE_RESPONSES[classifyGlucose(valueMgDl).band];
  if (!response) return null;
  const { label, ...screen } = response;
  return { ...screen, summary: `Glucose ${Math.round(valueMgDl * 10) / 10} mg/dL: ${label}` };
}

/**
 * NEWS2 response bands (RCP NEWS2 2017, chart 2): ≥ 7 emergency; 5–6 or any single parameter
 * scoring 3 urgent (ward-based urgent review); 1–4 the registered nurse assesses; 0 routine.
 * A score from some parameters only is a lower bound, so it can raise an alarm but not clear one.
 */
const NEWS2_RESPONSES: Partial<Record<News2Risk, ScreenRule>> = {
  high: { condition: 'news2', severity: 4, level: 'emergency', label: 'high clinical risk' },
  medium: { condition: 'news2', severity: 3, level: 'urgent', label: 'medium clinical risk' },
  'low-medium': { condition: 'news2', severity: 2, level: 'urgent', label: 'a single parameter scores 3' },
  low: { condition: 'news2', severity: 1, level: 'notify', label: 'low clinical risk' },
};

export function screenVitals(vitals: Partial<News2Input>): Screen | null {
  const n = scorePartialNews2(vitals);
  const response = NEWS2_RESPONSES[n.risk];
  if (!response) return null;
  const { label, ...screen } = response;
  const partial = n.missing.length > 0 ? ` (partial: ${n.missing.length} of 7 parameters missing)` : '';
  return { ...screen, summary: `NEWS2 ${n.total}${partial}: ${label}` };
}
