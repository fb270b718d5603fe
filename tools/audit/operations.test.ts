import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { type Actor, roleScopes, systemActor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../core/operation.ts';
import { appendAudit } from './chain.ts';
import { getAuditEntry, listAuditEntries, verifyAuditChainOperation } from './operations.ts';

let database: Database;
const admin: Actor = { id: 'admin:1', kind: 'admin', scopes: ['*'] };
const staff: Actor = { id: 'staff:1', kind: 'staff', scopes: roleScopes.staff };

const entries = [
  { minute: 0, actor: 'agent:triage', onBehalfOf: 'pat-1', tool: 'record_observations' },
  { minute: 1, actor: 'agent:beds', onBehalfOf: 'pat-1', tool: 'reserve_bed' },
  { minute: 2, actor: 'staff:1', onBehalfOf: undefined, tool: 'reserve_bed' },
  { minute: 3, actor: 'agent:beds', onBehalfOf: 'pat-2', tool: 'reserve_bed' },
  { minute: 4, actor: 'agent:staffing', onBehalfOf: 'pat-1', tool: 'page_staff' },
];

beforeAll(async () => {
  database = await createTestDatabase(2);
  for (const e of entries) {
    await database.db.transaction((tx) =>
      appendAudit(tx, {
        at: new Date(Date.UTC(2026, 0, 1, 8, e.minute)),
        actor: e.actor,
        onBehalfOf: e.onBehalfOf,
        agentRunId: e.actor.startsWith('agent:') ? `run-${e.minute}` : undefined,
        tool: e.tool,
        input: { minute: e.minute },
        outcome: { ok: true },
        status: 'ok',
      }),
    );
  }
});

const run = (op: AnyOperation, input: unknown, actor: Actor = admin) =>
  invokeOperation(op, input, { database, clock: new ManualClock('2026-01-02T00:00:00Z'), actor });

type Page = {
  entries: { seq: number; actor: string; tool: string; at: string }[];
  nextCursor: string | null;
};
const list = async (input: Record<string, unknown>) => (await run(listAuditEntries, input)) as Page;
const minutes = (page: Page) => page.entries.map((e) => new Date(e.at).getUTCMinutes());

describe('list_audit_entries', () => {
  it('lists newest first', async () => {
    const page = await list({});
    expect(minutes(page)).toEqual([4, 3, 2, 1, 0]);
    expect(page.nextCursor).toBeNull();
  });

  it.each([
    [{ actor: 'agent:beds' }, [3, 1]],
    [{ tool: 'reserve_bed' }, [3, 2, 1]],
    [{ onBehalfOf: 'pat-1' }, [4, 1, 0]],
    [{ onBehalfOf: 'pat-1', tool: 'reserve_bed' }, [1]],
    [{ agentRunId: 'run-3' }, [3]],
    [{ from: '2026-01-01T08:01:00Z', to: '2026-01-01T08:03:00Z' }, [2, 1]],
    [{ actor: 'nobody' }, []],
  ])('filters by %o', async (filter, expected) => {
    expect(minutes(await list(filter))).toEqual(expected);
  });

  it('pages with the cursor until the last page', async () => {
    const first = await list({ limit: 2 });
    expect(minutes(first)).toEqual([4, 3]);
    const second = await list({ limit: 2, cursor: first.nextCursor });
    expect(minutes(second)).toEqual([2, 1]);
    const third = await list({ limit: 2, cursor: second.nextCursor });
    expect(minutes(third)).toEqual([0]);
    expect(third.nextCursor).toBeNull();
  });

  it.each([
    [{ limit: 101 }, /limit/],
    [{ limit: 0 }, /limit/],
    [{ cursor: 'not-a-cursor' }, /cursor/],
    [{ from: 'yesterday' }, /from/],
    [{ from: '2026-01-01T09:00:00Z', to: '2026-01-01T08:00:00Z' }, /to: must be later than from/],
  ])('refuses %o, naming the field', async (input, field) => {
    await expect(list(input)).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(field),
    });
  });

  it('is for holders of audit:read only: a staff key is refused', async () => {
    await expect(run(listAuditEntries, {}, staff)).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/audit:read/),
    });
  });
});

describe('get_audit_entry', () => {
  it('returns one entry with its chain position and hashes', async () => {
    const [newest] = (await list({ limit: 1 })).entries;
    const entry = await run(getAuditEntry, { seq: newest!.seq });
    expect(entry).toMatchObject({
      seq: newest!.seq,
      actor: 'agent:staffing',
      onBehalfOf: 'pat-1',
      agentRunId: 'run-4',
      tool: 'page_staff',
      input: { minute: 4 },
      outcome: { ok: true },
      status: 'ok',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('answers not_found for an unknown sequence number, and invalid for a bad one', async () => {
    await expect(run(getAuditEntry, { seq: 999_999 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(run(getAuditEntry, { seq: 'one' })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/seq/),
    });
  });
});

describe('verify_audit_chain', () => {
  it('reports an intact chain, then names the first entry edited behind its back', async () => {
    expect(await run(verifyAuditChainOperation, {})).toEqual({
      intact: true,
      entries: 5,
      chains: expect.any(Number),
      firstBad: null,
      brokenChains: [],
    });
    const [target] = (await list({ agentRunId: 'run-1' })).entries;
    // As a database superuser would: with the append-only trigger switched off.
    await database.sql.begin(async (tx) => {
      await tx.unsafe('alter table audit_log disable trigger audit_log_append_only');
      await tx`update audit_log set input = '{"minute":99}' where seq = ${target!.seq}`;
      await tx.unsafe('alter table audit_log enable trigger audit_log_append_only');
    });
    const report = (await run(verifyAuditChainOperation, {}, systemActor)) as Record<string, unknown>;
    expect(report).toMatchObject({
      intact: false,
      firstBad: { seq: target!.seq, problem: expect.stringMatching(/does not match its hash/) },
    });
  });
});
