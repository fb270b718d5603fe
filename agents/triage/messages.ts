import type { ResponseLevel } from '../../db/schema/escalations.ts';

export interface MessageFacts {
  escalationId: string;
  patientName: string;
  condition: string;
  level: ResponseLevel;
  summary: string;
  goal: string;
}

export interface ComposedMessages {
  patient: string;
  clinician: string;
  source: 'template' | 'model';
}

/**
 * Patient advice follows the ADA "rule of 15" for hypoglycaemia (Standards of Care, section 6:
 * 15–20 g of fast-acting glucose, recheck after 15 minutes) and the RCP NEWS2 response bands.
 */
function patientAdvice(f: MessageFacts): string {
  if (f.condition === 'hypoglycaemia') {
    const base =
      `${f.summary}. Take 15 g of fast-acting carbohydrate now (for example 4 glucose tablets or 150 ml of ` +
      'fruit juice) and check your glucose again in 15 minutes.';
    return f.level === 'emergency'
      ? `${base} Your care team has been alerted and a hospital bed is being arranged. If you feel confused, ` +
          'drowsy or faint, call emergency services now.'
      : `${base} Your nurse has been told about this reading.`;
  }
  if (f.condition === 'hyperglycaemia') {
    return (
      `${f.summary}. Drink water, check ketones if you have test strips, and follow your insulin plan for ` +
      'high readings. Your nurse has been told about this reading.'
    );
  }
  if (f.condition === 'device-stale') {
    return 'Your monitoring device has stopped sending readings. Please check it is worn, charged and connected.';
  }
  return f.level === 'emergency'
    ? `${f.summary}. Your readings need an emergency assessment: the care team has been alerted. Stay where you are.`
    : `${f.summary}. Your readings need a review by your nurse, who has been told.`;
}

export function templateMessages(f: MessageFacts): ComposedMessages {
  return {
    patient: patientAdvice(f),
    clinician: `CareBridge escalation ${f.escalationId} (${f.level}): ${f.patientName}: ${f.summary}. Plan: ${f.goal}.`,
    source: 'template',
  };
}
