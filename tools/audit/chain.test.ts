import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import type { Database } from '../../db/client.ts';
import { appendAudit, canonicalJson, verifyAuditChain } from './chain.ts';

let database: Database;

/** A chain of five entries in a database of its own, so each tampering starts from an intact chain. */
async function chainOfFive(): Promise<Database> {
  const database = await createTestDatabase(2);
  for (let i = 0; i < 5; i++) {
    await database.db.transaction((tx) =>
      appendAudit(tx, {
        at: new Date(Date.UTC(2026, 0, 1, 0, i)),
        actor: 'agent:triage',
        onBehalfOf: 'pat-1',
        tool: 'reserve_bed',
        input: { bedId: `bed-${i}`, amount: 0.1 * i },
        outcome: { ok: true },
        status: 'ok',
      }),
    );
  }
  return database;
}

beforeAll(async () => {
  database = await chainOfFive();
});

/** Tampering as a database superuser would: with the append-only trigger switched off. */
async function tamper(statement: string) {
  await database.sql.begin(async (tx) => {
    await tx.unsafe('alter table audit_log disable trigger audit_log_append_only');
    await tx.unsafe(statement);
    await tx.unsafe('alter table audit_log enable trigger audit_log_append_only');
  });
}

describe('hash-chained audit log', () => {
  it('keys are sorted at every depth in the canonical form', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });

  it('verifies an untouched chain', async () => {
    const report = await verifyAuditChain(database.sql);
    expect(report).toMatchObject({ intact: true, entries: 5 });
  });

  it('refuses an UPDATE or DELETE from the application', async () => {
    await expect(database.sql`update audit_log set actor = 'x' where seq = 1`).rejects.toThrow(/append-only/);
    await expect(database.sql`delete from audit_log where seq = 1`).rejects.toThrow(/append-only/);
  });

  it('names an edited entry as the first bad one', async () => {
    await tamper(`update audit_log set input = '{"bedId":"bed-99","amount":0.2}' where seq = 3`);
    const report = await verifyAuditChain(database.sql);
    expect(report).toMatchObject({
      intact: false,
      firstBad: { seq: 3, problem: expect.stringMatching(/content/) },
    });
    await tamper(`update audit_log set input = '{"bedId":"bed-2","amount":0.2}' where seq = 3`);
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });

  it('names the entry after a deleted one', async () => {
    database = await chainOfFive();
    await tamper('delete from audit_log where seq = 2');
    const report = await verifyAuditChain(database.sql);
    expect(report).toMatchObject({
      intact: false,
      firstBad: { seq: 3, problem: expect.stringMatching(/missing/) },
    });
  });

  it('names reordered entries, by global or by chain position', async () => {
    database = await chainOfFive();
    await tamper('update audit_log set seq = -4 where seq = 4');
    await tamper('update audit_log set seq = 4 where seq = 5');
    await tamper('update audit_log set seq = 5 where seq = -4');
    expect(await verifyAuditChain(database.sql)).toMatchObject({
      intact: false,
      firstBad: { chainSeq: 4, problem: expect.stringMatching(/content/) },
    });

    database = await chainOfFive();
    await tamper('update audit_log set chain_seq = -4 where chain_seq = 4');
    await tamper('update audit_log set chain_seq = 4 where chain_seq = 5');
    await tamper('update audit_log set chain_seq = 5 where chain_seq = -4');
    expect(await verifyAuditChain(database.sql)).toMatchObject({
      intact: false,
      firstBad: { seq: 5, chainSeq: 4 },
    });
  });

  it('keeps one patient in one chain and still names a break in any chain', async () => {
    const fresh = await createTestDatabase(4);
    for (const [i, who] of ['pat-1', 'pat-2', 'pat-3', 'pat-1', 'pat-2', 'pat-3'].entries()) {
      await fresh.db.transaction((tx) =>
        appendAudit(tx, {
          at: new Date(),
          actor: 'agent:triage',
          onBehalfOf: who,
          tool: 't',
          input: { i },
          outcome: {},
          status: 'ok',
        }),
      );
    }
    const rows = await fresh.sql`select on_behalf_of, chain, chain_seq from audit_log order by seq`;
    const chainOf = (who: string) => new Set(rows.filter((r) => r.on_behalf_of === who).map((r) => r.chain));
    expect(chainOf('pat-1').size).toBe(1);
    expect(rows.filter((r) => r.on_behalf_of === 'pat-3').map((r) => Number(r.chain_seq))).toEqual([1, 2]);
    const report = await verifyAuditChain(fresh.sql);
    expect(report).toMatchObject({ intact: true, entries: 6 });

    const [victim] =
      await fresh.sql`select seq, chain from audit_log where on_behalf_of = 'pat-3' order by seq desc limit 1`;
    await fresh.sql.begin(async (tx) => {
      await tx.unsafe('alter table audit_log disable trigger audit_log_append_only');
      await tx`update audit_log set input = '{"i": 99}' where seq = ${victim!.seq}`;
      await tx.unsafe('alter table audit_log enable trigger audit_log_append_only');
    });
    expect(await verifyAuditChain(fresh.sql)).toMatchObject({
      intact: false,
      firstBad: { seq: Number(victim!.seq), chain: victim!.chain },
      brokenChains: [victim!.chain],
    });
  });

  it('keeps every chain gap-free under concurrent appenders', async () => {
    const fresh = await createTestDatabase(20);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fresh.db.transaction((tx) =>
          appendAudit(tx, {
            at: new Date(),
            actor: `a${i}`,
            tool: 't',
            input: { i },
            outcome: {},
            status: 'ok',
          }),
        ),
      ),
    );
    expect(await verifyAuditChain(fresh.sql)).toMatchObject({ intact: true, entries: 40 });
  });
});
