import type { Database } from '../../../db/client.ts';
import {
  shifts,
  staff,
  staffLeave,
  staffSkills,
  surgeryRequests,
  surgicalProcedures,
  surgicalTeamAssignments,
  theatreBookings,
  theatres,
} from '../../../db/schema/index.ts';
import { PERIOPERATIVE_SKILL, standardTeam } from '../../../db/seed/surgery.ts';

/**
 * A general-surgery case on Tuesday 2026-03-10, 09:00–11:00 UTC in Theatre 1 (on unit-ms), on top of the
 * mini hospital (evals/hospital.ts), and around it every reason a person may or may not join its team:
 *
 *   stf-surg        general surgeon                                         → surgeon
 *   stf-surg-away   general surgeon on approved leave                       → refused: leave
 *   stf-surg-busy   general surgeon of another booking at 10:00             → refused: busy-in-another-case
 *   stf-ortho       orthopaedic surgeon                                     → named surgeon: specialty
 *   stf-anaes       anaesthetist                                            → anaesthetist
 *   stf-anaes-busy  anaesthetist on the team of another case at 10:00       → refused: busy-in-another-case
 *   stf-duty        RN on a 12 h unit-ms shift 07–19 (the case adds no hours) → on duty, ranked first
 *   stf-free        RN with no shift                                        → eligible
 *   stf-lpn         LPN                                                     → eligible for scrub only
 *   stf-cases       RN with a 2 h case on Monday                            → eligible, ranked last
 *   stf-lapsed      RN whose perioperative skill lapsed Monday              → refused: skill
 *   stf-away        RN on approved leave                                    → refused: leave
 *   stf-icu-shift   RN on an ICU shift 07–15                                → refused: busy-on-shift
 *   stf-partial     RN on a unit-ms shift from 10:00 (not the whole case)   → refused: busy-on-shift
 *   stf-tired       RN off a 12 h ICU night ending 07:00                    → refused: hours-24h
 *   stf-weekly      RN with five 12 h days Wed–Sun                          → refused: hours-7d
 *   stf-racer       RN with nothing else: the concurrency tests' nurse
 *
 * Eight more theatres (thr-r0…7) hold overlapping bookings on Wednesday for the concurrency test.
 */
export const CASE_BOOKING = 'tb-case';
export const CASE_STARTS = new Date('2026-03-10T09:00:00Z');
export const CASE_ENDS = new Date('2026-03-10T11:00:00Z');
export const PROCEDURE = '47562';
export const SUBJECT = 'sr-case';
export const RACERS = 8;

const at = (day: number, hour: number) => new Date(Date.UTC(2026, 2, day, hour));
const created = at(1, 9);

export async function surgicalWard(database: Database): Promise<void> {
  const { db } = database;
  await db.insert(surgicalProcedures).values({
    code: PROCEDURE,
    name: 'Laparoscopic cholecystectomy',
    specialty: 'general-surgery',
    durationMinutes: 120,
    team: standardTeam('general-surgery'),
  });
  await db.insert(theatres).values([
    { id: 'thr-1', name: 'Theatre 1', unitId: 'unit-ms', turnoverMinutes: 30 },
    { id: 'thr-2', name: 'Theatre 2', unitId: 'unit-ms', turnoverMinutes: 30 },
    ...Array.from({ length: RACERS }, (_, i) => ({
      id: `thr-r${i}`,
      name: `Race ${i}`,
      unitId: 'unit-ms',
      turnoverMinutes: 30,
    })),
  ]);
  const person = (id: string, role: 'RN' | 'LPN' | 'physician', specialty: string | null = null) => ({
    id,
    name: id
      .replace('stf-', '')
      .replace(/(^|-)(\w)/g, (_, d, c: string) => `${d ? ' ' : ''}${c.toUpperCase()}`),
    role,
    specialty,
    unitId: role === 'physician' ? null : 'unit-ms',
    pager: `PGR-${id}`,
    hourlyRateCents: role === 'physician' ? null : 4000,
  });
  const nurses = [
    'duty',
    'free',
    'cases',
    'lapsed',
    'away',
    'icu-shift',
    'partial',
    'tired',
    'weekly',
    'racer',
  ];
  await db
    .insert(staff)
    .values([
      person('stf-surg', 'physician', 'general-surgery'),
      person('stf-surg-away', 'physician', 'general-surgery'),
      person('stf-surg-busy', 'physician', 'general-surgery'),
      person('stf-ortho', 'physician', 'orthopaedics'),
      person('stf-anaes', 'physician', 'anaesthesia'),
      person('stf-anaes-busy', 'physician', 'anaesthesia'),
      ...nurses.map((n) => person(`stf-${n}`, 'RN')),
      person('stf-lpn', 'LPN'),
    ]);
  await db.insert(staffSkills).values(
    [...nurses, 'lpn'].map((n) => ({
      id: `skl-${n}`,
      staffId: `stf-${n}`,
      skill: PERIOPERATIVE_SKILL,
      certifiedUntil: n === 'lapsed' ? '2026-03-09' : '2027-12-31',
    })),
  );
  const leave = (staffId: string) => ({
    id: `lv-${staffId}`,
    staffId,
    kind: 'annual' as const,
    startsOn: '2026-03-09',
    endsOn: '2026-03-13',
    status: 'approved' as const,
    createdAt: created,
    decidedBy: 'stf-charge-ms',
  });
  await db.insert(staffLeave).values([leave('stf-surg-away'), leave('stf-away')]);
  const shift = (id: string, staffId: string, unitId: string, startsAt: Date, endsAt: Date) => ({
    id,
    staffId,
    unitId,
    kind: 'day' as const,
    startsAt,
    endsAt,
  });
  await db
    .insert(shifts)
    .values([
      shift('shf-duty', 'stf-duty', 'unit-ms', at(10, 7), at(10, 19)),
      shift('shf-icu', 'stf-icu-shift', 'unit-icu', at(10, 7), at(10, 15)),
      shift('shf-partial', 'stf-partial', 'unit-ms', at(10, 10), at(10, 18)),
      { ...shift('shf-tired', 'stf-tired', 'unit-icu', at(9, 19), at(10, 7)), kind: 'night' as const },
      ...[4, 5, 6, 7, 8].map((d) => shift(`shf-weekly-${d}`, 'stf-weekly', 'unit-icu', at(d, 7), at(d, 19))),
    ]);
  const booking = (
    id: string,
    theatreId: string,
    startsAt: Date,
    endsAt: Date,
    surgeonStaffId: string | null,
  ) => ({
    id,
    theatreId,
    patientId: `pat-${id}`,
    procedure: 'Laparoscopic cholecystectomy',
    surgeonStaffId,
    startsAt,
    endsAt,
    turnoverEndsAt: new Date(endsAt.getTime() + 30 * 60_000),
    createdBy: 'staff:test',
    createdAt: created,
    updatedAt: created,
  });
  await db
    .insert(theatreBookings)
    .values([
      booking(CASE_BOOKING, 'thr-1', CASE_STARTS, CASE_ENDS, 'stf-surg'),
      booking('tb-mon', 'thr-1', at(9, 9), at(9, 11), null),
      booking('tb-other', 'thr-2', at(10, 10), at(10, 12), 'stf-surg-busy'),
      ...Array.from({ length: RACERS }, (_, i) =>
        booking(`tb-race-${i}`, `thr-r${i}`, at(11, 9), new Date(at(11, 10).getTime() + i * 60_000), null),
      ),
    ]);
  const assignment = (
    id: string,
    bookingId: string,
    staffId: string,
    role: 'anaesthetist' | 'scrub-nurse',
  ) => ({
    id,
    subjectId: `sr-${bookingId}`,
    theatreBookingId: bookingId,
    staffId,
    role,
    startsAt: bookingId === 'tb-mon' ? at(9, 9) : at(10, 10),
    endsAt: bookingId === 'tb-mon' ? at(9, 11) : at(10, 12),
    createdBy: 'staff:test',
    createdAt: created,
  });
  await db
    .insert(surgicalTeamAssignments)
    .values([
      assignment('sta-mon', 'tb-mon', 'stf-cases', 'scrub-nurse'),
      assignment('sta-other', 'tb-other', 'stf-anaes-busy', 'anaesthetist'),
    ]);
  await db.insert(surgeryRequests).values({
    id: SUBJECT,
    patientId: 'pat-1',
    procedureCode: PROCEDURE,
    surgeonStaffId: 'stf-surg',
    earliestAt: at(10, 7),
    latestAt: at(10, 19),
    status: 'planning',
    theatreBookingId: CASE_BOOKING,
    createdBy: 'staff:test',
    createdAt: created,
    updatedAt: created,
  });
}
