import { Hono } from 'hono';
import { getBedBoard } from '../../tools/beds/board-operations.ts';
import { loadBedBoard } from '../../tools/beds/board.ts';
import {
  type BedChangeRow,
  currentBedChangeCursor,
  formatBedChangeCursor,
  parseBedChangeCursor,
  readBedChanges,
} from '../../tools/beds/bed-events.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { type AppDeps, type AppEnv, operationContext, requireRole } from '../context.ts';
import { errorResponse } from '../problem.ts';
import { type PollOptions, pollingStream } from '../sse.ts';
import { fhirLocationRoutes } from './fhir-location.ts';

/** The query string as the operation's input: numbers parsed, so a bad one is named by the schema. */
function boardInput(query: Record<string, string>) {
  return {
    unit: query.unit || undefined,
    status: query.status || undefined,
    limit: query.limit === undefined ? undefined : Number(query.limit),
    cursor: query.cursor || undefined,
  };
}

/** The changes of one poll, one per bed (its last), in the order of each bed's last change. */
function lastChangePerBed(changes: readonly BedChangeRow[]) {
  const byBed = new Map<string, { last: BedChangeRow; changes: string[] }>();
  for (const change of changes) {
    const seen = byBed.get(change.bedId);
    byBed.delete(change.bedId);
    byBed.set(change.bedId, { last: change, changes: [...(seen?.changes ?? []), change.change] });
  }
  return [...byBed.values()];
}

/**
 * The bed board for bed managers and charge nurses: GET /v1/beds (one page, the get_bed_board
 * operation) and GET /v1/beds/events (server-sent events, one per changed bed with its new board
 * row). Staff and admin keys only; the FHIR Location view of the same beds is mounted here too.
 */
export function bedRoutes(deps: AppDeps, opts: PollOptions = {}) {
  const app = new Hono<AppEnv>();
  const db = deps.database.db;
  app.use('/v1/beds', requireRole('staff', 'admin'));
  app.use('/v1/beds/*', requireRole('staff', 'admin'));

  app.get('/v1/beds', async (c) => {
    try {
      const ctx = operationContext(deps, c.get('actor'));
      return c.json((await invokeOperation(getBedBoard, boardInput(c.req.query()), ctx)) as object);
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  /**
   * Each event is `bed` with id `<txid>-<eventId>`: send it back as Last-Event-ID to resume after it.
   * Without one the stream starts at the current head. `?unit=` keeps one unit's beds.
   */
  app.get('/v1/beds/events', async (c) => {
    const unit = c.req.query('unit') || undefined;
    let cursor: Awaited<ReturnType<typeof currentBedChangeCursor>>;
    try {
      cursor = parseBedChangeCursor(c.req.header('last-event-id')) ?? (await currentBedChangeCursor(db));
    } catch (err) {
      return errorResponse(c, err);
    }
    return pollingStream(c, opts, async (stream) => {
      const fresh = await readBedChanges(db, cursor);
      if (fresh.length === 0) return 'idle';
      const perBed = lastChangePerBed(fresh);
      const { beds } = await loadBedBoard(
        db,
        { bedIds: perBed.map((b) => b.last.bedId), limit: perBed.length },
        deps.clock.now(),
      );
      const rows = new Map(beds.map((b) => [b.bedId, b]));
      for (const { last, changes } of perBed) {
        const bed = rows.get(last.bedId) ?? null;
        if (unit && bed?.unit.id !== unit) continue;
        await stream.writeSSE({
          id: formatBedChangeCursor(last),
          event: 'bed',
          data: JSON.stringify({ bedId: last.bedId, changes, at: last.at.toISOString(), bed }),
        });
      }
      cursor = fresh.at(-1)!;
      return 'sent';
    });
  });

  app.route('/', fhirLocationRoutes(deps));
  return app;
}
