import { eq, like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { rosterProposals, shifts, staff, staffLeave, units } from '../../../db/schema/index.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { rowCount } from '../../../test/mcp.ts';
import { verifyAuditChain } from '../../audit/chain.ts';
import { type Actor, roleScopes } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { invokeOperation, type OperationContext } from '../../core/operation.ts';
import { staffingOperations } from '../operations.ts';
import type { RosterAssignment } from './check.ts';
import {
  checkRosterOperation,
  discardRosterProposal,
  getRosterProposal,
  listRosterProposals,
  proposeRoster,
} from './operations.ts';
import { publishRoster } from './publish.ts';
import { NEXT_MONDAY, NOW, rosterHospital } from './rostering.fixture.ts';
import type { ProposalOut } from './schema.ts';
import { refusal } from '../../../test/refusal.ts';

let database: Database;
const clock = new ManualClock(NOW);
const admin: Actor = { id: 'admin:ops', kind: 'admin', scopes: roleScopes.admin };
const nurseKey: Actor = { id: 'staff:nia', kind: 'staff', scopes: roleScopes.staff };
const ctx = (actor: Actor = admin): OperationContext => ({ database, clock, actor });

type Violation = ProposalOut['violations'][number];
type Checked = Omit<ProposalOut, 'proposalId' | 'status'> & { alreadyScheduled: number };
type Published = {
  proposalId: string;
  replayed: boolean;
  shiftsWritten: number;
  alreadyScheduled: number;
  shifts: unknown[];
};

const propose = async (input: Record<string, unknown>) =>
  (await invokeOperation(proposeRoster, { timeLimitSeconds: 2, weeks: 1, ...input }, ctx())) as ProposalOut;
const check = async (input: Record<string, unknown>) =>
  (await invokeOperation(checkRosterOperation, { weeks: 1, ...input }, ctx(nurseKey))) as Checked;
const publish = async (input: Record<string, unknown>) =>
  (await invokeOperation(publishRoster, input, ctx())) as Published;
const entriesOf = (p: { staff: ProposalOut['staff'] }): RosterAssignment[] =>
  p.staff.flatMap((s) => s.shifts.map((x) => ({ staffId: s.staffId, ...x })));

/** The roster entries of a unit's shifts in the table from `from` for a week. */
async function shiftsOn(unitId: string, from: string): Promise<RosterAssignment[]> {
  const rows = await database.db.select().from(shifts).where(eq(shifts.unitId, unitId));
  const to = new Date(Date.parse(`${from}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  return rows
    .map((r) => ({ staffId: r.staffId, date: r.startsAt.toISOString().slice(0, 10), kind: r.kind }))
    .filter((r) => r.date >= from && r.date < to);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await rosterHospital(database);
  const db = database.db;
  await db.insert(units).values({ id: 'unit-empty', name: 'Empty', type: 'surgical', floor: 5 });
  await db.insert(staffLeave).values({
    id: 'lv-a',
    staffId: 'rn-a',
    kind: 'annual',
    startsOn: '2026-03-10',
    endsOn: '2026-03-11',
    status: 'approved',
    createdAt: new Date(NOW),
  });
  // rn-c already works Thursday's day shift on the ICU; stf-nurse works the Sunday night before the roster.
  await db.insert(shifts).values([
    {
      id: 'shf-c-icu',
      staffId: 'rn-c',
      unitId: 'unit-icu',
      kind: 'day',
      startsAt: new Date('2026-03-12T07:00:00Z'),
      endsAt: new Date('2026-03-12T15:00:00Z'),
    },
    {
      id: 'shf-nurse-sun',
      staffId: 'stf-nurse',
      unitId: 'unit-ms',
      kind: 'night',
      startsAt: new Date('2026-03-08T23:00:00Z'),
      endsAt: new Date('2026-03-09T07:00:00Z'),
    },
  ]);
});

describe('propose_roster → publish_roster', () => {
  it('proposes a week that keeps every hard rule, stores it, and publishes it as scheduled shifts once', async () => {
    const proposal = await propose({ unitId: 'unit-ms', startsOn: NEXT_MONDAY });
    expect(proposal).toMatchObject({
      status: 'proposed',
      feasible: true,
      violations: [],
      endsOn: '2026-03-15',
    });
    expect(proposal.proposalId).toMatch(/^rost-/);
    const { underCover, overCover, onRequestsNotGranted, offRequestsBroken } = proposal.breakdown;
    expect(proposal.objective).toBe(underCover + overCover + onRequestsNotGranted + offRequestsBroken);
    if (proposal.lowerBound !== null) expect(proposal.lowerBound).toBeLessThanOrEqual(proposal.objective);
    expect(proposal.coverage).toHaveLength(21);
    expect(proposal.coverage[0]).toMatchObject({
      date: NEXT_MONDAY,
      kind: 'day',
      required: { licensedNurses: 2 },
    });
    const person = (id: string) => proposal.staff.find((s) => s.staffId === id)!;
    // Leave is respected, contracted hours are met, per diem owes nothing.
    expect(person('rn-a').shifts.map((s) => s.date)).not.toContain('2026-03-10');
    expect(person('rn-a').shifts.map((s) => s.date)).not.toContain('2026-03-11');
    expect(person('rn-pt').minutes).toMatchObject({ rostered: 1440, min: 1440, max: 1440 });
    expect(person('rn-pd').minutes.min).toBe(0);
    // After the Sunday night: no Monday day or evening.
    expect(person('stf-nurse').shifts.filter((s) => s.date === NEXT_MONDAY && s.kind !== 'night')).toEqual(
      [],
    );

    expect(
      await invokeOperation(getRosterProposal, { proposalId: proposal.proposalId }, ctx(nurseKey)),
    ).toEqual(proposal);
    const listed = (await invokeOperation(listRosterProposals, { unitId: 'unit-ms' }, ctx(nurseKey))) as {
      proposals: { proposalId: string; status: string }[];
    };
    expect(listed.proposals).toContainEqual(
      expect.objectContaining({ proposalId: proposal.proposalId, status: 'proposed' }),
    );

    const entries = entriesOf(proposal);
    const before = await rowCount(database, 'shifts');
    const published = await publish({ proposalId: proposal.proposalId });
    expect(published).toMatchObject({ replayed: false, shiftsWritten: entries.length, alreadyScheduled: 0 });
    expect(published.shifts).toHaveLength(entries.length);
    expect(await rowCount(database, 'shifts')).toBe(before + entries.length);
    const written = await database.db
      .select()
      .from(shifts)
      .where(like(shifts.id, `shf-${proposal.proposalId}-%`));
    expect(written.every((s) => s.status === 'scheduled' && s.unitId === 'unit-ms')).toBe(true);

    // The shifts as written pass the same validator: they are the roster's own now.
    const asWritten = await shiftsOn('unit-ms', NEXT_MONDAY);
    const recheck = await check({
      unitId: 'unit-ms',
      startsOn: NEXT_MONDAY,
      assignments: asWritten.filter((a) => !(a.staffId === 'stf-nurse' && a.date === '2026-03-08')),
    });
    expect(recheck.violations).toEqual([]);
    expect(recheck.alreadyScheduled).toBe(entries.length);

    // Publishing again writes nothing.
    const again = await publish({ proposalId: proposal.proposalId });
    expect(again).toMatchObject({ replayed: true, shiftsWritten: 0, alreadyScheduled: entries.length });
    expect(await rowCount(database, 'shifts')).toBe(before + entries.length);
    const [row] = await database.db
      .select()
      .from(rosterProposals)
      .where(eq(rosterProposals.id, proposal.proposalId!));
    expect(row).toMatchObject({ status: 'published', decidedBy: 'admin:ops' });
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  }, 30_000);

  it('refuses to publish a proposal when leave was approved since, naming who, when and the rule; writes nothing', async () => {
    const proposal = await propose({ unitId: 'unit-ms', startsOn: '2026-03-16', seed: 3 });
    expect(proposal.status).toBe('proposed');
    const rnB = proposal.staff.find((s) => s.staffId === 'rn-b')!;
    const day = rnB.shifts[0]!.date;
    await database.db.insert(staffLeave).values({
      id: 'lv-b-late',
      staffId: 'rn-b',
      kind: 'sick',
      startsOn: day,
      endsOn: day,
      status: 'approved',
      createdAt: new Date(NOW),
    });
    const before = await rowCount(database, 'shifts');
    const audits = await rowCount(database, 'audit_log');
    const err = await refusal(publish({ proposalId: proposal.proposalId }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(new RegExp(`rn-b.* on ${day}: approved-leave: .*sick leave lv-b-late`));
    expect(err.issues).toContainEqual({
      field: 'proposalId',
      message: expect.stringContaining('approved-leave'),
    });
    expect(await rowCount(database, 'shifts')).toBe(before);
    expect(await rowCount(database, 'audit_log')).toBe(audits);
    const [row] = await database.db
      .select()
      .from(rosterProposals)
      .where(eq(rosterProposals.id, proposal.proposalId!));
    expect(row!.status).toBe('proposed');

    // Discarded, it can no longer be published; discarding again changes nothing.
    const discard = (actor: Actor = admin) =>
      invokeOperation(discardRosterProposal, { proposalId: proposal.proposalId }, ctx(actor));
    expect(await discard()).toEqual({
      proposalId: proposal.proposalId,
      status: 'discarded',
      replayed: false,
    });
    expect(await discard()).toMatchObject({ replayed: true });
    const gone = await refusal(publish({ proposalId: proposal.proposalId }));
    expect([gone.code, gone.issues[0]?.field]).toEqual(['conflict', 'proposalId']);
    expect((await refusal(discard(nurseKey))).code).toBe('forbidden');
  }, 30_000);

  it('publishes an edited roster without a proposal once: the same roster again is found, not duplicated', async () => {
    const startsOn = '2026-03-23';
    const proposal = await propose({ unitId: 'unit-ms', startsOn, seed: 5 });
    // The per diem nurse is taken off (nothing owed): the edit still keeps every hard rule.
    const edited = entriesOf(proposal).filter((a) => a.staffId !== 'rn-pd');
    const input = { unitId: 'unit-ms', startsOn, weeks: 1, assignments: edited };
    const first = await publish(input);
    expect(first).toMatchObject({ replayed: false, shiftsWritten: edited.length });
    expect(first.proposalId).not.toBe(proposal.proposalId);
    const count = await rowCount(database, 'shifts');
    const second = await publish(input);
    expect(second).toMatchObject({ proposalId: first.proposalId, replayed: true, shiftsWritten: 0 });
    expect(await rowCount(database, 'shifts')).toBe(count);
    // The original proposal, published now, adds nothing its edit did not already schedule but rn-pd's shifts.
    const rest = await publish({ proposalId: proposal.proposalId });
    expect(rest).toMatchObject({ alreadyScheduled: edited.length });
    expect(rest.shiftsWritten).toBe(entriesOf(proposal).length - edited.length);
  }, 30_000);

  it('publishes a proposal once when two publishes race', async () => {
    const proposal = await propose({ unitId: 'unit-ms', startsOn: '2026-04-13', seed: 9 });
    const before = await rowCount(database, 'shifts');
    const both = await Promise.all([
      publish({ proposalId: proposal.proposalId }),
      publish({ proposalId: proposal.proposalId }),
    ]);
    expect(both.map((p) => p.replayed).sort()).toEqual([false, true]);
    expect(await rowCount(database, 'shifts')).toBe(before + entriesOf(proposal).length);
  }, 30_000);

  it('reports an infeasible unit: stores nothing and names the nurse and the rule', async () => {
    // 60 h a week is 7 shifts in 7 days, and at most 5 may be worked in a row.
    await database.db.update(staff).set({ contractedMinutesPerWeek: 3600 }).where(eq(staff.id, 'rn-icu'));
    const out = await propose({ unitId: 'unit-icu', startsOn: NEXT_MONDAY });
    expect(out).toMatchObject({ status: 'infeasible', proposalId: null, feasible: false });
    expect(out.violations.length).toBeGreaterThan(0);
    expect(out.violations.every((v: Violation) => v.staffId === 'rn-icu')).toBe(true);
    expect(out.violations.map((v) => v.rule)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/min-total-minutes|max-consecutive-shifts|min-consecutive/),
      ]),
    );
    const stored = await database.db
      .select()
      .from(rosterProposals)
      .where(eq(rosterProposals.unitId, 'unit-icu'));
    expect(stored).toEqual([]);
    await database.db.update(staff).set({ contractedMinutesPerWeek: 2400 }).where(eq(staff.id, 'rn-icu'));
  }, 30_000);
});

describe('check_roster', () => {
  const startsOn = '2026-03-30';
  const base = async () => entriesOf(await propose({ unitId: 'unit-ms', startsOn, seed: 7 }));

  it('finds no violation in a proposed roster, and writes nothing', async () => {
    const before = await rowCount(database, 'shifts');
    const out = await check({ unitId: 'unit-ms', startsOn, assignments: await base() });
    expect(out).toMatchObject({ feasible: true, violations: [], alreadyScheduled: 0 });
    expect(await rowCount(database, 'shifts')).toBe(before);
  }, 30_000);

  it('refuses a night followed by a day shift, naming the staff member, the day and the rule', async () => {
    const assignments = (await base()).filter((a) => a.staffId !== 'rn-pd');
    assignments.push(
      { staffId: 'rn-pd', date: '2026-03-31', kind: 'night' },
      { staffId: 'rn-pd', date: '2026-04-01', kind: 'day' },
    );
    const out = await check({ unitId: 'unit-ms', startsOn, assignments });
    expect(out.feasible).toBe(false);
    expect(out.violations).toEqual([
      expect.objectContaining({
        rule: 'forbidden-succession',
        staffId: 'rn-pd',
        date: '2026-04-01',
        kind: 'day',
        assignment: assignments.length - 1,
        message: expect.stringMatching(
          /rn-pd.* on 2026-04-01: forbidden-succession: day may not follow night/,
        ),
        source: expect.stringContaining('IOM 2004'),
      }),
    ]);
  }, 30_000);
});

describe('check_roster against leave and shifts already scheduled', () => {
  const week = { unitId: 'unit-ms', startsOn: NEXT_MONDAY };
  const rulesFor = async (assignments: RosterAssignment[]) =>
    (await check({ ...week, assignments })).violations.map((v) => [v.rule, v.staffId, v.date, v.kind]);

  it.each([
    ['a shift on approved leave', { staffId: 'rn-a', date: '2026-03-10', kind: 'day' }, 'approved-leave'],
    [
      'a shift overlapping one on another unit',
      { staffId: 'rn-c', date: '2026-03-12', kind: 'day' },
      'overlap',
    ],
    [
      '16 h in 24 with a shift on another unit',
      { staffId: 'rn-c', date: '2026-03-12', kind: 'evening' },
      'max-12h-in-24h',
    ],
    [
      'a day shift after last Sunday night',
      { staffId: 'stf-nurse', date: NEXT_MONDAY, kind: 'day' },
      'max-12h-in-24h',
    ],
  ] as const)('refuses %s', async (_, entry, rule) => {
    // The published roster of that week is the roster's own; the extra entry is checked against it.
    const own = (await shiftsOn('unit-ms', NEXT_MONDAY)).filter(
      (a) => !(a.staffId === 'stf-nurse' && a.date === '2026-03-08') && a.staffId !== entry.staffId,
    );
    const violations = await rulesFor([...own, entry]);
    expect(violations).toContainEqual([rule, entry.staffId, entry.date, entry.kind]);
  });

  it('refuses staff who are not on the unit, and days outside the roster', async () => {
    const out = await check({
      ...week,
      assignments: [
        { staffId: 'rn-icu', date: '2026-03-10', kind: 'day' },
        { staffId: 'rn-pd', date: '2026-03-16', kind: 'day' },
      ],
    });
    expect(out.violations.map((v) => [v.rule, v.assignment])).toEqual(
      expect.arrayContaining([
        ['not-on-roster', 0],
        ['outside-horizon', 1],
      ]),
    );
  });
});

describe('bad input names the field', () => {
  it.each([
    ['a startsOn that is not a Monday', { unitId: 'unit-ms', startsOn: '2026-03-10' }, 'startsOn', /Tuesday/],
    ['a startsOn in the past', { unitId: 'unit-ms', startsOn: '2026-03-02' }, 'startsOn', /after today/],
    ['a startsOn too far ahead', { unitId: 'unit-ms', startsOn: '2026-12-07' }, 'startsOn', /12 weeks/],
    ['a malformed date', { unitId: 'unit-ms', startsOn: '9 March' }, 'startsOn', /date/i],
    ['seven weeks', { unitId: 'unit-ms', startsOn: NEXT_MONDAY, weeks: 7 }, 'weeks', /6/],
    [
      'a 61-second time limit',
      { unitId: 'unit-ms', startsOn: NEXT_MONDAY, timeLimitSeconds: 61 },
      'timeLimitSeconds',
      /60/,
    ],
    ['an unknown unit', { unitId: 'unit-nope', startsOn: NEXT_MONDAY }, 'unitId', /unknown unit/],
    [
      'a unit with no nursing staff',
      { unitId: 'unit-empty', startsOn: NEXT_MONDAY },
      'unitId',
      /no nursing staff/,
    ],
  ])('propose_roster refuses %s', async (_, input, field, message) => {
    const err = await refusal(propose(input));
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(err.issues.find((i) => i.field === field)!.message).toMatch(message);
  });

  it('publish_roster needs a proposalId, or unitId, startsOn, weeks and assignments', async () => {
    const err = await refusal(publish({ unitId: 'unit-ms' }));
    expect(err.issues.map((i) => i.field).sort()).toEqual(['assignments', 'startsOn', 'weeks']);
    const unknown = await refusal(publish({ proposalId: 'rost-nope' }));
    expect([unknown.code, unknown.issues]).toEqual([
      'not_found',
      [{ field: 'proposalId', message: 'unknown roster proposal' }],
    ]);
  });

  it('publish_roster names the entry that breaks a rule', async () => {
    const err = await refusal(
      publish({
        unitId: 'unit-ms',
        startsOn: '2026-04-06',
        weeks: 1,
        assignments: [{ staffId: 'rn-icu', date: '2026-04-07', kind: 'night' }],
      }),
    );
    expect(err.code).toBe('invalid');
    expect(err.issues).toContainEqual({
      field: 'assignments.0',
      message: expect.stringContaining('not-on-roster'),
    });
  });

  it('is registered with the staffing operations', () => {
    const names = staffingOperations.map((o) => o.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'propose_roster',
        'check_roster',
        'publish_roster',
        'get_roster_proposal',
        'list_roster_proposals',
        'discard_roster_proposal',
      ]),
    );
  });
});
