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

/**
 * What a reworded message must still say, and must not say. A model may change the wording only:
 * the rule-of-15 and the emergency-services instruction stay in the patient's advice, and a reply
 * that negates the response (no bed, nobody paged, no need to call) is set aside for the templates.
 * The screen is deliberately blunt: a false alarm only costs the model's wording.
 */
const CONTRADICTION =
  /\b(no|not|nobody|don't|do not|won't|will not|never|cancel(?:led)?|release|downgrad\w*|no need)\b[^.!?]{0,40}\b(bed|page|paged|paging|emergency|ambulance|hospital|nurse|alert\w*|specialist|doctor|call)\b/i;

export function replyProblem(f: MessageFacts, reply: { patient: string; clinician: string }): string | null {
  if (!reply.clinician.includes(f.escalationId)) return 'the clinician message lost the escalation id';
  for (const [who, text] of [
    ['patient', reply.patient],
    ['clinician', reply.clinician],
  ] as const) {
    const m = CONTRADICTION.exec(text);
    if (m) return `the ${who} message contradicts the response ("${m[0]}")`;
  }
  if (f.condition === 'hypoglycaemia' && !/\b15\s?g\b/i.test(reply.patient))
    return 'the patient advice dropped the rule of 15';
  if (
    f.condition === 'hypoglycaemia' &&
    f.level === 'emergency' &&
    !/emergency services/i.test(reply.patient)
  )
    return 'the patient advice dropped the instruction to call emergency services';
  return null;
}
