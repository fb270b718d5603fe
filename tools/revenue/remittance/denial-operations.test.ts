import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { claims } from '../../../db/schema/index.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import { rowCount } from '../../../test/mcp.ts';
import { refusal } from '../../../test/refusal.ts';
import { type Actor, roleScopes, systemActor } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../core/operation.ts';
import { revenueWard, TODAY_AT } from '../test-fixtures.ts';
import { getDenial, listDenials, resolveDenial } from './denial-operations.ts';
import { answerDenialDraft, draftAppeal, recordDenialDraft } from './draft-operations.ts';
import { postRemittance, remittanceOperations } from './operations.ts';
import { file835, submittedClaim } from './test-remittances.ts';

let database: Database;
const clock = new ManualClock(TODAY_AT);
const billing: Actor = { id: 'billing:office', kind: 'billing', scopes: roleScopes.billing };
const call = <T = Denial>(op: AnyOperation, input: unknown, actor: Actor = billing) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<T>;

interface Denial {
  workItemId: string;
  status: string;
  category: string;
  suggestedAction: string;
  claimId: string | null;
  payerName: string | null;
  amountCents: number;
  rule: string;
  resolution: string | null;
  resolutionNote: string | null;
  draft:
    | {
        kind: 'appeal';
        letter: string;
        attachments: string[];
        approvedBy?: string;
        declined?: { reason: string };
      }
    | { kind: 'corrected-claim'; claimId: string; approvedBy?: string }
    | null;
}

/** Posts a denial of a claim of Bo's knee arthroscopy for `carc` and returns its work item. */
async function deniedKnee(id: string, carc: string): Promise<string> {
  await submittedClaim(database, id, 'bo', [
    { code: '29881', chargeCents: 680_000, serviceDate: '2026-03-10' },
  ]);
  const r = await invokeOperation(
    postRemittance,
    {
      text: file835({
        trace: id,
        claims: [
          {
            id,
            status: '4',
            charge: 6800,
            paid: 0,
            lines: [
              {
                code: '29881',
                charge: 6800,
                paid: 0,
                date: '2026-03-10',
                cas: [['CO', carc, 6800]],
                lq: ['N54'],
              },
            ],
          },
        ],
      }),
    },
    { database, clock, actor: systemActor },
  );
  return (r as { payments: { workItem: { workItemId: string } }[] }).payments[0]!.workItem.workItemId;
}

const claimStatus = async (id: string) =>
  (await database.db.select().from(claims).where(eq(claims.id, id)))[0]!.status;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
});

describe('the denial work queue', () => {
  it('lists open items oldest first with claim, payer and amount, filtered by category and action', async () => {
    const auth = await deniedKnee('CLM-Q-AUTH', '197');
    clock.advance(60_000);
    const nec = await deniedKnee('CLM-Q-NEC', '50');
    clock.advance(60_000);
    const { items } = await call<{ items: Denial[] }>(listDenials, { status: 'open' });
    expect(items.map((i) => i.workItemId)).toEqual([auth, nec]);
    expect(items[0]).toMatchObject({
      claimId: 'CLM-Q-AUTH',
      payerName: 'Acme Health',
      amountCents: 680_000,
      category: 'authorization',
    });
    const appeals = await call<{ items: Denial[] }>(listDenials, {
      category: 'medical-necessity',
      action: 'appeal',
    });
    expect(appeals.items.map((i) => i.workItemId)).toEqual([nec]);
  });

  it('drafts an appeal letter from the record: codes, descriptions, authorisation and attachments', async () => {
    const id = await deniedKnee('CLM-APPEAL', '197');
    const d = await call(draftAppeal, { workItemId: id });
    expect(d.status).toBe('awaiting-approval');
    expect(d.draft?.kind).toBe('appeal');
    const letter = d.draft?.kind === 'appeal' ? d.draft.letter : '';
    for (const text of [
      'claim CLM-APPEAL',
      'payer claim number PCN-CLM-APPEAL',
      'Patient: Bo Ward, born 1950-06-01, member id ACM123456',
      'Date(s) of service: 2026-03-10',
      '29881',
      'M23.221',
      'CO-197',
      'Precertification/authorization/notification/pre-treatment absent.',
      'Remark N54',
      'authorisation AUTH-2201',
      'CareBridge General Hospital, NPI 1234567893',
    ]) {
      expect(letter).toContain(text);
    }
    expect(d.draft?.kind === 'appeal' && d.draft.attachments).toContain(
      'the prior authorisation approval AUTH-2201',
    );
    const again = await refusal(call(draftAppeal, { workItemId: id }));
    expect(again).toMatchObject({ code: 'conflict', issues: [{ field: 'workItemId' }] });
  });

  it('lets only a coder answer a draft: a physician is forbidden, naming the staff member, and nothing changes', async () => {
    const id = await deniedKnee('CLM-ANSWER', '50');
    await call(draftAppeal, { workItemId: id });
    const audit = await rowCount(database, 'audit_log');
    const err = await refusal(
      call(answerDenialDraft, { workItemId: id, coderStaffId: 'stf-endo', decision: 'approve' }),
    );
    expect(err).toMatchObject({
      code: 'forbidden',
      issues: [{ field: 'coderStaffId', message: 'stf-endo is not a coder' }],
    });
    expect((await call(getDenial, { workItemId: id })).status).toBe('awaiting-approval');
    expect(await rowCount(database, 'audit_log')).toBe(audit);

    const declined = await call(answerDenialDraft, {
      workItemId: id,
      coderStaffId: 'stf-coder',
      decision: 'decline',
      reason: 'attach the operative note first',
    });
    expect(declined).toMatchObject({
      status: 'open',
      draft: { kind: 'appeal', declined: { reason: 'attach the operative note first' } },
    });
    await call(draftAppeal, { workItemId: id });
    const approved = await call(answerDenialDraft, {
      workItemId: id,
      coderStaffId: 'stf-coder',
      decision: 'approve',
    });
    expect(approved).toMatchObject({
      status: 'resolved',
      resolution: 'appealed',
      draft: { kind: 'appeal', approvedBy: 'stf-coder' },
    });
  });

  it('keeps an approved corrected claim waiting until the replacement is submitted', async () => {
    const id = await deniedKnee('CLM-CODING', '11');
    expect((await call(getDenial, { workItemId: id })).suggestedAction).toBe('correct-and-resubmit');
    await submittedClaim(
      database,
      'CLM-CODING-R',
      'bo',
      [{ code: '29881', chargeCents: 680_000, serviceDate: '2026-03-10' }],
      { status: 'ready' },
    );
    await database.db
      .update(claims)
      .set({ replacesClaimId: 'CLM-CODING', frequency: '7' })
      .where(eq(claims.id, 'CLM-CODING-R'));
    const wrong = await refusal(call(recordDenialDraft, { workItemId: id, claimId: 'CLM-CODING' }));
    expect(wrong).toMatchObject({ code: 'invalid', issues: [{ field: 'claimId' }] });
    await call(recordDenialDraft, {
      workItemId: id,
      claimId: 'CLM-CODING-R',
      note: 'diagnosis corrected to M23.221',
    });
    const approved = await call(answerDenialDraft, {
      workItemId: id,
      coderStaffId: 'stf-coder',
      decision: 'approve',
    });
    expect(approved).toMatchObject({
      status: 'awaiting-approval',
      draft: { kind: 'corrected-claim', claimId: 'CLM-CODING-R', approvedBy: 'stf-coder' },
    });
    const early = await refusal(
      call(resolveDenial, { workItemId: id, resolution: 'resubmitted', note: 'sent' }),
    );
    expect(early).toMatchObject({ code: 'conflict', issues: [{ field: 'resolution' }] });
    await database.db.update(claims).set({ status: 'submitted' }).where(eq(claims.id, 'CLM-CODING-R'));
    const done = await call(resolveDenial, {
      workItemId: id,
      resolution: 'resubmitted',
      note: 'replacement CLM-CODING-R submitted',
    });
    expect(done).toMatchObject({
      status: 'resolved',
      resolution: 'resubmitted',
      resolutionNote: 'replacement CLM-CODING-R submitted',
    });
  });

  it('writes a claim off when its last open item is written off', async () => {
    const id = await deniedKnee('CLM-LATE-FILED', '29');
    expect(await call(getDenial, { workItemId: id })).toMatchObject({
      category: 'timely-filing',
      suggestedAction: 'appeal',
    });
    const r = await call(resolveDenial, {
      workItemId: id,
      resolution: 'write-off',
      note: 'no proof of filing kept',
    });
    expect(r).toMatchObject({ status: 'resolved', resolution: 'write-off', claimStatus: 'written-off' });
    expect(await claimStatus('CLM-LATE-FILED')).toBe('written-off');
  });

  it('refuses a bad resolution naming the field, and writes nothing', async () => {
    const id = await deniedKnee('CLM-BAD-RES', '18');
    const audit = await rowCount(database, 'audit_log');
    const err = await refusal(call(resolveDenial, { workItemId: id, resolution: 'forgive', note: 'x' }));
    expect(err.code).toBe('invalid');
    expect(err.issues.map((i) => i.field).sort()).toEqual(['note', 'resolution']);
    expect((await call(getDenial, { workItemId: id })).status).toBe('open');
    expect(await rowCount(database, 'audit_log')).toBe(audit);
  });

  it('asks revenue:write of every change and revenue:read of every read', () => {
    for (const op of remittanceOperations) {
      expect(op.scope).toBe(op.risk === 'read' ? 'revenue:read' : 'revenue:write');
      expect(op.http?.method).toBe(op.risk === 'read' ? 'GET' : 'POST');
    }
    expect(remittanceOperations.map((o) => o.name)).toHaveLength(11);
  });
});
