import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../db/client.ts';
import { patients } from '../../db/schema/index.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { startTestService, waitForEscalation } from '../../test/service.ts';
import type { ModelSettings } from '../runtime/model.ts';
import { COMPOSE_SYSTEM_PROMPT } from './prompts.ts';

/**
 * The triage agent with a configured model, against a scripted OpenAI-compatible API (msw). The model
 * may only word the messages: every scenario also runs on a twin hospital in deterministic mode, and
 * the decision (level, bed, who is paged and notified, the outcome) must be the same in both.
 */

const model: ModelSettings = { apiKey: 'test', baseURL: 'http://model.test/v1', model: 'test-model' };
const COMPLETIONS = 'http://model.test/v1/chat/completions';

const mock = setupServer();

interface Twin {
  database: Database;
  svc: Awaited<ReturnType<typeof startTestService>>;
}
let withModel: Twin;
let deterministic: Twin;

/** The same small hospital, with a few more diabetic patients so that no scenario repeats another's episode. */
async function twin(settings: ModelSettings | null): Promise<Twin> {
  const database = await createTestDatabase();
  await miniHospital(database, { medSurgBeds: 14 });
  await database.db.insert(patients).values(
    Array.from({ length: 9 }, (_, i) => ({
      id: `pat-m${i}`,
      mrn: `MRN-M${i}`,
      givenName: 'Mo',
      familyName: `Patient${i}`,
      birthDate: '1965-04-01',
      sex: 'male' as const,
      assignedNurseId: 'stf-nurse',
      careSpecialty: 'endocrinology',
    })),
  );
  const svc = await startTestService(database, systemClock, { model: settings });
  return { database, svc };
}

beforeAll(async () => {
  mock.listen({ onUnhandledFrame: 'error' });
  [withModel, deterministic] = await Promise.all([twin(model), twin(null)]);
});
afterEach(() => mock.resetHandlers());
afterAll(async () => {
  await Promise.all([withModel?.svc.stop(), deterministic?.svc.stop()]);
  mock.close();
});

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  tools?: unknown;
}

/** Every request the model API received in the current scenario. */
let received: { body: ChatRequest; authorization: string | null }[] = [];
afterEach(() => {
  received = [];
});

/** Answers chat completions with what `reply` scripts for the request (its facts parsed from the prompt). */
function scriptModel(
  reply: (facts: { escalationId: string; patientName: string }) => Response | Record<string, unknown>,
  opts: { delayMs?: number } = {},
) {
  mock.use(
    http.post(COMPLETIONS, async ({ request }) => {
      const body = (await request.json()) as ChatRequest;
      received.push({ body, authorization: request.headers.get('authorization') });
      if (opts.delayMs) await delay(opts.delayMs);
      const { facts } = JSON.parse(body.messages.at(-1)!.content) as {
        facts: { escalationId: string; patientName: string };
      };
      const out = reply(facts);
      if (out instanceof Response) return out;
      return HttpResponse.json({
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          { index: 0, message: out, logprobs: null, finish_reason: out.tool_calls ? 'tool_calls' : 'stop' },
        ],
        usage: { prompt_tokens: 200, completion_tokens: 80, total_tokens: 280 },
      });
    }),
  );
}

const assistant = (content: unknown) => ({
  role: 'assistant',
  content: typeof content === 'string' ? content : JSON.stringify(content),
  refusal: null,
});

interface Outcome {
  escalationId: string;
  status: string;
  level: string;
  outcome: string;
  steps: string[];
  decided: unknown;
  beds: string[];
  sent: { channel: string; recipientId: string; message: string }[];
  composedBy: unknown;
  composedNote: string;
  tools: string[];
}

async function outcomeOf(t: Twin, escalationId: string): Promise<Outcome> {
  const esc = (await waitForEscalation(t.svc.call, t.svc.keys.staff, escalationId, 30_000)) as unknown as {
    status: string;
    level: string;
    outcome: string;
    events: { step: string; message: string; data: Record<string, unknown> | null }[];
  };
  const sql = t.database.sql;
  const beds = await sql<{ bed_id: string }[]>`
    select bed_id from bed_reservations where escalation_id = ${escalationId} and status = 'held'`;
  const sent = await sql<{ channel: string; recipientId: string; message: string }[]>`
    select channel, recipient_id as "recipientId", message from notifications
    where escalation_id = ${escalationId} order by channel`;
  const tools = await sql<{ tool: string }[]>`
    select tool from audit_log where agent_run_id in (
      select id from agent_runs where escalation_id = ${escalationId}) order by seq`;
  const composed = esc.events.find((e) => e.step === 'composed')!;
  return {
    escalationId,
    status: esc.status,
    level: esc.level,
    outcome: esc.outcome,
    steps: esc.events.map((e) => e.step),
    decided: esc.events.find((e) => e.step === 'decided')?.data,
    beds: beds.map((b) => b.bed_id),
    sent: [...sent],
    composedBy: composed.data?.source,
    composedNote: composed.message,
    tools: [...new Set(tools.map((r) => r.tool))].sort(),
  };
}

/** Posts the reading to both hospitals and returns each one's end state. */
async function triageBoth(patientId: string, glucose = 48): Promise<{ model: Outcome; rules: Outcome }> {
  const reading = { patientId, glucose: { value: glucose, unit: 'mg/dL' } };
  const [m, r] = await Promise.all(
    [withModel, deterministic].map(async (t) => {
      const res = await t.svc.call('POST', '/v1/observations', t.svc.keys.staff, reading);
      expect(res.status).toBe(202);
      return ((await res.json()) as { escalationId: string }).escalationId;
    }),
  );
  return { model: await outcomeOf(withModel, m!), rules: await outcomeOf(deterministic, r!) };
}

/** The decision, without the ids and wording that legitimately differ between the twins. */
function decision(o: Outcome) {
  return {
    status: o.status,
    level: o.level,
    outcome: o.outcome,
    steps: o.steps,
    decided: o.decided,
    beds: o.beds,
    recipients: o.sent.map((s) => `${s.channel}:${s.recipientId}`),
    tools: o.tools,
  };
}

const message = (o: Outcome, channel: string) => o.sent.find((s) => s.channel === channel)!.message;

describe('the triage agent with a model configured', () => {
  it('sends the model’s wording to the patient, the nurse and the on-call page', async () => {
    const patientText =
      'Ada, your sugar is dangerously low. Eat 15 g of fast sugar now, such as 4 glucose tablets, and check ' +
      'again in 15 minutes. Your care team is coming and a bed is being arranged. If you feel faint or ' +
      'confused, call emergency services. [model-wording]';
    scriptModel(({ escalationId }) =>
      assistant({
        patient: patientText,
        clinician: `[model-wording] Escalation ${escalationId}: emergency hypoglycaemia, bed held, please review.`,
      }),
    );
    const { model: m, rules } = await triageBoth('pat-1');

    expect(m.composedBy).toBe('model');
    expect(message(m, 'advice')).toBe(patientText);
    expect(message(m, 'page')).toBe(
      `[model-wording] Escalation ${m.escalationId}: emergency hypoglycaemia, bed held, please review.`,
    );
    expect(message(m, 'notify')).toContain('[model-wording]');
    expect(message(rules, 'advice')).not.toContain('[model-wording]');
    expect(decision(m)).toEqual(decision(rules));
    expect(m).toMatchObject({ level: 'emergency', beds: [expect.stringMatching(/^bed-ms-/)] });
    expect(m.sent.map((s) => `${s.channel}:${s.recipientId}`)).toEqual([
      'advice:pat-1',
      'notify:stf-nurse',
      'page:stf-endo',
    ]);
  });

  it('sends the model the reading’s facts and the template draft, with no tools to call', async () => {
    scriptModel(({ escalationId }) =>
      assistant({
        patient: 'Your glucose is low. Take 15 g of fast-acting carbohydrate now and recheck in 15 minutes.',
        clinician: `Escalation ${escalationId}: emergency hypoglycaemia.`,
      }),
    );
    const { model: m } = await triageBoth('pat-m0', 45);

    expect(received).toHaveLength(1);
    const [{ body, authorization }] = received as [(typeof received)[number]];
    expect(authorization).toBe('Bearer test');
    expect(body.model).toBe('test-model');
    expect(body.tools).toBeUndefined();
    expect(body.messages.map((x) => x.role)).toEqual(['system', 'user']);
    expect(body.messages[0]!.content).toBe(COMPOSE_SYSTEM_PROMPT);
    const prompt = JSON.parse(body.messages[1]!.content) as {
      facts: Record<string, string>;
      draft: { patient: string; clinician: string };
    };
    expect(prompt.facts).toMatchObject({
      escalationId: m.escalationId,
      patientName: 'Mo Patient0',
      condition: 'hypoglycaemia',
      level: 'emergency',
      summary: expect.stringContaining('45 mg/dL'),
      goal: 'bed reserved and on-call specialist paged',
    });
    expect(prompt.draft.patient).toMatch(/15 g of fast-acting carbohydrate/);
    expect(prompt.draft.clinician).toContain(m.escalationId);
  });

  it('keeps the decision when the model’s reply argues against it', async () => {
    scriptModel(({ escalationId }) =>
      assistant({
        patient:
          'Good news: no bed is needed and nobody will be paged. Rest at home and check again tomorrow.',
        clinician: `Escalation ${escalationId}: downgraded to routine. No bed needed; release the bed, do not page.`,
      }),
    );
    const { model: m, rules } = await triageBoth('pat-m1');

    expect(decision(m)).toEqual(decision(rules));
    expect(m.beds).toHaveLength(1);
    expect(m.sent.find((s) => s.channel === 'page')?.recipientId).toBe('stf-endo');
    expect(m.tools).not.toContain('release_bed_reservation');
    // Nor does its wording reach anyone: a message that denies the response would mislead.
    expect(m.composedBy).toBe('template');
    expect(m.composedNote).toMatch(/contradicts the response \("no bed/);
    expect(message(m, 'advice')).toBe(message(rules, 'advice'));
  });

  it.each([
    [
      'drops the rule of 15',
      'Your glucose is low; please eat something sweet. Call emergency services if faint.',
      /rule of 15/,
    ],
    [
      'drops the emergency-services instruction',
      'Your glucose is low. Take 15 g of sugar and recheck in 15 minutes.',
      /emergency services/,
    ],
  ])('sets aside a reply that %s', async (_case, patient, why) => {
    scriptModel(({ escalationId }) =>
      assistant({
        patient,
        clinician: `Escalation ${escalationId}: emergency hypoglycaemia, please review.`,
      }),
    );
    const { model: m, rules } = await triageBoth(_case === 'drops the rule of 15' ? 'pat-m7' : 'pat-m8');
    expect(m.composedBy).toBe('template');
    expect(m.composedNote).toMatch(why);
    expect(decision(m)).toEqual(decision(rules));
  });

  it('never runs a tool the model asks for: its reply is set aside and the templates are sent', async () => {
    scriptModel(({ escalationId }) => ({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: {
            name: 'release_bed_reservation',
            arguments: JSON.stringify({ reservationId: 'any', reason: 'no bed needed' }),
          },
        },
        {
          id: 'call_2',
          type: 'function',
          function: {
            name: 'page_staff',
            arguments: JSON.stringify({
              staffId: 'stf-icu',
              escalationId,
              message: 'ignore the endocrinologist',
            }),
          },
        },
      ],
    }));
    const { model: m, rules } = await triageBoth('pat-m2');

    expect(decision(m)).toEqual(decision(rules));
    expect(m.tools).not.toContain('release_bed_reservation');
    expect(m.sent.filter((s) => s.recipientId === 'stf-icu')).toEqual([]);
    expect(m.composedBy).toBe('template');
    expect(m.composedNote).toMatch(/model reply unusable .*templates used/);
    expect(message(m, 'advice')).toBe(message(rules, 'advice').replace(rules.escalationId, m.escalationId));
  });

  it.each([
    [
      'the API answers 500',
      'pat-m3',
      () => HttpResponse.json({ error: { message: 'overloaded' } }, { status: 500 }),
    ],
    [
      'the API answers malformed JSON',
      'pat-m4',
      () =>
        new HttpResponse('{"id": "chatcmpl-test", "choices": [', {
          headers: { 'content-type': 'application/json' },
        }),
    ],
    [
      'the reply is prose, not JSON',
      'pat-m5',
      () => assistant('Sure! Here are the messages you asked for: patient…'),
    ],
    [
      'the reply drops the escalation id',
      'pat-m6',
      () =>
        assistant({
          patient:
            'Your glucose is low. Take 15 g of fast-acting carbohydrate now and recheck in 15 minutes.',
          clinician: 'Emergency hypoglycaemia: bed held, please review.',
        }),
    ],
  ] as const)('falls back to the templates and still completes when %s', async (_case, patientId, reply) => {
    scriptModel(reply);
    const { model: m, rules } = await triageBoth(patientId);

    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(m.status).toBe('completed');
    expect(m.composedBy).toBe('template');
    expect(m.composedNote).toMatch(/model reply unusable .*templates used/);
    expect(message(m, 'advice')).toMatch(/15 g of fast-acting carbohydrate/);
    expect(message(m, 'page')).toBe(message(rules, 'page').replaceAll(rules.escalationId, m.escalationId));
    expect(decision(m)).toEqual(decision(rules));
  });
});

describe('the network', () => {
  it('is closed to everything but the scripted model API, even a server that would answer', async () => {
    const server = createServer((_req, res) => res.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});

describe('a slow model reply', () => {
  let slow: Twin;
  beforeAll(async () => {
    const database = await createTestDatabase();
    await miniHospital(database);
    // A lease far shorter than the model's reply: the worker is alive, so its job must stay its own.
    slow = { database, svc: await startTestService(database, systemClock, { model, leaseMs: 300 }) };
  });
  afterAll(async () => slow?.svc.stop());

  it('is waited for by the one run that asked, not taken for a dead worker and run again', async () => {
    scriptModel(
      ({ escalationId }) =>
        assistant({
          patient:
            'Your glucose is low. Take 15 g of fast-acting carbohydrate now and recheck in 15 minutes. ' +
            'If you feel faint, call emergency services.',
          clinician: `Escalation ${escalationId}: emergency hypoglycaemia.`,
        }),
      { delayMs: 2_000 },
    );
    const res = await slow.svc.call('POST', '/v1/observations', slow.svc.keys.patient1, {
      patientId: 'pat-1',
      glucose: { value: 48, unit: 'mg/dL' },
    });
    expect(res.status).toBe(202);
    const { escalationId } = (await res.json()) as { escalationId: string };
    const done = await outcomeOf(slow, escalationId);

    expect(done).toMatchObject({ status: 'completed', composedBy: 'model' });
    expect(received).toHaveLength(1);
    // The escalation closes a moment before the worker marks its job done.
    await vi.waitFor(
      async () => {
        const [job] = await slow.database.sql<{ status: string; attempts: number }[]>`
        select status, attempts from jobs where payload->>'escalationId' = ${escalationId}`;
        expect(job).toEqual({ status: 'done', attempts: 1 });
      },
      { timeout: 10_000, interval: 100 },
    );
    const [run] = await slow.database.sql<{ attempts: number }[]>`
      select attempts from agent_runs where escalation_id = ${escalationId}`;
    expect(run!.attempts).toBe(1);
    const replays = await slow.database.sql`
      select tool from audit_log where outcome->>'replayed' = 'true'`;
    expect(replays).toEqual([]);
  }, 60_000);
});
