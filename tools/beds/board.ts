import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import {
  bedReservations,
  beds,
  bedStatuses,
  encounters,
  housekeepingStates,
  isolationKinds,
  roomSexPolicies,
  rooms,
  units,
  unitTypes,
} from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';

/** What the board shows as a bed's status: its HL7 v2-0116 code, or `reserved` while a live hold covers it. */
export const boardStatuses = [...bedStatuses, 'reserved'] as const;
export type BoardStatus = (typeof boardStatuses)[number];

export const bedBoardRowSchema = z.object({
  bedId: z.string(),
  label: z.string(),
  unit: z.object({ id: z.string(), name: z.string(), type: z.enum(unitTypes) }),
  room: z.object({ id: z.string(), name: z.string() }),
  attributes: z.object({
    isolation: z.enum(isolationKinds).describe("The room's highest isolation; airborne = negative pressure"),
    negativePressure: z.boolean(),
    telemetry: z.boolean(),
    bariatric: z.boolean(),
    sexPolicy: z.enum(roomSexPolicies),
    specialty: z.string().nullable().describe("The unit's specialty (e.g. cardiology)"),
    ageLimits: z
      .object({ minYears: z.number().int().nullable(), maxYears: z.number().int().nullable() })
      .nullable()
      .describe("The unit's patient age limits, if it has any (a paediatric ward: maxYears 17)"),
  }),
  status: z.enum(boardStatuses).describe('HL7 v2-0116 bed status, or reserved while a live hold exists'),
  operationalStatus: z.enum(bedStatuses).describe('The HL7 v2-0116 code alone (FHIR operationalStatus)'),
  housekeeping: z.enum(housekeepingStates),
  occupantPatientId: z.string().nullable(),
  reservation: z
    .object({
      reservationId: z.string(),
      patientId: z.string(),
      status: z.enum(['held', 'accepted']),
      holdExpiresAt: z.string(),
    })
    .nullable(),
  availableNow: z.boolean().describe('Unoccupied, clean or inspected, and not reserved'),
  pendingDischarge: z
    .object({ encounterId: z.string(), expectedAt: z.string() })
    .nullable()
    .describe("For an occupied bed: when the occupant's discharge is expected, if recorded"),
});
export type BedBoardRow = z.infer<typeof bedBoardRowSchema>;

export interface BoardQuery {
  unit?: string | undefined;
  status?: BoardStatus | undefined;
  bedIds?: readonly string[] | undefined;
  limit: number;
  cursor?: string | undefined;
}

// The cursor names the last bed of the previous page; it is opaque so the order may change later.
export function encodeBoardCursor(lastBedId: string): string {
  return Buffer.from(JSON.stringify({ after: lastBedId })).toString('base64url');
}

function decodeBoardCursor(cursor: string, field: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string' && parsed.after.length > 0) return parsed.after;
  } catch {}
  throw new OperationError('invalid', `${field} is not a cursor this server issued`, [
    { field, message: 'unknown cursor; pass the nextCursor of the previous page' },
  ]);
}

/** One page of the bed board, in bed id order, and the cursor of the next page (null on the last). */
export async function loadBedBoard(
  db: DbOrTx,
  query: BoardQuery,
  now: Date,
  cursorField = 'cursor',
): Promise<{ beds: BedBoardRow[]; nextCursor: string | null }> {
  const nowIso = now.toISOString();
  // A lapsed hold no longer counts, even before the sweeper has marked it expired.
  const liveHold = sql`(r.status = 'accepted' or (r.status = 'held' and r.hold_expires_at > ${nowIso}))`;
  const reservation = sql<{
    reservationId: string;
    patientId: string;
    status: 'held' | 'accepted';
    holdExpiresAt: string;
  } | null>`(select json_build_object('reservationId', r.id, 'patientId', r.patient_id, 'status', r.status,
      'holdExpiresAt', r.hold_expires_at) from ${bedReservations} r where r.bed_id = ${beds.id} and ${liveHold}
      limit 1)`;
  const reserved = sql`exists (select 1 from ${bedReservations} r where r.bed_id = ${beds.id} and ${liveHold})`;
  const filters: SQL[] = [];
  if (query.unit) filters.push(eq(beds.unitId, query.unit));
  if (query.bedIds) filters.push(inArray(beds.id, [...query.bedIds]));
  if (query.cursor) filters.push(gt(beds.id, decodeBoardCursor(query.cursor, cursorField)));
  if (query.status === 'reserved') filters.push(sql`${beds.status} <> 'O' and ${reserved}`);
  else if (query.status === 'U') filters.push(sql`${beds.status} = 'U' and not ${reserved}`);
  else if (query.status) filters.push(eq(beds.status, query.status));

  const rows = await db
    .select({
      bedId: beds.id,
      label: beds.label,
      unitId: units.id,
      unitName: units.name,
      unitType: units.type,
      specialty: units.specialty,
      minAgeYears: units.minAgeYears,
      maxAgeYears: units.maxAgeYears,
      roomId: rooms.id,
      roomName: rooms.name,
      isolation: rooms.isolation,
      sexPolicy: rooms.sexPolicy,
      telemetry: beds.telemetry,
      bariatric: beds.bariatric,
      status: beds.status,
      housekeeping: beds.housekeeping,
      occupantPatientId: beds.occupantPatientId,
      reservation,
      encounterId: encounters.id,
      expectedDischargeAt: encounters.expectedDischargeAt,
    })
    .from(beds)
    .innerJoin(units, eq(units.id, beds.unitId))
    .innerJoin(rooms, eq(rooms.id, beds.roomId))
    // The occupant's in-progress stay in this bed, for its pending discharge.
    .leftJoin(
      encounters,
      and(
        eq(encounters.patientId, beds.occupantPatientId),
        eq(encounters.bedId, beds.id),
        eq(encounters.status, 'in-progress'),
      ),
    )
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(asc(beds.id))
    .limit(query.limit + 1);

  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    beds: page.map((r) => {
      const hold = r.status === 'O' ? null : r.reservation;
      const clean = r.housekeeping === 'clean' || r.housekeeping === 'inspected';
      return {
        bedId: r.bedId,
        label: r.label,
        unit: { id: r.unitId, name: r.unitName, type: r.unitType },
        room: { id: r.roomId, name: r.roomName },
        attributes: {
          isolation: r.isolation,
          negativePressure: r.isolation === 'airborne',
          telemetry: r.telemetry,
          bariatric: r.bariatric,
          sexPolicy: r.sexPolicy,
          specialty: r.specialty,
          ageLimits:
            r.minAgeYears === null && r.maxAgeYears === null
              ? null
              : { minYears: r.minAgeYears, maxYears: r.maxAgeYears },
        },
        status: hold ? 'reserved' : r.status,
        operationalStatus: r.status,
        housekeeping: r.housekeeping,
        occupantPatientId: r.occupantPatientId,
        reservation: hold ? { ...hold, holdExpiresAt: new Date(hold.holdExpiresAt).toISOString() } : null,
        availableNow: r.status === 'U' && clean && !hold,
        pendingDischarge:
          r.status === 'O' && r.encounterId && r.expectedDischargeAt
            ? { encounterId: r.encounterId, expectedAt: r.expectedDischargeAt.toISOString() }
            : null,
      };
    }),
    nextCursor: rows.length > query.limit && last ? encodeBoardCursor(last.bedId) : null,
  };
}
