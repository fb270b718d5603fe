import { and, eq, gt, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../../db/client.ts';
import {
  staff,
  staffSkills,
  surgeryRequests,
  surgicalProcedures,
  surgicalTeamAssignments,
  type TeamPlace,
  theatreBookings,
  theatres,
} from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { approvedLeaveDuring, shiftsBetween, skillsOf } from '../person-facts.ts';
import type { CaseSlot, TeamCandidateFacts } from './rules.ts';

export type TeamAssignmentRow = typeof surgicalTeamAssignments.$inferSelect;

/** The case a team is for: its times, its theatre's unit, and its booking when there is one. */
export interface TeamCase extends CaseSlot {
  theatreId: string;
  theatreBookingId: string | null;
  bookingStatus: 'booked' | 'cancelled' | 'completed' | null;
}

const DAY_MS = 86_400_000;
// A week either side holds every 7-day fatigue window that touches the case, and its ISO week.
const AROUND_MS = 7 * DAY_MS;

/** The booking's case; `lock` takes its row FOR UPDATE so a cancellation waits for the assignment. */
export async function bookedCase(db: DbOrTx, theatreBookingId: string, lock = false): Promise<TeamCase> {
  const query = db
    .select({
      theatreBookingId: theatreBookings.id,
      theatreId: theatreBookings.theatreId,
      unitId: theatres.unitId,
      startsAt: theatreBookings.startsAt,
      endsAt: theatreBookings.endsAt,
      bookingStatus: theatreBookings.status,
    })
    .from(theatreBookings)
    .innerJoin(theatres, eq(theatres.id, theatreBookings.theatreId))
    .where(eq(theatreBookings.id, theatreBookingId));
  const [row] = lock ? await query.for('update', { of: theatreBookings }) : await query;
  if (!row) {
    throw new OperationError('not_found', `No theatre booking ${theatreBookingId}`, [
      { field: 'theatreBookingId', message: 'unknown theatre booking' },
    ]);
  }
  return row;
}

/** A case not booked yet: a theatre and the times it would run. */
export async function plannedCase(
  db: DbOrTx,
  input: { theatreId: string; startsAt: Date; endsAt: Date },
): Promise<TeamCase> {
  const [t] = await db.select().from(theatres).where(eq(theatres.id, input.theatreId));
  if (!t) {
    throw new OperationError('not_found', `No theatre ${input.theatreId}`, [
      { field: 'theatreId', message: 'unknown theatre' },
    ]);
  }
  return { ...input, unitId: t.unitId, theatreBookingId: null, bookingStatus: null };
}

/**
 * The places to fill: given outright, a procedure's team, or (for assign) the team of the procedure the
 * subject's surgery request is for.
 */
export async function teamPlaces(
  db: DbOrTx,
  input: { places?: TeamPlace[] | undefined; procedureCode?: string | undefined; subjectId?: string },
): Promise<TeamPlace[]> {
  if (input.places) return input.places;
  let code = input.procedureCode;
  let field = 'procedureCode';
  if (!code && input.subjectId) {
    const [r] = await db
      .select({ procedureCode: surgeryRequests.procedureCode })
      .from(surgeryRequests)
      .where(eq(surgeryRequests.id, input.subjectId));
    code = r?.procedureCode;
    field = 'subjectId';
  }
  if (!code) {
    throw new OperationError('invalid', 'Say which team: a procedureCode or the places to fill', [
      { field: 'procedureCode', message: 'give procedureCode or places' },
    ]);
  }
  const [p] = await db
    .select({ team: surgicalProcedures.team })
    .from(surgicalProcedures)
    .where(eq(surgicalProcedures.code, code));
  if (!p) {
    throw new OperationError('not_found', `No surgical procedure ${code}`, [
      { field, message: `unknown procedure ${code}` },
    ]);
  }
  return p.team;
}

/** Who might fill a place: their role fits, and the specialty and skill asked for (valid or not). */
function placeFilter(place: TeamPlace): SQL | undefined {
  return and(
    inArray(staff.role, place.staffRoles),
    place.specialty ? eq(staff.specialty, place.specialty) : undefined,
    place.skill
      ? inArray(
          staff.id,
          sql`(select ${staffSkills.staffId} from ${staffSkills} where ${staffSkills.skill} = ${place.skill})`,
        )
      : undefined,
  );
}

/**
 * The facts the team rules need, one query per table: everyone who might fill one of `places` (for the
 * surgeon, only `surgeonStaffId` when named), or exactly `staffIds` whatever their role, to say why one
 * person may not. Shifts and cases from a week before to a week after; this booking's own rows are not
 * "another case".
 */
export async function loadTeamFacts(
  db: DbOrTx,
  slot: TeamCase,
  who:
    | { places: readonly TeamPlace[]; surgeonStaffId?: string | undefined }
    | { staffIds: readonly string[] },
): Promise<TeamCandidateFacts[]> {
  const where =
    'staffIds' in who
      ? inArray(staff.id, [...who.staffIds])
      : or(
          ...who.places.map((p) =>
            p.role === 'surgeon' && who.surgeonStaffId ? eq(staff.id, who.surgeonStaffId) : placeFilter(p),
          ),
        );
  const people = await db.select().from(staff).where(where).orderBy(staff.id);
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);
  const from = new Date(slot.startsAt.getTime() - AROUND_MS);
  const to = new Date(slot.endsAt.getTime() + AROUND_MS);
  const notThis = <T extends typeof surgicalTeamAssignments.theatreBookingId | typeof theatreBookings.id>(
    col: T,
  ) => (slot.theatreBookingId ? ne(col, slot.theatreBookingId) : undefined);
  const [worked, leave, skills, assigned, operating] = await Promise.all([
    shiftsBetween(db, ids, from, to),
    approvedLeaveDuring(db, ids, slot),
    skillsOf(db, ids),
    // Completed cases were worked: they count towards fatigue and the week's case minutes.
    db
      .select({
        staffId: surgicalTeamAssignments.staffId,
        theatreBookingId: surgicalTeamAssignments.theatreBookingId,
        startsAt: surgicalTeamAssignments.startsAt,
        endsAt: surgicalTeamAssignments.endsAt,
      })
      .from(surgicalTeamAssignments)
      .where(
        and(
          inArray(surgicalTeamAssignments.staffId, ids),
          inArray(surgicalTeamAssignments.status, ['assigned', 'completed']),
          lt(surgicalTeamAssignments.startsAt, to),
          gt(surgicalTeamAssignments.endsAt, from),
          notThis(surgicalTeamAssignments.theatreBookingId),
        ),
      ),
    // A surgeon named on another theatre booking operates there, team assigned or not.
    db
      .select({
        staffId: theatreBookings.surgeonStaffId,
        theatreBookingId: theatreBookings.id,
        startsAt: theatreBookings.startsAt,
        endsAt: theatreBookings.endsAt,
      })
      .from(theatreBookings)
      .where(
        and(
          inArray(theatreBookings.surgeonStaffId, ids),
          inArray(theatreBookings.status, ['booked', 'completed']),
          lt(theatreBookings.startsAt, to),
          gt(theatreBookings.endsAt, from),
          notThis(theatreBookings.id),
        ),
      ),
  ]);
  const shiftsBy = Map.groupBy(worked, (s) => s.staffId);
  const leaveBy = Map.groupBy(leave, (l) => l.staffId);
  const skillsBy = Map.groupBy(skills, (s) => s.staffId);
  const casesBy = new Map<string, Map<string, { theatreBookingId: string; startsAt: Date; endsAt: Date }>>();
  for (const k of [...assigned, ...operating]) {
    if (!k.staffId) continue;
    const theirs = casesBy.get(k.staffId) ?? new Map();
    // One case once, whether they are on its team, its booked surgeon, or both.
    theirs.set(k.theatreBookingId, {
      theatreBookingId: k.theatreBookingId,
      startsAt: k.startsAt,
      endsAt: k.endsAt,
    });
    casesBy.set(k.staffId, theirs);
  }
  return people.map((p) => ({
    staffId: p.id,
    name: p.name,
    role: p.role,
    specialty: p.specialty,
    skills: skillsBy.get(p.id) ?? [],
    leave: leaveBy.get(p.id) ?? [],
    shifts: shiftsBy.get(p.id) ?? [],
    cases: [...(casesBy.get(p.id)?.values() ?? [])],
  }));
}

/** Whether the person might be offered for the place at all (the filter loadTeamFacts queried with). */
export function mightFill(c: TeamCandidateFacts, place: TeamPlace): boolean {
  return (
    place.staffRoles.includes(c.role) &&
    (!place.specialty || c.specialty === place.specialty) &&
    (!place.skill || c.skills.some((s) => s.skill === place.skill))
  );
}

/**
 * Serialises every change to a person's time, held to the end of the transaction: two assignments of the
 * same person queue, and the second sees the first's rows when it checks. Ids are locked in sorted
 * order so two teams sharing people cannot deadlock. Their staff rows are also taken FOR UPDATE, the
 * lock assign_cover holds (cover/store.ts), so a cover shift and a case cannot both take the same hours.
 */
export async function lockStaffTime(tx: Tx, staffIds: readonly string[]): Promise<void> {
  const ids = [...new Set(staffIds)].sort();
  for (const id of ids) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('staff-time'), hashtext(${id}))`);
  }
  if (ids.length > 0)
    await tx
      .select({ id: staff.id })
      .from(staff)
      .where(inArray(staff.id, ids))
      .orderBy(staff.id)
      .for('update');
}

export async function activeAssignments(
  db: DbOrTx,
  where: { subjectId?: string; theatreBookingId?: string },
): Promise<TeamAssignmentRow[]> {
  return db
    .select()
    .from(surgicalTeamAssignments)
    .where(
      and(
        eq(surgicalTeamAssignments.status, 'assigned'),
        where.subjectId ? eq(surgicalTeamAssignments.subjectId, where.subjectId) : undefined,
        where.theatreBookingId
          ? eq(surgicalTeamAssignments.theatreBookingId, where.theatreBookingId)
          : undefined,
      ),
    )
    .orderBy(surgicalTeamAssignments.role, surgicalTeamAssignments.id);
}
