import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import { refusal } from '../../../test/refusal.ts';
import { verifyAuditChain } from '../../audit/chain.ts';
import type { Actor } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { invokeOperation, type OperationContext } from '../../core/operation.ts';
import { assignSurgicalTeam, findSurgicalTeam, listSurgicalTeam, releaseSurgicalTeam } from './operations.ts';
import { CASE_BOOKING, PROCEDURE, RACERS, SUBJECT, surgicalWard } from './test-fixtures.ts';

let database: Database;
let ctx: OperationContext;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const coordinator: Actor = {
  id: 'staff:theatre-coordinator',
  kind: 'staff',
  scopes: ['staffing:read', 'staffing:write'],
};

beforeAll(async () => {
  database = await createTestDatabase(RACERS + 4);
  await miniHospital(database);
  await surgicalWard(database);
  ctx = { database, clock, actor: coordinator };
});

interface Found {
  complete: boolean;
  places: {
    role: string;
    chosen: { staffId: string; onDuty: boolean } | null;
    candidates: { staffId: string; onDuty: boolean; caseMinutesThisWeek: number }[];
    refused: { staffId: string; rules: string[]; detail: string }[];
  }[];
  missing: { role: string; reason: string }[];
}
interface Team {
  subjectId: string;
  members: { assignmentId: string; role: string; staffId: string; status: string; startsAt: string }[];
  replayed: boolean;
}

const find = (input: Record<string, unknown>) =>
  invokeOperation(
    findSurgicalTeam,
    { theatreBookingId: CASE_BOOKING, procedureCode: PROCEDURE, ...input },
    ctx,
  ) as Promise<Found>;
const assign = (input: Record<string, unknown>) =>
  invokeOperation(
    assignSurgicalTeam,
    { subjectId: SUBJECT, theatreBookingId: CASE_BOOKING, ...input },
    ctx,
  ) as Promise<Team>;
const release = (subjectId: string) =>
  invokeOperation(releaseSurgicalTeam, { subjectId, reason: 'case cancelled' }, ctx) as Promise<{
    released: Team['members'];
  }>;
const place = (out: Found, role: string) => out.places.find((p) => p.role === role)!;
const rulesOf = (out: Found, role: string) =>
  Object.fromEntries(place(out, role).refused.map((r) => [r.staffId, r.rules]));

/** What a refused call must leave exactly as it was. */
const snapshot = () =>
  Promise.all([
    database.sql`select count(*)::int as n from audit_log`,
    database.sql`select id, staff_id, status from surgical_team_assignments order by id`,
  ]);

const TEAM = [
  { role: 'surgeon', staffId: 'stf-surg' },
  { role: 'anaesthetist', staffId: 'stf-anaes' },
  { role: 'scrub-nurse', staffId: 'stf-duty' },
  { role: 'circulating-nurse', staffId: 'stf-free' },
];

describe('finding a team', () => {
  it('fills every place, on-duty first, then fewest case minutes this week, then id', async () => {
    const out = await find({});
    expect(out.complete).toBe(true);
    expect(out.missing).toEqual([]);
    expect(out.places.map((p) => [p.role, p.chosen?.staffId])).toEqual(TEAM.map((m) => [m.role, m.staffId]));
    // The 12 h shift on the theatre's unit covers the case: on duty, and the case adds no hours.
    expect(place(out, 'scrub-nurse').candidates).toEqual([
      expect.objectContaining({ staffId: 'stf-duty', onDuty: true, caseMinutesThisWeek: 0 }),
      // stf-free circulates, so is not offered here.
      expect.objectContaining({ staffId: 'stf-lpn', onDuty: false, caseMinutesThisWeek: 0 }),
      expect.objectContaining({ staffId: 'stf-racer', onDuty: false, caseMinutesThisWeek: 0 }),
      expect.objectContaining({ staffId: 'stf-cases', onDuty: false, caseMinutesThisWeek: 120 }),
    ]);
    // stf-duty is the scrub nurse, so is not offered as circulator; the LPN may not circulate.
    expect(place(out, 'circulating-nurse').candidates.map((c) => c.staffId)).toEqual([
      'stf-free',
      'stf-racer',
      'stf-cases',
    ]);
  });

  it.each([
    ['surgeon', 'stf-surg-away', ['leave']],
    ['surgeon', 'stf-surg-busy', ['busy-in-another-case']],
    ['anaesthetist', 'stf-anaes-busy', ['busy-in-another-case']],
    ['scrub-nurse', 'stf-lapsed', ['skill']],
    ['scrub-nurse', 'stf-away', ['leave']],
    ['scrub-nurse', 'stf-icu-shift', ['busy-on-shift']],
    ['scrub-nurse', 'stf-partial', ['busy-on-shift']],
    ['circulating-nurse', 'stf-tired', ['hours-24h']],
    ['circulating-nurse', 'stf-weekly', ['hours-7d']],
  ])('the %s place refuses %s for %j', async (role, staffId, rules) => {
    const out = await find({
      excludeStaffIds: ['stf-icu-shift', 'stf-partial', 'stf-lapsed'].filter((s) => s !== staffId),
    });
    expect(rulesOf(out, role)[staffId]).toEqual(rules);
  });

  it('explains the refusals in words', async () => {
    const out = await find({ excludeStaffIds: ['stf-lapsed'] });
    const refused = place(out, 'circulating-nurse').refused;
    expect(refused.find((r) => r.staffId === 'stf-tired')?.detail).toMatch(
      /hours-24h: would work 14 h in 24 hours \(limit 12 h, IOM 2004/,
    );
    expect(refused.find((r) => r.staffId === 'stf-weekly')?.detail).toMatch(
      /hours-7d: would work 62 h in 7 days/,
    );
    expect(place(out, 'scrub-nurse').refused.length).toBeLessThanOrEqual(5);
  });

  it('the named surgeon is the only one for the place, and is always shown when refused', async () => {
    const out = await find({ surgeonStaffId: 'stf-ortho' });
    expect(place(out, 'surgeon')).toMatchObject({
      chosen: null,
      candidates: [],
      refused: [{ staffId: 'stf-ortho', rules: ['specialty'] }],
    });
    expect(out.complete).toBe(false);
    expect(out.missing).toEqual([
      {
        role: 'surgeon',
        reason:
          'the named surgeon Ortho may not: specialty: specialty is orthopaedics, the surgeon must be general-surgery',
      },
    ]);
    const nurse = await find({ surgeonStaffId: 'stf-free' });
    expect(place(nurse, 'surgeon').refused).toEqual([
      expect.objectContaining({ staffId: 'stf-free', rules: ['role', 'specialty'] }),
    ]);
  });

  it('names the place nobody can fill when the only fits are taken', async () => {
    const out = await find({
      excludeStaffIds: ['stf-duty', 'stf-racer', 'stf-cases'],
      places: [
        { role: 'scrub-nurse', staffRoles: ['RN', 'LPN'], skill: 'perioperative' },
        { role: 'circulating-nurse', staffRoles: ['RN'], skill: 'perioperative' },
      ],
    });
    // Only stf-free may circulate: the matching gives them that place and the LPN scrubs.
    expect(out.places.map((p) => p.chosen?.staffId)).toEqual(['stf-lpn', 'stf-free']);
    const none = await find({ excludeStaffIds: ['stf-free', 'stf-racer', 'stf-cases', 'stf-lpn'] });
    expect(place(none, 'circulating-nurse').chosen).toBeNull();
    expect(none.missing).toEqual([
      { role: 'circulating-nurse', reason: expect.stringContaining('(Duty) is needed for another place') },
    ]);
  });

  it('plans before booking from a theatre and times, and refuses a bad interval naming the field', async () => {
    const out = (await invokeOperation(
      findSurgicalTeam,
      {
        theatreId: 'thr-1',
        startsAt: '2026-03-10T09:00:00Z',
        endsAt: '2026-03-10T11:00:00Z',
        procedureCode: PROCEDURE,
      },
      ctx,
    )) as Found;
    // Without the booking, its own surgeon counts as busy in it.
    expect(rulesOf(out, 'surgeon')['stf-surg']).toEqual(['busy-in-another-case']);
    const err = await refusal(
      invokeOperation(
        findSurgicalTeam,
        {
          theatreId: 'thr-1',
          startsAt: '2026-03-10T11:00:00Z',
          endsAt: '2026-03-10T09:00:00Z',
          procedureCode: PROCEDURE,
        },
        ctx,
      ),
    );
    expect(err.code).toBe('invalid');
    expect(err.issues).toEqual([{ field: 'endsAt', message: 'must be after startsAt' }]);
    const neither = await refusal(
      invokeOperation(findSurgicalTeam, { theatreId: 'thr-1', procedureCode: PROCEDURE }, ctx),
    );
    expect(neither.issues.map((i) => i.field)).toEqual(['startsAt', 'endsAt']);
    const both = await refusal(find({ theatreId: 'thr-1' }));
    expect(both.issues).toEqual([{ field: 'theatreId', message: expect.stringContaining('not both') }]);
    const noTeam = await refusal(invokeOperation(findSurgicalTeam, { theatreBookingId: CASE_BOOKING }, ctx));
    expect(noTeam.issues).toEqual([{ field: 'procedureCode', message: 'give procedureCode or places' }]);
  });
});

describe('assigning a team', () => {
  it.each([
    ['an LPN as circulating nurse', { role: 'circulating-nurse', staffId: 'stf-lpn' }, 'conflict', 'role'],
    ['an orthopaedic surgeon', { role: 'surgeon', staffId: 'stf-ortho' }, 'conflict', 'specialty'],
    [
      'a nurse over 12 h in 24 h',
      { role: 'circulating-nurse', staffId: 'stf-tired' },
      'conflict',
      'hours-24h',
    ],
    [
      'a nurse on an ICU shift',
      { role: 'circulating-nurse', staffId: 'stf-icu-shift' },
      'conflict',
      'busy-on-shift',
    ],
    [
      'someone unknown',
      { role: 'circulating-nurse', staffId: 'stf-nobody' },
      'invalid',
      'unknown staff member',
    ],
  ])('refuses the whole team with %s, naming the member, and writes nothing', async (_, bad, code, rule) => {
    const before = await snapshot();
    const members = [...TEAM.filter((m) => m.role !== bad.role), bad];
    const err = await refusal(assign({ members }));
    expect(err.code).toBe(code);
    expect(err.issues).toEqual([
      { field: `members.${members.length - 1}.staffId`, message: expect.stringContaining(rule) },
    ]);
    expect(err.message).toContain(rule);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['the same place twice', [TEAM[0], { role: 'surgeon', staffId: 'stf-anaes' }], 'members.1.role'],
    [
      'the same person twice',
      [TEAM[2], { role: 'circulating-nurse', staffId: 'stf-duty' }],
      'members.1.staffId',
    ],
  ])('refuses %s as invalid input', async (_, members, field) => {
    const err = await refusal(assign({ members }));
    expect(err.code).toBe('invalid');
    expect(err.issues[0]?.field).toBe(field);
  });

  it('assigns the team (places from the subject’s procedure), replays it, and refuses another team', async () => {
    const out = await assign({ members: TEAM });
    expect(out.replayed).toBe(false);
    expect(out.members.map((m) => [m.role, m.staffId, m.status, m.startsAt])).toEqual(
      TEAM.map((m) => [m.role, m.staffId, 'assigned', '2026-03-10T09:00:00.000Z']),
    );
    const before = await snapshot();
    const again = await assign({ members: [...TEAM].reverse() });
    expect(again).toEqual({ ...out, replayed: true });
    expect(await snapshot()).toEqual(before);
    const other = await refusal(
      assign({ members: [TEAM[0], TEAM[1], TEAM[2], { role: 'circulating-nurse', staffId: 'stf-racer' }] }),
    );
    expect(other.code).toBe('conflict');
    expect(other.issues).toEqual([
      { field: 'theatreBookingId', message: expect.stringContaining('already') },
    ]);
    // The nurse in this case is now busy for another one at the same time.
    const list = (await invokeOperation(
      listSurgicalTeam,
      { staffId: 'stf-duty', from: '2026-03-10T00:00:00Z', to: '2026-03-11T00:00:00Z' },
      ctx,
    )) as { assignments: unknown[] };
    expect(list.assignments).toHaveLength(1);
  });

  it('releases the subject’s team, then finds nothing to release', async () => {
    const out = await release(SUBJECT);
    expect(out.released.map((m) => [m.staffId, m.status])).toEqual(TEAM.map((m) => [m.staffId, 'released']));
    const before = await snapshot();
    expect((await release(SUBJECT)).released).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const list = (await invokeOperation(listSurgicalTeam, { subjectId: SUBJECT }, ctx)) as {
      assignments: { status: string; closedReason: string }[];
    };
    expect(
      list.assignments.every((a) => a.status === 'released' && a.closedReason === 'case cancelled'),
    ).toBe(true);
    expect(await verifyAuditChain(database.sql)).toMatchObject({ intact: true });
  });

  it('refuses a cancelled booking', async () => {
    await database.sql`update theatre_bookings set status = 'cancelled' where id = 'tb-mon'`;
    const err = await refusal(
      assign({ theatreBookingId: 'tb-mon', members: [TEAM[3]], procedureCode: PROCEDURE }),
    );
    expect(err.code).toBe('conflict');
    expect(err.issues[0]?.field).toBe('theatreBookingId');
  });
});

describe('two cases racing for one nurse', () => {
  // Several rounds (the winner released in between): one round alone may happen to run its calls one
  // after another and pass without the lock.
  it.each([1, 2, 3, 4, 5])(
    'round %i: overlapping cases in parallel, exactly one gets her, the rest are told she is in another case',
    async (round) => {
      const results = await Promise.allSettled(
        Array.from({ length: RACERS }, (_, i) =>
          assign({
            subjectId: `sr-race-${round}-${i}`,
            theatreBookingId: `tb-race-${i}`,
            procedureCode: PROCEDURE,
            members: [{ role: 'scrub-nurse', staffId: 'stf-racer' }],
          }),
        ),
      );
      const [row] = await database.sql`select subject_id from surgical_team_assignments
        where staff_id = 'stf-racer' and status = 'assigned'`;
      for (const r of results) if (r.status === 'fulfilled') await release(r.value.subjectId);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
        expect(String((r as PromiseRejectedResult).reason.message)).toContain('busy-in-another-case');
      }
      expect(row?.subject_id).toMatch(new RegExp(`^sr-race-${round}-`));
    },
  );
});
