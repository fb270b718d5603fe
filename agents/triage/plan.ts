import type { ResponseLevel } from '../../db/schema/escalations.ts';
import type { BedNeed } from '../../tools/beds/schema.ts';

export interface PatientFacts {
  id: string;
  name: string;
  sex: 'male' | 'female' | 'other' | 'unknown';
  assignedNurseId: string | null;
  careSpecialty: string;
  isolation: 'none' | 'contact' | 'droplet' | 'airborne';
  /** The unit type of the bed the patient occupies, when an inpatient. */
  currentUnitType: string | null;
}

export type Action =
  | { kind: 'reserve-bed'; need: BedNeed }
  | { kind: 'page-on-call'; specialty: string }
  | { kind: 'notify-nurse'; urgency: 'routine' | 'urgent' }
  | { kind: 'advise-patient' };

export interface ResponsePlan {
  level: ResponseLevel;
  actions: Action[];
  /** The end state a person sees when every action succeeds. */
  goal: string;
}

/**
 * Where an emergency admission goes. NEWS2 ≥ 7 calls for critical-care assessment and a level 2/3
 * bed (RCP NEWS2 2017, clinical response table); severe hypoglycaemia needs monitored ward care.
 */
function emergencyNeed(condition: string, patient: PatientFacts): BedNeed {
  const critical = condition === 'news2';
  return {
    unitTypes: critical ? ['icu', 'step-down'] : ['med-surg', 'telemetry', 'step-down'],
    isolation: patient.isolation,
    telemetry: critical,
    bariatric: false,
    sex: patient.sex,
  };
}

/** The deterministic response for a screened escalation: the model never chooses these actions. */
export function planResponse(level: ResponseLevel, condition: string, patient: PatientFacts): ResponsePlan {
  switch (level) {
    case 'emergency': {
      const need = emergencyNeed(condition, patient);
      const alreadyPlaced =
        patient.currentUnitType !== null && need.unitTypes.includes(patient.currentUnitType as never);
      const specialty = condition === 'news2' ? 'critical-care' : patient.careSpecialty;
      return {
        level,
        actions: [
          ...(alreadyPlaced ? [] : [{ kind: 'reserve-bed' as const, need }]),
          { kind: 'page-on-call', specialty },
          { kind: 'notify-nurse', urgency: 'urgent' },
          { kind: 'advise-patient' },
        ],
        goal: alreadyPlaced
          ? 'patient already in a suitable bed; on-call specialist paged'
          : 'bed reserved and on-call specialist paged',
      };
    }
    case 'urgent':
      return {
        level,
        actions: [{ kind: 'notify-nurse', urgency: 'urgent' }, { kind: 'advise-patient' }],
        goal: 'urgent ward review requested from the assigned nurse; advice sent to the patient',
      };
    case 'notify':
      return {
        level,
        actions: [{ kind: 'notify-nurse', urgency: 'routine' }, { kind: 'advise-patient' }],
        goal: 'assigned nurse notified; advice sent to the patient',
      };
    case 'advice':
      return { level, actions: [{ kind: 'advise-patient' }], goal: 'advice sent to the patient' };
  }
}
