import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { staff } from '../../db/schema/index.ts';
import { createModuleServer } from '../../mcp-servers/server.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { callTool, rowCount, toolText } from '../../test/mcp.ts';
import { startTestService } from '../../test/service.ts';
import { verifyAuditChain } from '../audit/chain.ts';
import { type Actor, roleScopes } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../core/operation.ts';
import { listOnCallRota, removeOnCallBlock, setOnCallBlock } from './oncall-operations.ts';
import { onCallNow } from './operations.ts';
import { refusal } from '../../test/refusal.ts';

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z'); // a Monday
// The staffing office: keeps the rota.
const office: Actor = { id: 'agent:staffing', kind: 'agent', scopes: ['staffing:read', 'staffing:write'] };
const staffKey: Actor = { id: 'staff:ward', kind: 'staff', scopes: roleScopes.staff };
const ctx = (actor: Actor = office) => ({ database, clock, actor });
const call = (op: AnyOperation, input: unknown, actor: Actor = office) =>
  invokeOperation(op, input, ctx(actor)) as Promise<Record<string, unknown>>;

type Range = { startMinute: number; endMinute: number; label: string; minutes: number };
type Block = Range & { blockId: string; tier: string; person: { staffId: string; name: string } };
type Gaps = { primary: Range[]; backup: Range[]; nobody: Range[] };
type SpecialtyRota = { specialty: string; blocks: Block[]; gaps: Gaps };

const rotaOf = async (specialty: string) =>
  ((await call(listOnCallRota, { specialty })) as { specialties: SpecialtyRota[] }).specialties[0]!;
const labels = (ranges: Range[]) => ranges.map((r) => r.label);
// Monday 2 March 2026 is the first day of the test week.
const onCallAt = async (at: string) => {
  const out = (await call(onCallNow, { specialty: 'endocrinology', at })) as {
    primary: { staffId: string } | null;
    backup: { staffId: string } | null;
  };
  return { primary: out.primary?.staffId ?? null, backup: out.backup?.staffId ?? null };
};

const block = (
  staffId: string,
  tier: 'primary' | 'backup',
  start: [string, string],
  end: [string, string],
  extra: Record<string, unknown> = {},
) => ({
  specialty: 'endocrinology',
  staffId,
  tier,
  start: { day: start[0], time: start[1] },
  end: { day: end[0], time: end[1] },
  ...extra,
});

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await database.db.insert(staff).values([
    {
      id: 'stf-endo-3',
      name: 'Dr Em Endo',
      role: 'physician',
      specialty: 'endocrinology',
      pager: 'PGR-0013',
    },
    { id: 'stf-cardio', name: 'Dr Cy Cardio', role: 'physician', specialty: 'cardiology', pager: 'PGR-0014' },
  ]);
});

/** Everything a refused call must leave exactly as it was. */
const snapshot = () =>
  Promise.all([rowCount(database, 'audit_log'), database.sql`select * from on_call_rota order by id`]);
const audited = (tool: string) => rowCount(database, `audit_log where tool = '${tool}'`);

describe('list_on_call_rota', () => {
  it("shows each specialty's blocks with the person, and the gaps per tier", async () => {
    const out = (await call(listOnCallRota, {}, staffKey)) as { specialties: SpecialtyRota[] };
    // Cardiology has a physician but no rota yet: the whole week is a gap.
    expect(out.specialties.map((s) => s.specialty)).toEqual(['cardiology', 'critical-care', 'endocrinology']);
    const [cardiology, critical, endo] = out.specialties;
    expect(cardiology!.blocks).toEqual([]);
    expect(labels(cardiology!.gaps.nobody)).toEqual(['Mon 00:00 – Sun 24:00']);
    expect(endo!.blocks).toEqual([
      {
        blockId: 'rota-endo-p',
        specialty: 'endocrinology',
        tier: 'primary',
        person: { staffId: 'stf-endo', name: 'Dr Eve Endo', role: 'physician', pager: 'PGR-0002' },
        startMinute: 0,
        endMinute: 10_080,
        start: { day: 'mon', time: '00:00' },
        end: { day: 'sun', time: '24:00' },
        minutes: 10_080,
        label: 'Mon 00:00 – Sun 24:00',
      },
      expect.objectContaining({ blockId: 'rota-endo-b', tier: 'backup' }),
    ]);
    expect(endo!.gaps).toEqual({ primary: [], backup: [], nobody: [] });
    expect(critical!.gaps.primary).toEqual([]);
    expect(critical!.gaps.backup).toEqual([
      expect.objectContaining({ startMinute: 0, endMinute: 10_080, label: 'Mon 00:00 – Sun 24:00' }),
    ]);
  });

  it('filters to one specialty and names an unknown one', async () => {
    expect((await rotaOf('critical-care')).blocks.map((b) => b.blockId)).toEqual(['rota-icu-p']);
    const err = await refusal(call(listOnCallRota, { specialty: 'dermatology' }));
    expect(err).toMatchObject({ code: 'not_found', issues: [{ field: 'specialty' }] });
  });
});

describe('building a rota: a night block across Sunday midnight and a day block', () => {
  let night: Block;
  let day: Block;

  it('removes the week-long primary block, reports the gap, and on_call_now falls to the backup', async () => {
    const before = await audited('remove_on_call_block');
    const out = (await call(removeOnCallBlock, { blockId: 'rota-endo-p' })) as {
      removed: Block;
      gapLeft: Range[];
      nobodyOnCall: Range[];
      gaps: Gaps;
    };
    expect(out.removed).toMatchObject({ blockId: 'rota-endo-p', person: { staffId: 'stf-endo' } });
    expect(labels(out.gapLeft)).toEqual(['Mon 00:00 – Sun 24:00']);
    expect(out.nobodyOnCall).toEqual([]); // the backup still covers
    expect(labels(out.gaps.primary)).toEqual(['Mon 00:00 – Sun 24:00']);
    expect(await audited('remove_on_call_block')).toBe(before + 1);
    expect(await onCallAt('2026-03-04T12:00:00Z')).toEqual({ primary: null, backup: 'stf-endo-2' });
  });

  it('adds a primary block from Sunday 20:00 to Monday 08:00 that wraps past midnight', async () => {
    const out = (await call(
      setOnCallBlock,
      block('stf-endo', 'primary', ['sun', '20:00'], ['mon', '08:00']),
    )) as { block: Block; replaced: null; replayed: boolean; gaps: Gaps };
    night = out.block;
    expect(out).toMatchObject({
      block: { startMinute: 9840, endMinute: 480, minutes: 720, label: 'Sun 20:00 – Mon 08:00' },
      replaced: null,
      replayed: false,
    });
    expect(labels(out.gaps.primary)).toEqual(['Mon 08:00 – Sun 20:00']);
    expect(out.gaps.primary[0]).toMatchObject({ startMinute: 480, endMinute: 9840 });
    expect(await onCallAt('2026-03-08T23:30:00Z')).toEqual({ primary: 'stf-endo', backup: 'stf-endo-2' });
    expect(await onCallAt('2026-03-09T07:59:00Z')).toEqual({ primary: 'stf-endo', backup: 'stf-endo-2' });
    expect(await onCallAt('2026-03-09T08:00:00Z')).toEqual({ primary: null, backup: 'stf-endo-2' });
  });

  it('fills the rest of the week, leaving no primary gap; the same block again writes nothing', async () => {
    const input = block('stf-endo-3', 'primary', ['mon', '08:00'], ['sun', '20:00']);
    const first = (await call(setOnCallBlock, input)) as { block: Block; gaps: Gaps };
    day = first.block;
    expect(first.gaps.primary).toEqual([]);
    const before = await snapshot();
    const again = (await call(setOnCallBlock, input)) as { block: Block; replayed: boolean };
    expect(again).toMatchObject({ replayed: true, block: { blockId: day.blockId } });
    expect(await snapshot()).toEqual(before);
    expect((await rotaOf('endocrinology')).blocks.map((b) => [b.blockId, b.tier, b.label])).toEqual([
      ['rota-endo-b', 'backup', 'Mon 00:00 – Sun 24:00'],
      [day.blockId, 'primary', 'Mon 08:00 – Sun 20:00'],
      [night.blockId, 'primary', 'Sun 20:00 – Mon 08:00'],
    ]);
    expect(await onCallAt('2026-03-04T12:00:00Z')).toEqual({ primary: 'stf-endo-3', backup: 'stf-endo-2' });
  });

  it('changes the backup block in place with replaceBlockId', async () => {
    const out = (await call(
      setOnCallBlock,
      block('stf-endo-2', 'backup', ['mon', '08:00'], ['sun', '20:00'], { replaceBlockId: 'rota-endo-b' }),
    )) as { block: Block; replaced: Block; gaps: Gaps };
    expect(out.block).toMatchObject({ blockId: 'rota-endo-b', label: 'Mon 08:00 – Sun 20:00' });
    expect(out.replaced).toMatchObject({ blockId: 'rota-endo-b', label: 'Mon 00:00 – Sun 24:00' });
    expect(out.gaps.backup).toEqual([
      expect.objectContaining({
        startMinute: 9840,
        endMinute: 480,
        minutes: 720,
        label: 'Sun 20:00 – Mon 08:00',
      }),
    ]);
    expect(out.gaps.nobody).toEqual([]);
    expect(await rowCount(database, `on_call_rota where specialty = 'endocrinology'`)).toBe(3);
    expect(await onCallAt('2026-03-08T22:00:00Z')).toEqual({ primary: 'stf-endo', backup: null });
  });

  it.each([
    [
      'an unknown staff member',
      block('stf-nobody', 'primary', ['tue', '08:00'], ['tue', '20:00']),
      'not_found',
      'staffId',
      /No staff member stf-nobody/,
    ],
    [
      'a nurse',
      block('stf-nurse', 'primary', ['tue', '08:00'], ['tue', '20:00']),
      'invalid',
      'staffId',
      /Nia Nurse \(stf-nurse\) is a RN, not a physician/,
    ],
    [
      'a physician of another specialty',
      block('stf-cardio', 'backup', ['tue', '08:00'], ['tue', '20:00']),
      'invalid',
      'staffId',
      /Dr Cy Cardio \(stf-cardio\) is a cardiology physician: the endocrinology on-call rota takes physicians whose specialty is endocrinology/,
    ],
    [
      'an empty block',
      block('stf-endo', 'primary', ['tue', '08:00'], ['tue', '08:00']),
      'invalid',
      'end',
      /end equals start/,
    ],
    [
      'mon 00:00 to mon 00:00 (empty, not the whole week)',
      block('stf-endo', 'primary', ['mon', '00:00'], ['mon', '00:00']),
      'invalid',
      'end',
      /sun 24:00/,
    ],
    [
      'a time of 25:00',
      block('stf-endo', 'primary', ['tue', '25:00'], ['tue', '08:00']),
      'invalid',
      'start.time',
      /HH:MM/,
    ],
    [
      '24:00 as a start',
      block('stf-endo', 'primary', ['tue', '24:00'], ['wed', '08:00']),
      'invalid',
      'start.time',
      /HH:MM/,
    ],
    [
      'a day spelt out',
      block('stf-endo', 'primary', ['monday', '08:00'], ['tue', '08:00']),
      'invalid',
      'start.day',
      /mon/,
    ],
    [
      'an unknown tier',
      block('stf-endo', 'tertiary' as 'primary', ['tue', '08:00'], ['tue', '20:00']),
      'invalid',
      'tier',
      /primary/,
    ],
    [
      'a second primary overlapping the Sunday night block',
      block('stf-endo-2', 'primary', ['sun', '22:00'], ['mon', '02:00']),
      'conflict',
      'start',
      /would overlap primary block rota-\S+ \(Dr Eve Endo, Sun 20:00 – Mon 08:00\) at Sun 22:00 – Mon 02:00/,
    ],
    [
      'the night primary as backup at the same time',
      block('stf-endo', 'backup', ['sun', '22:00'], ['mon', '02:00']),
      'conflict',
      'tier',
      /Dr Eve Endo is already on call in endocrinology primary block rota-\S+ \(Dr Eve Endo, Sun 20:00 – Mon 08:00\) at Sun 22:00 – Mon 02:00: one person cannot be primary and backup at once/,
    ],
    [
      'a backup overlapping the backup block in two places',
      block('stf-endo-3', 'backup', ['sat', '08:00'], ['mon', '09:00']),
      'conflict',
      'start',
      /overlap backup block rota-endo-b \(Dr Ed Endo, Mon 08:00 – Sun 20:00\) at Mon 08:00 – Mon 09:00, Sat 08:00 – Sun 20:00/,
    ],
    [
      'an unknown block to replace',
      block('stf-endo', 'primary', ['tue', '08:00'], ['tue', '20:00'], { replaceBlockId: 'rota-404' }),
      'not_found',
      'replaceBlockId',
      /No on-call block rota-404/,
    ],
  ])('refuses %s, naming the field, and writes nothing', async (_case, input, code, field, message) => {
    const before = await snapshot();
    const err = await refusal(call(setOnCallBlock, input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(err.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('puts the day primary on as the night backup (no overlap with their own day block)', async () => {
    const out = (await call(
      setOnCallBlock,
      block('stf-endo-3', 'backup', ['sun', '20:00'], ['mon', '08:00']),
    )) as {
      gaps: Gaps;
    };
    expect(out.gaps).toEqual({ primary: [], backup: [], nobody: [] });
    expect(await onCallAt('2026-03-02T03:00:00Z')).toEqual({ primary: 'stf-endo', backup: 'stf-endo-3' });
  });

  it('refuses a replacement that would overlap another block of its tier (it does not clash with itself)', async () => {
    const before = await snapshot();
    const err = await refusal(
      call(
        setOnCallBlock,
        block('stf-endo-2', 'backup', ['sat', '08:00'], ['mon', '09:00'], { replaceBlockId: 'rota-endo-b' }),
      ),
    );
    expect(err).toMatchObject({ code: 'conflict', issues: [{ field: 'start' }] });
    expect(err.message).toMatch(
      /overlap backup block rota-\S+ \(Dr Em Endo, Sun 20:00 – Mon 08:00\) at Sun 20:00 – Mon 08:00/,
    );
    expect(await snapshot()).toEqual(before);
    // Shrinking the block within its own time is no clash.
    const shrunk = (await call(
      setOnCallBlock,
      block('stf-endo-2', 'backup', ['mon', '08:00'], ['sun', '18:00'], { replaceBlockId: 'rota-endo-b' }),
    )) as { gaps: Gaps };
    expect(labels(shrunk.gaps.backup)).toEqual(['Sun 18:00 – Sun 20:00']);
    await call(
      setOnCallBlock,
      block('stf-endo-2', 'backup', ['mon', '08:00'], ['sun', '20:00'], { replaceBlockId: 'rota-endo-b' }),
    );
  });

  it('refuses removing an unknown block, and a staff key (no staffing:write) may not change the rota', async () => {
    const before = await snapshot();
    const unknown = await refusal(call(removeOnCallBlock, { blockId: 'rota-404' }));
    expect(unknown).toMatchObject({ code: 'not_found', issues: [{ field: 'blockId' }] });
    const forbidden = await refusal(call(removeOnCallBlock, { blockId: night.blockId }, staffKey));
    expect(forbidden.code).toBe('forbidden');
    const alsoForbidden = await refusal(
      call(setOnCallBlock, block('stf-endo', 'primary', ['tue', '08:00'], ['tue', '20:00']), staffKey),
    );
    expect(alsoForbidden.code).toBe('forbidden');
    expect(await snapshot()).toEqual(before);
  });

  it('removing the day block reports the primary gap it leaves; the backup still answers pages', async () => {
    const out = (await call(removeOnCallBlock, { blockId: day.blockId })) as {
      gapLeft: Range[];
      nobodyOnCall: Range[];
      gaps: Gaps;
    };
    expect(labels(out.gapLeft)).toEqual(['Mon 08:00 – Sun 20:00']);
    expect(out.nobodyOnCall).toEqual([]);
    expect(await onCallAt('2026-03-05T12:00:00Z')).toEqual({ primary: null, backup: 'stf-endo-2' });
    expect(await call(removeOnCallBlock, { blockId: day.blockId }).catch((e) => e.code)).toBe('not_found');
  });

  it('removing the night backup leaves a night gap with only the primary; removing both leaves nobody', async () => {
    const { blocks } = await rotaOf('endocrinology');
    const nightBackup = blocks.find((b) => b.tier === 'backup' && b.person.staffId === 'stf-endo-3')!;
    const backupGone = (await call(removeOnCallBlock, { blockId: nightBackup.blockId })) as {
      gapLeft: Range[];
      nobodyOnCall: Range[];
    };
    expect(labels(backupGone.gapLeft)).toEqual(['Sun 20:00 – Mon 08:00']);
    expect(backupGone.nobodyOnCall).toEqual([]);
    const primaryGone = (await call(removeOnCallBlock, { blockId: night.blockId })) as {
      gapLeft: Range[];
      nobodyOnCall: Range[];
      gaps: Gaps;
    };
    expect(labels(primaryGone.gapLeft)).toEqual(['Mon 00:00 – Sun 24:00']);
    expect(labels(primaryGone.nobodyOnCall)).toEqual(['Sun 20:00 – Mon 08:00']);
    expect(labels(primaryGone.gaps.nobody)).toEqual(['Sun 20:00 – Mon 08:00']);
    expect(await onCallAt('2026-03-09T01:00:00Z')).toEqual({ primary: null, backup: null });
  });

  it('leaves an audit chain that verifies, one entry per change', async () => {
    expect(await audited('set_on_call_block')).toBe(6);
    expect(await audited('remove_on_call_block')).toBe(4);
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });
});

describe('two offices at once', () => {
  it('lets only one of two overlapping blocks in, whichever commits first', async () => {
    await database.db.insert(staff).values([
      {
        id: 'stf-icu-2',
        name: 'Dr Ida Icu',
        role: 'physician',
        specialty: 'critical-care',
        pager: 'PGR-0015',
      },
      {
        id: 'stf-icu-3',
        name: 'Dr Ivo Icu',
        role: 'physician',
        specialty: 'critical-care',
        pager: 'PGR-0016',
      },
    ]);
    const backup = (staffId: string) => ({
      ...block(staffId, 'backup', ['mon', '00:00'], ['sun', '24:00']),
      specialty: 'critical-care',
    });
    // Open a few pool connections first, so both calls really run side by side.
    await Promise.all([1, 2, 3, 4].map(() => database.sql`select pg_sleep(0.02)`));
    const results = await Promise.allSettled([
      call(setOnCallBlock, backup('stf-icu-2')),
      call(setOnCallBlock, backup('stf-icu-3')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'conflict', issues: [{ field: 'start' }] });
    expect((await rotaOf('critical-care')).blocks.filter((b) => b.tier === 'backup')).toHaveLength(1);
  });
});

describe('the rota tools over MCP and HTTP', () => {
  it('are tools of the staffing MCP server; a refusal is a tool error naming the field', async () => {
    const server = createModuleServer('staffing', () => ctx());
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '0.0.0' });
    await client.connect(clientSide);
    const tools = (await client.listTools()).tools;
    const set = tools.find((t) => t.name === 'set_on_call_block');
    expect(set?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true });
    expect(tools.find((t) => t.name === 'list_on_call_rota')?.annotations).toMatchObject({
      readOnlyHint: true,
    });
    expect(tools.map((t) => t.name)).toContain('remove_on_call_block');

    const before = await snapshot();
    const refused = await callTool(
      client,
      'set_on_call_block',
      block('stf-icu', 'primary', ['tue', '08:00'], ['tue', '20:00']),
    );
    expect(refused.isError).toBe(true);
    expect(toolText(refused)).toMatch(/invalid: Dr Ian Icu \(stf-icu\) is a critical-care physician/);
    expect(await snapshot()).toEqual(before);

    const added = await callTool(
      client,
      'set_on_call_block',
      block('stf-endo', 'primary', ['fri', '18:00'], ['mon', '08:00']),
    );
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent).toMatchObject({
      block: { label: 'Fri 18:00 – Mon 08:00', person: { name: 'Dr Eve Endo' } },
    });
    await client.close();
  });

  it('answers at POST /v1/ops/set_on_call_block: admin keys may, staff keys may not', async () => {
    const svc = await startTestService(database, clock, { worker: false });
    const input = block('stf-endo-3', 'backup', ['sun', '20:00'], ['mon', '08:00']);
    const denied = await svc.call('POST', '/v1/ops/set_on_call_block', svc.keys.staff, input);
    expect(denied.status).toBe(403);
    const ok = await svc.call('POST', '/v1/ops/set_on_call_block', svc.keys.admin, input);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ block: { tier: 'backup', label: 'Sun 20:00 – Mon 08:00' } });
    const bad = await svc.call('POST', '/v1/ops/set_on_call_block', svc.keys.admin, {
      ...input,
      end: { day: 'sun', time: '20:00' },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors).toContainEqual(
      expect.objectContaining({ field: 'end' }),
    );
    await svc.stop();
    expect(await onCallAt('2026-03-07T12:00:00Z')).toEqual({ primary: 'stf-endo', backup: 'stf-endo-2' });
    expect(await onCallAt('2026-03-09T01:00:00Z')).toEqual({ primary: 'stf-endo', backup: 'stf-endo-3' });
  });
});
