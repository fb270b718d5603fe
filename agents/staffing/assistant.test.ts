import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { scriptModel, testModel, toolCall } from '../../test/model.ts';
import { startTestService } from '../../test/service.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { markShiftCalledOut } from '../../tools/staffing/attendance-operations.ts';
import { coverWard, NIGHT_SHIFT_ID } from '../../tools/staffing/cover/test-fixtures.ts';
import type { StaffingAnswer } from './assistant.ts';

const model = testModel;
const mock = setupServer();

const clock = new ManualClock('2026-03-09T12:00:00Z');
let database: Database;
let plain: Awaited<ReturnType<typeof startTestService>>;
let withModel: Awaited<ReturnType<typeof startTestService>>;
let requestId: string;

beforeAll(async () => {
  mock.listen();
  database = await createTestDatabase();
  await miniHospital(database);
  await coverWard(database);
  plain = await startTestService(database, clock, { worker: false });
  withModel = await startTestService(database, clock, { worker: false, model });
  const shift = (await invokeOperation(
    markShiftCalledOut,
    { shiftId: NIGHT_SHIFT_ID, reason: 'sick' },
    { database, clock, actor: systemActor },
  )) as { coverRequestId: string };
  requestId = shift.coverRequestId;
});
afterEach(() => mock.resetHandlers());
afterAll(async () => {
  await plain?.stop();
  await withModel?.stop();
  mock.close();
});

async function ask(svc: typeof plain, question: string, key = svc.keys.staff) {
  const res = await svc.call('POST', '/v1/agents/staffing/ask', key, { question });
  return { status: res.status, body: (await res.json()) as StaffingAnswer & { errors?: unknown } };
}

describe('the staffing agent answering questions (deterministic mode)', () => {
  it('"who can cover ICU nights tomorrow?": least cost first, through find_cover_candidates', async () => {
    const { status, body } = await ask(plain, 'Who can cover ICU nights tomorrow?');
    expect(status).toBe(200);
    expect(body.mode).toBe('deterministic');
    expect(body.toolCalls.map((c) => [c.tool, c.ok])).toEqual([
      ['get_staffing_policy', true],
      ['find_cover_candidates', true],
    ]);
    expect(body.toolCalls[1]!.args).toMatchObject({
      unitId: 'unit-icu',
      day: '2026-03-10',
      kind: 'night',
      role: 'RN',
    });
    const lines = body.answer.split('\n');
    expect(lines[0]).toMatch(/^\d+ may cover the RN night shift on ICU on 2026-03-10, least cost first:$/);
    expect(lines[1]).toMatch(/^1\. Flo Float: from the float pool at straight time, \$343\.90/);
    expect(body.answer).toMatch(
      /Fern Full: overtime, \$574\.20, 8 h of it overtime .* — needs a staffing manager’s approval/,
    );
  });

  it('forecasts the next 7 days, lists shifts needing cover, and says who is on call', async () => {
    const forecast = await ask(plain, 'Forecast staffing demand for the next 7 days on med-surg');
    expect(forecast.body.toolCalls.at(-1)).toMatchObject({
      tool: 'forecast_staffing_demand',
      args: { days: 7, unitId: 'unit-ms', onlyShort: true },
      ok: true,
    });
    expect(forecast.body.answer).toMatch(
      /^Next 7 days on Med-Surg 3 from 2026-03-09: \d+ of \d+ unit-shifts short/,
    );
    const open = await ask(plain, 'Which shifts still need cover?');
    expect(open.body.answer).toContain(`${requestId}: unit-icu night 2026-03-10T23:00:00.000Z — open`);
    const onCall = await ask(plain, 'Who is on call for endocrinology?');
    expect(onCall.body.answer).toMatch(/^On call for endocrinology now: Dr /);
  });

  it('asks back when the question is unclear, and explains what it can answer', async () => {
    expect((await ask(plain, 'who can cover nights tomorrow?')).body.answer).toMatch(
      /^Which unit\? Name one of: /,
    );
    expect((await ask(plain, 'who can cover ICU tomorrow?')).body.answer).toBe(
      'Which shift on ICU: day, evening or night?',
    );
    expect((await ask(plain, 'what is the meaning of life?')).body.answer).toMatch(/^I can answer: /);
  });

  it('validates the body and the key', async () => {
    const empty = await plain.call('POST', '/v1/agents/staffing/ask', plain.keys.staff, { question: '' });
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ errors: [{ field: 'question' }] });
    const patient = await plain.call('POST', '/v1/agents/staffing/ask', plain.keys.patient1, {
      question: 'hello?',
    });
    expect(patient.status).toBe(403);
  });
});

describe('the staffing agent with a model', () => {
  it('a proposal that breaks a rule is refused by the tool, not the prompt, and nothing is written', async () => {
    const received = scriptModel(mock, [
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          toolCall('call_1', 'assign_cover', { requestId, staffId: 'stf-tired' }),
          toolCall('call_2', 'create_staff', { staffId: 'stf-x', name: 'X', role: 'RN', pager: 'P' }),
        ],
      },
      { role: 'assistant', content: 'Ty Tired cannot cover: he would work 16 h in 24 hours.' },
    ]);
    const shiftsBefore = await database.sql`select count(*)::int as n from shifts`;
    const { status, body } = await ask(
      withModel,
      'Put Ty Tired on the ICU night tonight',
      withModel.keys.admin,
    );
    expect(status).toBe(200);
    expect(body.mode).toBe('model');
    expect(body.answer).toBe('Ty Tired cannot cover: he would work 16 h in 24 hours.');
    expect(body.toolCalls).toEqual([
      expect.objectContaining({
        tool: 'assign_cover',
        ok: false,
        error: expect.stringMatching(/hours-24h: would work 16 h in 24 hours/),
      }),
      expect.objectContaining({ tool: 'create_staff', ok: false, error: 'not a tool of this assistant' }),
    ]);
    expect(await database.sql`select count(*)::int as n from shifts`).toEqual(shiftsBefore);
    expect(await database.sql`select id from staff where id = 'stf-x'`).toEqual([]);
    // The model was offered only the assistant's tools, and saw both refusals as tool results.
    const offered = received[0]!.tools!.map((t) => t.function.name);
    expect(offered).toContain('assign_cover');
    expect(offered).not.toContain('create_staff');
    const toolResults = received[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(toolResults).toEqual([
      expect.stringMatching(/^Error: assign_cover: .*Ty Tired may not cover/),
      'Error: create_staff is not a tool of the staffing assistant',
    ]);
  });

  it('acts with the asking key: a ward staff key cannot roster even when the model tries', async () => {
    scriptModel(mock, [
      {
        role: 'assistant',
        content: null,
        tool_calls: [toolCall('call_1', 'assign_cover', { requestId, staffId: 'stf-float' })],
      },
      { role: 'assistant', content: 'I may not roster with your key.' },
    ]);
    const { body } = await ask(withModel, 'Roster Flo on the ICU night', withModel.keys.staff);
    expect(body.toolCalls[0]).toMatchObject({
      tool: 'assign_cover',
      ok: false,
      error: expect.stringMatching(/lacks the scope staffing:write/),
    });
    expect(await database.sql`select status from cover_requests where id = ${requestId}`).toEqual([
      { status: 'open' },
    ]);
  });

  it('a valid least-cost repair goes through the same tool and is written', async () => {
    scriptModel(mock, [
      {
        role: 'assistant',
        content: null,
        tool_calls: [toolCall('c1', 'find_cover_candidates', { requestId, limit: 3 })],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [toolCall('c2', 'assign_cover', { requestId, staffId: 'stf-float' })],
      },
      { role: 'assistant', content: 'Flo Float covers the ICU night from the float pool for $343.90.' },
    ]);
    const { body } = await ask(withModel, 'Fix the ICU night call-out', withModel.keys.admin);
    expect(body.toolCalls.map((c) => [c.tool, c.ok])).toEqual([
      ['find_cover_candidates', true],
      ['assign_cover', true],
    ]);
    expect(await database.sql`select status, filled_by from cover_requests where id = ${requestId}`).toEqual([
      { status: 'filled', filled_by: 'stf-float' },
    ]);
  });
});
