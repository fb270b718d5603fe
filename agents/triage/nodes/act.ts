import type { BedNeed } from '../../../tools/beds/schema.ts';
import { type HmsTools, ToolCallError } from '../../runtime/mcp-client.ts';
import type { TriageDeps } from '../graph.ts';
import type { Action } from '../plan.ts';
import type { ActionResult, TriageStateType } from '../state.ts';

interface Candidate {
  bedId: string;
  label: string;
  unitId: string;
}

/** Holds the best free bed; when another request wins a bed first, moves on to the next. */
async function reserveBed(tools: HmsTools, s: TriageStateType, need: BedNeed): Promise<ActionResult> {
  const { escalation } = s.context!;
  const { candidates } = await tools.call<{ candidates: Candidate[] }>('find_candidate_beds', {
    need,
    limit: 10,
  });
  for (const bed of candidates) {
    try {
      const r = await tools.call<{
        reservationId: string;
        bedId: string;
        unitId: string;
        holdExpiresAt: string;
      }>('reserve_bed', {
        bedId: bed.bedId,
        patientId: escalation.patientId,
        escalationId: escalation.id,
        need,
        reason: `Escalation ${escalation.id}: ${escalation.summary}`,
      });
      return {
        action: 'reserve-bed',
        ok: true,
        detail: `bed ${r.bedId} (${r.unitId}) held until ${r.holdExpiresAt}`,
        data: r,
      };
    } catch (err) {
      if (err instanceof ToolCallError && err.code === 'conflict') continue;
      throw err;
    }
  }
  return {
    action: 'reserve-bed',
    ok: false,
    detail: `no free ${need.unitTypes.join('/')} bed matches (isolation ${need.isolation}, telemetry ${need.telemetry})`,
  };
}

async function pageOnCall(tools: HmsTools, s: TriageStateType, specialty: string): Promise<ActionResult> {
  type Person = { staffId: string; name: string };
  let rota: { primary: Person | null; backup: Person | null };
  try {
    rota = await tools.call('on_call_now', { specialty });
  } catch (err) {
    // A specialty with no rota at all is a gap in the hospital's cover, reported in the outcome.
    if (err instanceof ToolCallError && err.code === 'not_found') rota = { primary: null, backup: null };
    else throw err;
  }
  const person = rota.primary ?? rota.backup;
  if (!person) return { action: 'page-on-call', ok: false, detail: `nobody on call for ${specialty}` };
  await tools.call('page_staff', {
    staffId: person.staffId,
    escalationId: s.escalationId,
    message: s.composed!.clinician,
  });
  return {
    action: 'page-on-call',
    ok: true,
    detail: `paged ${person.name} (${specialty}, ${rota.primary ? 'primary' : 'backup'} on call)`,
    data: { staffId: person.staffId, specialty },
  };
}

async function perform(tools: HmsTools, s: TriageStateType, action: Action): Promise<ActionResult> {
  const { patient, escalation } = s.context!;
  switch (action.kind) {
    case 'reserve-bed':
      return reserveBed(tools, s, action.need);
    case 'page-on-call':
      return pageOnCall(tools, s, action.specialty);
    case 'notify-nurse': {
      if (!patient.assignedNurseId)
        return { action: 'notify-nurse', ok: false, detail: 'patient has no assigned nurse' };
      const prefix = action.urgency === 'urgent' ? 'URGENT ward review requested. ' : '';
      await tools.call('notify_staff', {
        staffId: patient.assignedNurseId,
        escalationId: escalation.id,
        message: prefix + s.composed!.clinician,
      });
      return {
        action: 'notify-nurse',
        ok: true,
        detail: `notified nurse ${patient.assignedNurseId} (${action.urgency})`,
      };
    }
    case 'advise-patient':
      await tools.call('send_patient_advice', {
        patientId: patient.id,
        escalationId: escalation.id,
        message: s.composed!.patient,
      });
      return { action: 'advise-patient', ok: true, detail: 'advice sent to the patient' };
  }
}

/** Carries out the plan step by step; every tool is idempotent per escalation, so a resumed run repeats nothing. */
export async function actOnPlan(
  s: TriageStateType,
  { tools }: TriageDeps,
): Promise<Partial<TriageStateType>> {
  const results: ActionResult[] = [];
  for (const action of s.plan!.actions) {
    const result = await perform(tools, s, action);
    results.push(result);
    await tools.call('record_escalation_event', {
      escalationId: s.escalationId,
      step: `action:${action.kind}`,
      message: `${result.ok ? 'Done' : 'Could not complete'}: ${result.detail}`,
      data: { ok: result.ok, ...(result.data ?? {}) },
    });
  }
  return { results };
}
