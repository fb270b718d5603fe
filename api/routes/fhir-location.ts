import { eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { units } from '../../db/schema/index.ts';
import type { BedStatus } from '../../db/schema/hospital.ts';
import { type BedBoardRow, loadBedBoard } from '../../tools/beds/board.ts';
import { invalidInput, OperationError } from '../../tools/core/errors.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { errorResponse } from '../problem.ts';

const PHYSICAL_TYPE = 'http://terminology.hl7.org/CodeSystem/location-physical-type';
const BED_STATUS = 'http://terminology.hl7.org/CodeSystem/v2-0116';
export const BED_RESERVED_URL = 'https://carebridge.dev/fhir/StructureDefinition/bed-reserved';
export const BED_RESERVED_UNTIL_URL = 'https://carebridge.dev/fhir/StructureDefinition/bed-reserved-until';

// HL7 v2 table 0116 (Bed Status) displays, as terminology.hl7.org publishes them.
const bedStatusDisplay: Record<BedStatus, string> = {
  C: 'Closed',
  H: 'Housekeeping',
  I: 'Isolated',
  K: 'Contaminated',
  O: 'Occupied',
  U: 'Unoccupied',
};

/** A bed as a FHIR R4 Location (physicalType bd), part of its unit's Location. */
export function bedLocation(bed: BedBoardRow) {
  return {
    resourceType: 'Location',
    id: bed.bedId,
    // A value[x] and nested extensions cannot share one extension (ext-1), so the hold's expiry is a
    // sibling extension rather than part of bed-reserved.
    ...(bed.reservation
      ? {
          extension: [
            { url: BED_RESERVED_URL, valueBoolean: true },
            { url: BED_RESERVED_UNTIL_URL, valueDateTime: bed.reservation.holdExpiresAt },
          ],
        }
      : {}),
    status: bed.operationalStatus === 'C' ? 'suspended' : 'active',
    operationalStatus: {
      system: BED_STATUS,
      code: bed.operationalStatus,
      display: bedStatusDisplay[bed.operationalStatus],
    },
    name: `${bed.unit.name} ${bed.label}`,
    mode: 'instance',
    physicalType: { coding: [{ system: PHYSICAL_TYPE, code: 'bd', display: 'Bed' }] },
    partOf: { reference: `Location/${bed.unit.id}`, display: bed.unit.name },
  };
}

/** A unit as the ward Location its beds are part of. */
function unitLocation(unit: typeof units.$inferSelect) {
  return {
    resourceType: 'Location',
    id: unit.id,
    status: 'active',
    name: unit.name,
    mode: 'instance',
    physicalType: { coding: [{ system: PHYSICAL_TYPE, code: 'wa', display: 'Ward' }] },
  };
}

const searchQuery = z.object({
  unit: z.string().min(1).optional(),
  _count: z.coerce.number().int().min(1).max(500).default(100),
  _cursor: z.string().min(1).optional(),
});

function fhirJson(c: Context, body: unknown, status: 200 = 200) {
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/fhir+json' });
}

function staffOnly(c: Context<AppEnv>) {
  const actor = c.get('actor');
  if (actor.kind !== 'staff' && actor.kind !== 'admin') {
    throw new OperationError(
      'forbidden',
      `Bed Locations need a staff or admin key; this key is ${actor.kind}`,
    );
  }
}

/** GET /fhir/Location/{id} (a bed, or the unit beds are part of) and GET /fhir/Location?unit=&_count=. */
export function fhirLocationRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const db = deps.database.db;

  app.get('/fhir/Location/:id', async (c) => {
    try {
      staffOnly(c);
      const id = c.req.param('id');
      const { beds } = await loadBedBoard(db, { bedIds: [id], limit: 1 }, deps.clock.now());
      if (beds[0]) return fhirJson(c, bedLocation(beds[0]));
      const [unit] = await db.select().from(units).where(eq(units.id, id));
      if (unit) return fhirJson(c, unitLocation(unit));
      throw new OperationError('not_found', `No Location ${id}`, [
        { field: 'Location.id', message: `no bed or unit ${id}` },
      ]);
    } catch (err) {
      return errorResponse(c, err, true);
    }
  });

  app.get('/fhir/Location', async (c) => {
    try {
      staffOnly(c);
      const q = searchQuery.safeParse(c.req.query());
      if (!q.success) throw invalidInput(q.error, 'search parameters');
      const { beds, nextCursor } = await loadBedBoard(
        db,
        { unit: q.data.unit, limit: q.data._count, cursor: q.data._cursor },
        deps.clock.now(),
        '_cursor',
      );
      const self = new URL(c.req.url);
      const link = [{ relation: 'self', url: self.toString() }];
      if (nextCursor) {
        const next = new URL(self);
        next.searchParams.set('_cursor', nextCursor);
        link.push({ relation: 'next', url: next.toString() });
      }
      return fhirJson(c, {
        resourceType: 'Bundle',
        type: 'searchset',
        link,
        entry: beds.map((bed) => ({
          fullUrl: `${self.origin}/fhir/Location/${bed.bedId}`,
          resource: bedLocation(bed),
          search: { mode: 'match' },
        })),
      });
    } catch (err) {
      return errorResponse(c, err, true);
    }
  });
  return app;
}
