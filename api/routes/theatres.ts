import { type Context, Hono } from 'hono';
import { OperationError } from '../../tools/core/errors.ts';
import { type AnyOperation, invokeOperation } from '../../tools/core/operation.ts';
import {
  bookTheatre,
  cancelTheatreBooking,
  findTheatreSlots,
  getTheatreSchedule,
  listTheatres,
  rescheduleTheatreBooking,
} from '../../tools/beds/theatre-operations.ts';
import { type AppDeps, type AppEnv, operationContext } from '../context.ts';
import { errorResponse } from '../problem.ts';

/** A JSON object body, or an invalid-input error: the path's id is merged into it. */
async function objectBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new OperationError('invalid', 'The request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new OperationError('invalid', 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Query strings as the operation's input: numbers and booleans parsed, so a bad one is named by the schema. */
const numberParam = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
const booleanParam = (v: string | undefined) =>
  v === undefined || v === '' ? undefined : v === 'true' ? true : v === 'false' ? false : v;
const textParam = (v: string | undefined) => v || undefined;

/**
 * Operating theatres as REST resources over the theatre operations (the same operations are MCP tools
 * and POST /v1/ops/<name>): list, schedule, free slots, book, cancel, reschedule. The operations
 * check the scopes (beds:read to look, beds:write to book) and validate every field.
 */
export function theatreRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const run = async (c: Context<AppEnv>, op: AnyOperation, input: () => Promise<unknown> | unknown) => {
    try {
      const ctx = operationContext(deps, c.get('actor'));
      return (await invokeOperation(op, await input(), ctx)) as Record<string, unknown>;
    } catch (err) {
      return errorResponse(c, err);
    }
  };
  const answer = (c: Context<AppEnv>, out: Record<string, unknown> | Response, status: 200 | 201 = 200) =>
    out instanceof Response ? out : c.json(out, status);

  app.get('/v1/theatres', async (c) =>
    answer(c, await run(c, listTheatres, () => ({ specialty: textParam(c.req.query('specialty')) }))),
  );

  app.get('/v1/theatres/:id/schedule', async (c) =>
    answer(
      c,
      await run(c, getTheatreSchedule, () => ({
        theatreId: c.req.param('id'),
        from: textParam(c.req.query('from')),
        to: textParam(c.req.query('to')),
        includeCancelled: booleanParam(c.req.query('includeCancelled')),
      })),
    ),
  );

  /** Free slots with the default session hours; POST /v1/ops/find_theatre_slots takes other hours. */
  app.get('/v1/theatre-slots', async (c) =>
    answer(
      c,
      await run(c, findTheatreSlots, () => ({
        durationMinutes: numberParam(c.req.query('durationMinutes')),
        from: textParam(c.req.query('from')),
        to: textParam(c.req.query('to')),
        theatreId: textParam(c.req.query('theatreId')),
        specialty: textParam(c.req.query('specialty')),
        limit: numberParam(c.req.query('limit')),
      })),
    ),
  );

  /** 201 for a new booking; 200 when a retry with the same bookingId returns the one already made. */
  app.post('/v1/theatres/:id/bookings', async (c) => {
    const out = await run(c, bookTheatre, async () => ({
      ...(await objectBody(c)),
      theatreId: c.req.param('id'),
    }));
    return answer(c, out, out instanceof Response || out.replayed ? 200 : 201);
  });

  app.post('/v1/theatre-bookings/:id/cancel', async (c) =>
    answer(
      c,
      await run(c, cancelTheatreBooking, async () => ({
        ...(await objectBody(c)),
        bookingId: c.req.param('id'),
      })),
    ),
  );

  app.post('/v1/theatre-bookings/:id/reschedule', async (c) =>
    answer(
      c,
      await run(c, rescheduleTheatreBooking, async () => ({
        ...(await objectBody(c)),
        bookingId: c.req.param('id'),
      })),
    ),
  );

  return app;
}
