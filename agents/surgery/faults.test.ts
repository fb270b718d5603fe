import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase, dropTestDatabase } from '../../test/db.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { getSurgeryRequest, requestSurgery } from '../../tools/surgery/operations.ts';
import type { SurgeryRequestView } from '../../tools/surgery/store.ts';
import { createCheckpointer } from '../runtime/checkpointer.ts';
import { HmsTools, ToolCallError } from '../runtime/mcp-client.ts';
import { buildSurgeryGraph } from './graph.ts';
import { surgeryAgent } from './run.ts';
import { heldFor, SURGERY_NOW, surgeryHospital } from './test-fixtures.ts';

/**
 * Failure at every step of planning: the graph runs on the real tools over MCP, with one call made to
 * fail, and whatever was held for the request must be released.
 */

let database: Database;
let hospital: Awaited<ReturnType<typeof surgeryHospital>>;
const clock = new ManualClock(SURGERY_NOW);
const closers: { close(): Promise<void> }[] = [];
let saver: Awaited<ReturnType<typeof createCheckpointer>>['saver'];

afterEach(async () => {
  for (const c of closers.splice(0)) await c.close();
  await dropTestDatabase(database);
});

beforeEach(async () => {
  clock.set(SURGERY_NOW);
  database = await createTestDatabase(6);
  hospital = await surgeryHospital(database);
  const checkpointer = await createCheckpointer(database.url);
  closers.push(checkpointer);
  saver = checkpointer.saver;
});

interface Fault {
  tool: string;
  /** Which call of the tool fails, from 1. */
  nth: number;
  error: () => Error;
}

/** The agent's real tools, with the calls named by `faults` failing once each. */
async function faultyTools(faults: Fault[]) {
  const tools = await HmsTools.connectInProcess(['surgery', 'beds', 'staffing', 'inventory', 'revenue'], {
    database,
    clock,
    actor: surgeryAgent,
  });
  closers.push(tools);
  const real = tools.call.bind(tools);
  const seen = new Map<string, number>();
  tools.call = async <T>(tool: string, args: Record<string, unknown>): Promise<T> => {
    const n = (seen.get(tool) ?? 0) + 1;
    seen.set(tool, n);
    const fault = faults.find((f) => f.tool === tool && f.nth === n);
    if (fault) throw fault.error();
    return real<T>(tool, args);
  };
  return tools;
}

const serverDown = () => new Error('connection reset by peer (injected)');

async function requestFor(procedureCode: string, diagnosis: string, surgeon: string) {
  const r = (await invokeOperation(
    requestSurgery,
    { patientId: hospital.patientId, procedureCode, surgeonStaffId: surgeon, diagnosisCodes: [diagnosis] },
    { database, clock, actor: systemActor },
  )) as SurgeryRequestView;
  return r.requestId;
}

const get = async (requestId: string) =>
  (await invokeOperation(
    getSurgeryRequest,
    { requestId },
    { database, clock, actor: systemActor },
  )) as SurgeryRequestView;

async function plan(requestId: string, tools: HmsTools) {
  const graph = buildSurgeryGraph(tools, saver);
  await graph.invoke({ requestId }, { configurable: { thread_id: requestId } });
}

const NOTHING_HELD = { stock: 0, team: 0, beds: 0, theatres: 0 };

describe('a failure at every planning step leaves nothing held', () => {
  const steps: [string, Fault, 'theatre' | 'stock' | 'team' | 'bed' | 'confirm'][] = [
    ['booking the theatre', { tool: 'book_theatre', nth: 1, error: serverDown }, 'theatre'],
    ['the third stock reservation', { tool: 'reserve_stock', nth: 3, error: serverDown }, 'stock'],
    ['assigning the team', { tool: 'assign_surgical_team', nth: 1, error: serverDown }, 'team'],
    ['booking the post-op bed', { tool: 'book_bed_ahead', nth: 1, error: serverDown }, 'bed'],
    ['recording the booked plan', { tool: 'record_surgery_plan', nth: 1, error: serverDown }, 'confirm'],
  ];
  for (const [what, fault, step] of steps) {
    it(`fails at ${what}: released, failed, and says why`, async () => {
      const id = await requestFor('44970', 'K35.80', hospital.generalSurgeons[0]!);
      await plan(id, await faultyTools([fault]));
      const r = await get(id);
      expect(r.status).toBe('failed');
      expect(r.outcome).toMatch(new RegExp(`^Not booked \\(${step}\\): .*injected`));
      expect(r.plan).toBeNull();
      expect(await heldFor(database, id)).toEqual(NOTHING_HELD);
      if (step !== 'theatre') expect(r.notes.join('\n')).toMatch(/Released .*theatre booking/);
    });
  }

  it('tries the next slot when the theatre is taken meanwhile', async () => {
    const id = await requestFor('47562', 'K80.10', hospital.generalSurgeons[0]!);
    const taken = () =>
      new ToolCallError('book_theatre', 'conflict: the slot was booked meanwhile (injected)');
    await plan(id, await faultyTools([{ tool: 'book_theatre', nth: 1, error: taken }]));
    const r = await get(id);
    expect(r.status).toBe('booked');
    expect(r.plan!.theatreBookingId).toBe(`${id}.slot1`);
    expect(r.attempts).toEqual([
      expect.objectContaining({ step: 'theatre', reason: expect.stringMatching(/meanwhile/) }),
    ]);
    expect(await heldFor(database, id)).toEqual({ stock: 5, team: 4, beds: 0, theatres: 1 });
  });

  it('a team refused at one slot is released before the next slot is tried', async () => {
    const id = await requestFor('44970', 'K35.80', hospital.generalSurgeons[0]!);
    const refused = () =>
      new ToolCallError('assign_surgical_team', 'conflict: the scrub nurse is in another case (injected)');
    await plan(id, await faultyTools([{ tool: 'assign_surgical_team', nth: 1, error: refused }]));
    const r = await get(id);
    expect(r.status).toBe('booked');
    expect(r.plan!.theatreBookingId).toBe(`${id}.slot1`);
    // Only the second slot's holds remain: one theatre, one set of reservations, one team, one bed.
    expect(await heldFor(database, id)).toEqual({ stock: 5, team: 4, beds: 1, theatres: 1 });
  });

  it('a crash during compensation is finished when the run resumes from its checkpoint', async () => {
    const id = await requestFor('44970', 'K35.80', hospital.generalSurgeons[0]!);
    const tools = await faultyTools([
      { tool: 'book_bed_ahead', nth: 1, error: serverDown },
      { tool: 'release_surgical_team', nth: 1, error: serverDown },
    ]);
    await expect(plan(id, tools)).rejects.toThrow(/injected/);
    // Cut off mid-compensation: the theatre and stock are still held.
    expect((await heldFor(database, id)).theatres).toBe(1);
    const graph = buildSurgeryGraph(await faultyTools([]), saver);
    await graph.invoke(null, { configurable: { thread_id: id } });
    expect((await get(id)).status).toBe('failed');
    expect(await heldFor(database, id)).toEqual(NOTHING_HELD);
  });
});
