import type { BedNeed, BedRequestView } from '../../../tools/beds/schema.ts';
import { type HmsTools, ToolCallError } from '../../runtime/mcp-client.ts';
import type { TriageDeps } from '../graph.ts';
import type { Action } from '../plan.ts';
import type { ActionResult, TriageStateType } from '../state.ts';

/**
 * Asks the bed agent for a bed: files the request (idempotent per escalation, so a resumed run files
 * nothing new), lets the bed agent run until it holds a bed and has asked the charge nurse (or has found
 * that nothing fits), and reports where the request stands. The charge nurse's answer comes later; the
 * bed agent carries the request on from there.
 */
async function requestBed(
  tools: HmsTools,
  s: TriageStateType,
  need: BedNeed,
  negotiate: TriageDeps['negotiateBed'],
): Promise<ActionResult> {
  const { escalation } = s.context!;
  const filed = await tools.call<BedRequestView>('request_bed', {
    patientId: escalation.patientId,
    need,
    requester: 'triage',
    priority: 'emergency',
    escalationId: escalation.id,
  });
  await negotiate?.(filed.requestId);
  const r = await tools.call<BedRequestView>('get_bed_request', { requestId: filed.requestId });
  const hold = r.holds.find((h) => h.status === 'held' || h.status === 'accepted');
  if (hold) {
    const asked = r.approvals.find((a) => a.status === 'pending');
    return {
      action: 'reserve-bed',
      ok: true,
      detail:
        `bed ${hold.bedId} (${hold.unitId}) ${hold.status === 'accepted' ? 'accepted' : `held until ${hold.holdExpiresAt}`}` +
        (asked ? `, awaiting the ${asked.assigneeRole}'s acceptance` : ''),
      data: {
        requestId: r.requestId,
        reservationId: hold.reservationId,
        bedId: hold.bedId,
        unitId: hold.unitId,
        holdExpiresAt: hold.holdExpiresAt,
        approvalId: asked?.approvalId ?? null,
      },
    };
  }
  if (r.status === 'no-fit') {
    return {
      action: 'reserve-bed',
      ok: false,
      detail:
        `no free ${need.unitTypes.join('/')} bed matches (isolation ${need.isolation}, telemetry ${need.telemetry}); ` +
        `options: ${(r.options ?? []).map((o) => o.summary).join('; ')}`,
      data: { requestId: r.requestId },
    };
  }
  return {
    action: 'reserve-bed',
    ok: true,
    detail: `bed requested (request ${r.requestId}); the bed agent is finding one`,
    data: { requestId: r.requestId },
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

async function perform(deps: TriageDeps, s: TriageStateType, action: Action): Promise<ActionResult> {
  const { tools } = deps;
  const { patient, escalation } = s.context!;
  switch (action.kind) {
    case 'reserve-bed':
      return requestBed(tools, s, action.need, deps.negotiateBed);
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
export async function actOnPlan(s: TriageStateType, deps: TriageDeps): Promise<Partial<TriageStateType>> {
  const { tools } = deps;
  const results: ActionResult[] = [];
  for (const action of s.plan!.actions) {
    const result = await perform(deps, s, action);
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
