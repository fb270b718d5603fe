/**
 * MCP prompts for the common tasks (modelcontextprotocol.io/specification/2025-06-18/server/prompts):
 * each tells the client which tools to call, in which order, with the user's arguments filled in.
 * They only guide: every step is still a tool call the server checks, validates and audits.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { unitTypes } from '../db/schema/hospital.ts';
import type { ServedModule } from '../tools/registry.ts';

const text = (body: string): GetPromptResult => ({
  messages: [{ role: 'user', content: { type: 'text', text: body } }],
});

/** A comma-separated list of unit types, checked so a typo is named before any tool is called. */
export function unitTypeList(raw: string | undefined): string[] {
  const list = (raw ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = list.filter((t) => !(unitTypes as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw new Error(`unitTypes: unknown unit type ${unknown.join(', ')}; one of ${unitTypes.join(', ')}`);
  }
  return list;
}

function findABed(args: { patientId: string; unitTypes?: string | undefined; needs?: string | undefined }) {
  const types = unitTypeList(args.unitTypes);
  const typesText =
    types.length > 0 ? JSON.stringify(types) : 'the unit types the patient needs, most preferred first';
  return text(
    [
      `Find a bed for patient ${args.patientId}.`,
      args.needs ? `Clinical needs stated: ${args.needs}.` : '',
      '',
      'Steps (tools of the beds server, in this order):',
      `1. find_candidate_beds with need = { unitTypes: ${typesText}, isolation, telemetry, bariatric, sex } ` +
        "taken from the needs above and the patient's record; look at the ranked candidates and their reasons.",
      `2. request_bed with patientId "${args.patientId}", the same need, a requester (ed, triage, surgery, ` +
        'transfer or admissions) and a priority; keep the returned requestId.',
      '3. propose_bed_options with that requestId to get the best options with their reasons.',
      "4. offer_bed with the requestId and the chosen bedId: it holds the bed and asks the unit's charge " +
        'nurse to accept (an approval). Do not reserve around the approval.',
      '5. get_bed_request with the requestId to follow the answer; if the offer is refused, go back to step 3.',
      'If no candidate exists, say so with the reasons find_candidate_beds gave; never pick a bed it did not list.',
    ]
      .filter((l) => l !== '' || args.needs)
      .join('\n'),
  );
}

function coverAShift(args: {
  shiftId?: string | undefined;
  unitId?: string | undefined;
  day?: string | undefined;
  kind?: string | undefined;
}) {
  const byShift = args.shiftId !== undefined && args.shiftId !== '';
  if (!byShift && !(args.unitId && args.day && args.kind)) {
    throw new Error('shiftId: give a shiftId, or unitId, day (YYYY-MM-DD) and kind (day, evening or night)');
  }
  const target = byShift
    ? `{ shiftId: "${args.shiftId}" }`
    : `{ unitId: "${args.unitId}", day: "${args.day}", kind: "${args.kind}", role: "RN" }`;
  return text(
    [
      byShift
        ? `Cover shift ${args.shiftId}.`
        : `Cover the ${args.kind} shift of unit ${args.unitId} on ${args.day}.`,
      '',
      'Steps (tools of the staffing server, in this order):',
      byShift
        ? `1. If the scheduled person called out, mark_shift_called_out for shift ${args.shiftId} with the reason first.`
        : '1. forecast_staffing_demand for the unit and day to confirm the gap (rule and source).',
      `2. request_cover with ${target}; keep the returned request id.`,
      '3. find_cover_candidates with that requestId: ranked staff with hours, fatigue rules and cost.',
      '4. For the best candidate, ask_cover_approval (when the request needs a manager: overtime or agency ' +
        'above the threshold) or assign_cover with requestId and staffId.',
      '5. get_cover_request to confirm; if nobody fits, offer_open_shift or close_cover_request with the reason.',
    ].join('\n'),
  );
}

function workADenial(args: { workItemId: string }) {
  const id = args.workItemId;
  return text(
    [
      `Work denial ${id}.`,
      '',
      'Steps (tools of the revenue server, in this order):',
      `1. get_denial with workItemId "${id}": the CARC/RARC codes, the amount and the claim.`,
      '2. get_claim with the claimId of the denial, to see what was billed and the last scrub.',
      '3. Decide from the codes. A coding or data error: create_replacement_claim with the corrections, then ' +
        `record_denial_draft with workItemId "${id}" and the replacement's claim id. A medical-necessity or ` +
        `authorisation denial: draft_appeal with workItemId "${id}". Not worth pursuing: resolve_denial with ` +
        'the resolution and a note.',
      '4. A draft waits for a coder: answer_denial_draft is theirs, not yours. After an approved corrected claim ' +
        'is submitted (submit_claims), resolve_denial with resolution resubmitted.',
      'Never write off or appeal without the codes from step 1.',
    ].join('\n'),
  );
}

const optional = (describe: string) => z.string().optional().describe(describe);

/** The prompts of the served modules: each belongs to the module whose tools it names. */
export function registerPrompts(server: McpServer, modules: readonly ServedModule[]): void {
  if (modules.includes('beds')) {
    server.registerPrompt(
      'find-a-bed',
      {
        title: 'Find a bed for a patient',
        description:
          'Finds, requests and offers a bed that meets the patient’s needs, with charge-nurse approval.',
        argsSchema: {
          patientId: z.string().min(1).describe('The patient who needs a bed'),
          unitTypes: optional(
            `Acceptable unit types, comma-separated, most preferred first (${unitTypes.join(', ')})`,
          ),
          needs: optional('Isolation, telemetry, bariatric or other needs, in words'),
        },
      },
      (args) => findABed(args),
    );
  }
  if (modules.includes('staffing')) {
    server.registerPrompt(
      'cover-a-shift',
      {
        title: 'Cover a shift',
        description: 'Finds and assigns cover for one shift: by shift id, or by unit, day and kind.',
        argsSchema: {
          shiftId: optional('The shift to cover (e.g. after a call-out)'),
          unitId: optional('The unit, when there is no shift id'),
          day: optional('YYYY-MM-DD, when there is no shift id'),
          kind: optional('day, evening or night, when there is no shift id'),
        },
      },
      (args) => coverAShift(args),
    );
  }
  if (modules.includes('revenue')) {
    server.registerPrompt(
      'work-a-denial',
      {
        title: 'Work a denied claim',
        description:
          'Reads a denial and corrects, appeals or resolves it, with a coder approving each draft.',
        argsSchema: { workItemId: z.string().min(1).describe('The denial work item') },
      },
      (args) => workADenial(args),
    );
  }
}
