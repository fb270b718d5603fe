import { Hono } from 'hono';
import {
  answerApproval,
  closeBedRequest,
  getApproval,
  getBedRequest,
  listApprovals,
  listBedRequests,
  requestBed,
} from '../../tools/beds/negotiation-operations.ts';
import type { BedRequestView } from '../../tools/beds/schema.ts';
import { type AnyOperation, invokeOperation } from '../../tools/core/operation.ts';
import { type AppDeps, type AppEnv, operationContext, requireRole } from '../context.ts';
import { errorResponse, problem } from '../problem.ts';

/** A JSON body, or null when there is none or it is not JSON (the operation then names what is missing). */
async function jsonBody(req: Request): Promise<Record<string, unknown> | null> {
  try {
    const body = await req.json();
    return body && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const limitOf = (q: string | undefined) => (q === undefined ? undefined : Number(q));

/**
 * Bed requests and the questions the bed agent puts to people. POST /v1/bed-requests starts a
 * negotiation (202, follow the Location); GET /v1/approvals lists what waits for a charge nurse or bed
 * manager; POST /v1/approvals/{id} answers (accept, decline with a reason, counter-offer a bed), which
 * wakes the agent. Staff and admin keys only.
 */
export function approvalRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  for (const path of ['/v1/approvals', '/v1/approvals/*', '/v1/bed-requests', '/v1/bed-requests/*']) {
    app.use(path, requireRole('staff', 'admin'));
  }
  const run = (op: AnyOperation, input: unknown, c: { get(k: 'actor'): AppEnv['Variables']['actor'] }) =>
    invokeOperation(op, input, operationContext(deps, c.get('actor')));

  app.get('/v1/approvals', async (c) => {
    try {
      const q = c.req.query();
      return c.json(
        (await run(
          listApprovals,
          {
            status: q.status || undefined,
            unitId: q.unit || undefined,
            assigneeRole: q.role || undefined,
            limit: limitOf(q.limit),
          },
          c,
        )) as object,
      );
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  app.get('/v1/approvals/:id', async (c) => {
    try {
      return c.json((await run(getApproval, { approvalId: c.req.param('id') }, c)) as object);
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  app.post('/v1/approvals/:id', async (c) => {
    const body = await jsonBody(c.req.raw);
    if (!body)
      return problem(c, 'invalid', 'The body must be a JSON object: { staffId, decision, reason?, bedId? }');
    try {
      return c.json((await run(answerApproval, { ...body, approvalId: c.req.param('id') }, c)) as object);
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  app.post('/v1/bed-requests', async (c) => {
    const body = await jsonBody(c.req.raw);
    if (!body) return problem(c, 'invalid', 'The body must be a JSON object (see request_bed in /docs)');
    try {
      const request = (await run(requestBed, body, c)) as BedRequestView;
      c.header('location', `/v1/bed-requests/${request.requestId}`);
      return c.json(request, request.replayed ? 200 : 202);
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  app.get('/v1/bed-requests', async (c) => {
    try {
      const q = c.req.query();
      return c.json(
        (await run(listBedRequests, { status: q.status || undefined, limit: limitOf(q.limit) }, c)) as object,
      );
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  app.get('/v1/bed-requests/:id', async (c) => {
    try {
      return c.json((await run(getBedRequest, { requestId: c.req.param('id') }, c)) as object);
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  app.post('/v1/bed-requests/:id/cancel', async (c) => {
    const body = (await jsonBody(c.req.raw)) ?? {};
    if (typeof body.reason !== 'string') {
      return problem(c, 'invalid', 'Say why the bed is no longer needed: { "reason": "..." }', [
        { field: 'reason', message: 'required' },
      ]);
    }
    try {
      const input = { requestId: c.req.param('id'), status: 'cancelled', outcome: body.reason };
      return c.json((await run(closeBedRequest, input, c)) as object);
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  return app;
}
