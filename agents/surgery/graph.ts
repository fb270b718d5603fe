import { createHash } from 'node:crypto';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { END, interrupt, START, StateGraph } from '@langchain/langgraph';
import type { SurgeryAlternative } from '../../tools/surgery/store.ts';
import type { HmsTools } from '../runtime/mcp-client.ts';
import {
  bedStep,
  bookTheatreStep,
  compensate,
  confirmStep,
  findSlots,
  MAX_SLOTS,
  reserveStockStep,
  teamStep,
} from './plan-steps.ts';
import {
  type RevenueTask,
  type Slot,
  SurgeryAgentState,
  type SurgeryAgentStateType,
  type SurgeryRequest,
  unrecorded,
} from './state.ts';

type Step = Partial<SurgeryAgentStateType>;
const DAY_MS = 86_400_000;
// Each slot tried takes up to six steps (theatre, stock, team, bed, compensate, next): LangGraph's default
// limit of 25 would stop a request that tries every slot.
const RECURSION_LIMIT = 8 * MAX_SLOTS + 20;

/**
 * The surgery orchestration, one request per thread:
 *   review → slots → theatre → stock → team → bed → confirm → await the case → admit → await the claim → billed
 * Any step that fails goes to compensate, which releases everything held for the request; then the next
 * slot is tried, or (stock short, slots used up, a failing server) alternatives are proposed and the
 * request ends failed. A cancellation, whenever it comes, is compensated the same way. Every write is a
 * tool call through MCP with a deterministic id, so a step re-run after a crash books nothing twice.
 */
export function buildSurgeryGraph(tools: HmsTools, checkpointer?: BaseCheckpointSaver) {
  return new StateGraph(SurgeryAgentState)
    .addNode('review', (s: SurgeryAgentStateType) => review(s, tools))
    .addNode('findSlots', (s: SurgeryAgentStateType) => findSlots(s, tools))
    .addNode('theatre', (s: SurgeryAgentStateType) => bookTheatreStep(s, tools))
    .addNode('stock', (s: SurgeryAgentStateType) => reserveStockStep(s, tools))
    .addNode('team', (s: SurgeryAgentStateType) => teamStep(s, tools))
    .addNode('bed', (s: SurgeryAgentStateType) => bedStep(s, tools))
    .addNode('confirm', (s: SurgeryAgentStateType) => confirmStep(s, tools))
    .addNode('compensate', (s: SurgeryAgentStateType) => compensate(s, tools))
    .addNode('nextSlot', nextSlot)
    .addNode('alternatives', (s: SurgeryAgentStateType) => alternatives(s, tools))
    .addNode('awaitCase', awaitCase)
    .addNode('admit', (s: SurgeryAgentStateType) => admit(s, tools))
    .addNode('awaitClaim', awaitClaim)
    .addNode('billed', (s: SurgeryAgentStateType) => billed(s, tools))
    .addNode('finish', (s: SurgeryAgentStateType) => finish(s, tools))
    .addEdge(START, 'review')
    .addConditionalEdges('review', route, [
      'findSlots',
      'compensate',
      'awaitCase',
      'admit',
      'awaitClaim',
      'finish',
    ])
    .addConditionalEdges('findSlots', (s) => (s.failure ? 'alternatives' : 'theatre'), [
      'alternatives',
      'theatre',
    ])
    .addConditionalEdges('theatre', onward('stock'), ['stock', 'compensate'])
    .addConditionalEdges('stock', onward('team'), ['team', 'compensate'])
    .addConditionalEdges('team', onward('bed'), ['bed', 'compensate'])
    .addConditionalEdges('bed', onward('confirm'), ['confirm', 'compensate'])
    .addConditionalEdges('confirm', onward('awaitCase'), ['awaitCase', 'compensate'])
    .addConditionalEdges('compensate', afterCompensation, ['nextSlot', 'alternatives', 'finish'])
    .addEdge('nextSlot', 'theatre')
    .addEdge('alternatives', 'finish')
    .addEdge('awaitCase', 'review')
    .addEdge('admit', 'awaitClaim')
    .addEdge('awaitClaim', 'billed')
    .addEdge('billed', 'finish')
    .addEdge('finish', END)
    .compile({ checkpointer, name: 'surgery' })
    .withConfig({ recursionLimit: RECURSION_LIMIT });
}

async function review(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  return { request: await tools.call<SurgeryRequest>('get_surgery_request', { requestId: s.requestId }) };
}

function route(s: SurgeryAgentStateType): string {
  const r = s.request!;
  switch (r.status) {
    case 'planning':
      return 'findSlots';
    case 'booked':
      return 'awaitCase';
    case 'cancelled':
      return 'compensate';
    case 'completed':
      return r.plan?.bedBooking && !s.bedRequested ? 'admit' : 'awaitClaim';
    default:
      return 'finish';
  }
}

const onward = (next: string) => (s: SurgeryAgentStateType) => (s.failure ? 'compensate' : next);

function afterCompensation(s: SurgeryAgentStateType): string {
  const f = s.failure;
  if (!f || f.cancelled || s.request?.status === 'cancelled') return 'finish';
  if (f.tryNextSlot && s.slots && s.slotIndex + 1 < s.slots.length) return 'nextSlot';
  return 'alternatives';
}

function nextSlot(s: SurgeryAgentStateType): Step {
  return { slotIndex: s.slotIndex + 1, failure: null };
}

/** What could be done instead, from the failure that ended planning: never a booking, only proposals. */
async function alternatives(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const r = s.request!;
  const f = s.failure!;
  const proposals: SurgeryAlternative[] = [];
  if (f.step === 'stock') {
    for (const need of r.procedure.items) {
      if (!f.reason.includes(need.itemId)) continue;
      proposals.push({
        kind: 'order-stock',
        itemId: need.itemId,
        detail:
          `Order ${need.itemId} (propose_reorders, or receive stock into the theatre store) and request again ` +
          'once it is in; no substitute in the procedure table had stock to spare',
      });
    }
  } else {
    // The next free slots after the window: the theatre is free then; team and bed are checked on request.
    const from = new Date(Math.max(Date.parse(r.latestAt), Date.parse(r.earliestAt))).toISOString();
    const later = await tools.call<{ slots: Slot[] }>('find_theatre_slots', {
      durationMinutes: r.procedure.durationMinutes,
      specialty: r.procedure.specialty,
      from,
      to: new Date(Date.parse(from) + 14 * DAY_MS).toISOString(),
      limit: 3,
    });
    for (const slot of later.slots) {
      proposals.push({
        kind: 'another-day',
        theatreId: slot.theatreId,
        startsAt: slot.startsAt,
        detail: `${slot.theatreName} is free at ${slot.startsAt} (after the requested window)`,
      });
    }
  }
  if (f.step === 'team' && /surgeon/.test(f.reason)) {
    proposals.push({
      kind: 'another-surgeon',
      detail: `The requested surgeon is not free; another ${r.procedure.specialty} surgeon may take the case`,
    });
  }
  const notes = [...unrecorded(s), `Not booked: ${proposals.length} alternative(s) proposed`];
  await tools.call('record_surgery_plan', {
    requestId: s.requestId,
    status: 'failed',
    attempts: s.attempts ?? [],
    alternatives: proposals,
    notes,
    outcome: `Not booked (${f.step}): ${f.reason}`,
  });
  return { recorded: s.notes.length + 1, notes: notes.slice(-1), attempts: [] };
}

function awaitCase(s: SurgeryAgentStateType): Step {
  // Resumed by the runner once the case is completed or the request cancelled; review reads which.
  interrupt({
    kind: 'case',
    requestId: s.requestId,
    question: 'Waiting for the theatre to complete the case',
  });
  return {};
}

/** A deterministic UUID for the bed request of a request (request_bed takes UUIDs): retries are replays. */
function uuidFor(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The case is done: the post-op bed booked ahead becomes a bed request for the bed agent. */
async function admit(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const r = s.request!;
  const request = await tools.call<{ requestId: string }>('request_bed', {
    requestId: uuidFor(`surgery:${r.requestId}`),
    patientId: r.patientId,
    need: {
      unitTypes: [r.procedure.postOpUnitType],
      isolation: r.patient.isolation,
      sex: r.patient.sex,
    },
    requester: 'surgery',
    priority: 'urgent',
  });
  const notes = [...unrecorded(s), `Post-op bed requested from the bed agent (${request.requestId})`];
  await tools.call('record_surgery_plan', { requestId: s.requestId, bedRequestId: request.requestId, notes });
  return { bedRequested: true, notes: notes.slice(-1), recorded: s.notes.length + 1 };
}

function awaitClaim(s: SurgeryAgentStateType): Step {
  // Resumed with the revenue task once the revenue agent has finished billing the encounter (opened at
  // completion for a day case, at discharge for an inpatient).
  const task = interrupt({
    kind: 'claim',
    requestId: s.requestId,
    question: 'Waiting for the revenue agent to bill the case',
  }) as RevenueTask;
  return { claim: task };
}

async function billed(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const task = s.claim!;
  const notes = [
    ...unrecorded(s),
    `Revenue task ${task.taskId} ${task.status}: ${task.outcome ?? 'no outcome'}`,
  ];
  if (task.status !== 'done') {
    await tools.call('record_surgery_plan', { requestId: s.requestId, notes });
    return { recorded: s.notes.length + 1, notes: notes.slice(-1) };
  }
  await tools.call('record_surgery_plan', {
    requestId: s.requestId,
    status: 'billed',
    notes,
    outcome: `Billed: ${task.outcome ?? 'claim made'}`,
  });
  return { recorded: s.notes.length + 1, notes: notes.slice(-1) };
}

async function finish(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const fresh = unrecorded(s);
  if (fresh.length > 0) await tools.call('record_surgery_plan', { requestId: s.requestId, notes: fresh });
  return { recorded: s.notes.length };
}
