import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { tempOutbox } from '../../test/outbox.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { scriptModel, testModel, toolCall } from '../../test/model.ts';
import { startTestService } from '../../test/service.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../tools/core/operation.ts';
import {
  buildClaimsOp as buildClaims,
  scrubClaimOp as scrubClaim,
} from '../../tools/revenue/claims/build-operations.ts';
import { getClaim } from '../../tools/revenue/claims/read-operations.ts';
import { captureCharges } from '../../tools/revenue/charges/charge-operations.ts';
import { postRemittance } from '../../tools/revenue/remittance/operations.ts';
import { file835 } from '../../tools/revenue/remittance/test-remittances.ts';
import { BO_ENCOUNTER, boClinicVisit, revenueWard, TODAY_AT } from '../../tools/revenue/test-fixtures.ts';
import type { AssistantAnswer } from '../runtime/assistant.ts';

const mock = setupServer();
const clock = new ManualClock(TODAY_AT);
let database: Database;
let plain: Awaited<ReturnType<typeof startTestService>>;
let withModel: Awaited<ReturnType<typeof startTestService>>;
const outbox = tempOutbox();
/** Bo's knee claim without its authorisation (prior auth missing: an error), and a clinic claim with a bad code. */
let knee: string;
let clinic: string;

const call = <T>(op: AnyOperation, input: unknown) =>
  invokeOperation(op, input, { database, clock, actor: systemActor }) as Promise<T>;
async function claimOf(encounterId: string): Promise<string> {
  await call(captureCharges, { encounterId });
  const built = await call<{ claims: { id: string }[] }>(buildClaims, { encounterId });
  const id = built.claims[0]!.id;
  await call(scrubClaim, { claimId: id });
  return id;
}

beforeAll(async () => {
  mock.listen();
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  await boClinicVisit(database);
  knee = await claimOf(BO_ENCOUNTER);
  clinic = await claimOf('enc-bo-clinic');
  plain = await startTestService(database, clock, { worker: false });
  withModel = await startTestService(database, clock, { worker: false, model: testModel });
});
afterEach(() => mock.resetHandlers());
afterAll(async () => {
  await plain?.stop();
  await withModel?.stop();
  mock.close();
});

async function ask(svc: typeof plain, question: string, key = svc.keys.billing) {
  const res = await svc.call('POST', '/v1/agents/revenue/ask', key, { question });
  return { status: res.status, body: (await res.json()) as AssistantAnswer & { detail?: string } };
}

describe('the revenue agent answering the billing office (deterministic mode)', () => {
  it('says where a claim stands, with the scrubber’s errors', async () => {
    const { status, body } = await ask(plain, `Where is claim ${knee}?`);
    expect(status).toBe(200);
    expect(body.toolCalls.map((c) => [c.tool, c.ok])).toEqual([['get_claim', true]]);
    expect(body.answer).toMatch(
      new RegExp(`^${knee}: 837P to pay-acme, \\$6800\\.00, draft\\.\\nScrubber errors: PRIOR_AUTH_MISSING`),
    );
  });

  it('refuses to submit a claim that fails the scrubber, and writes nothing', async () => {
    const { body } = await ask(plain, `Submit claim ${clinic}`);
    expect(body.toolCalls).toEqual([expect.objectContaining({ tool: 'submit_claims', ok: false })]);
    expect(body.answer).toMatch(/^The revenue tools refused: .*DX_NOT_BILLABLE/);
    expect(await call(getClaim, { claimId: clinic })).toMatchObject({ status: 'draft', submissionId: null });
    expect(outbox.files()).toEqual([]);
  });

  it('explains a denial with its CARC, from the work queue', async () => {
    // Ada's claims, submitted by hand here, then denied by Medicare for timely filing.
    const ada = await claimOf('enc-ada-icu');
    await plain.call('POST', '/v1/ops/submit_claims', plain.keys.billing, { claimIds: [ada] });
    await call(postRemittance, {
      text: file835({
        payerName: 'MEDICARE',
        payerId: '06102',
        claims: [{ id: ada, status: '4', charge: 13_628, paid: 0, cas: [['CO', '29', 13_628]] }],
      }),
    });
    const { body } = await ask(plain, `Why was claim ${ada} denied?`);
    expect(body.answer).toMatch(
      new RegExp(`^${ada}:\\n.*timely-filing, \\$13628\\.00, suggested (appeal|write-off) — CO-29 `),
    );
  });

  it('needs a billing or admin key', async () => {
    const res = await plain.call('POST', '/v1/agents/revenue/ask', plain.keys.staff, {
      question: 'denials?',
    });
    expect(res.status).toBe(403);
  });
});

describe('the revenue agent with a model', () => {
  it('a model that submits a claim failing the scrubber is refused by the tool, and nothing is sent', async () => {
    const received = scriptModel(mock, [
      {
        role: 'assistant',
        content: null,
        tool_calls: [toolCall('c1', 'submit_claims', { claimIds: [clinic] })],
      },
      { role: 'assistant', content: 'The claim was not submitted: its diagnosis is not billable.' },
    ]);
    const { status, body } = await ask(withModel, `Just send ${clinic} to the payer`);
    expect(status).toBe(200);
    expect(body.mode).toBe('model');
    expect(body.toolCalls).toEqual([
      expect.objectContaining({
        tool: 'submit_claims',
        ok: false,
        error: expect.stringMatching(/DX_NOT_BILLABLE/),
      }),
    ]);
    expect(received[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([
      expect.stringMatching(/^Error: submit_claims: .*DX_NOT_BILLABLE/),
    ]);
    expect(await call(getClaim, { claimId: clinic })).toMatchObject({ status: 'draft', submissionId: null });
    expect(outbox.files().filter((f) => f.includes(clinic))).toEqual([]);
    // Offered only the assistant's tools: not voiding, posting or answering for a coder.
    const offered = received[0]!.tools!.map((t) => t.function.name);
    expect(offered).toContain('submit_claims');
    expect(offered).not.toContain('answer_claim_review');
    expect(offered).not.toContain('post_remittance');
  });
});
