import { z } from 'zod';
import { allOperations } from '../tools/registry.ts';
import { observationInputSchema } from '../tools/health-data/readings.ts';

const problemRef = { $ref: '#/components/schemas/Problem' };
const errors = {
  '401': {
    description: 'No or unknown API key',
    content: { 'application/problem+json': { schema: problemRef } },
  },
  '403': {
    description: 'The key may not do this',
    content: { 'application/problem+json': { schema: problemRef } },
  },
  '422': {
    description: 'Invalid input; `errors` names each field',
    content: { 'application/problem+json': { schema: problemRef } },
  },
};

function jsonSchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

/** The OpenAPI document, built from the same definitions that serve the routes. */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, unknown> = {
    '/v1/observations': {
      post: {
        summary: 'Post a reading (simple JSON or a FHIR R4 Observation)',
        description:
          'A patient app posts a glucose reading or vital signs. 202 with an escalation id when the reading ' +
          'escalates, 201 when it is only stored. Send an Idempotency-Key: a retry returns the first answer.',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
          },
        ],
        requestBody: {
          content: {
            'application/json': { schema: jsonSchema(observationInputSchema) },
            'application/fhir+json': { schema: { type: 'object', description: 'FHIR R4 Observation' } },
          },
        },
        responses: {
          '201': { description: 'Stored; no escalation' },
          '202': { description: 'Stored; escalation accepted' },
          ...errors,
        },
      },
    },
    '/fhir/Observation': {
      post: {
        summary: 'Create a FHIR R4 Observation (errors as OperationOutcome)',
        responses: { '201': { description: 'Stored' }, '202': { description: 'Escalation accepted' } },
      },
    },
    '/v1/escalations/{id}': {
      get: {
        summary: 'An escalation: status, outcome, steps, messages sent, bed holds',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The escalation' }, '404': { description: 'Unknown' } },
      },
    },
    '/v1/escalations/{id}/events': {
      get: {
        summary: 'Server-sent events: each step of the escalation until its end state',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'text/event-stream' } },
      },
    },
    '/v1/audit': {
      get: {
        summary: 'The audit log (admin key), paged by sequence number',
        responses: { '200': { description: 'Entries and a next link' }, ...errors },
      },
    },
    '/v1/audit/verify': {
      get: {
        summary: 'Verify the hash chain (admin key)',
        responses: { '200': { description: 'intact, or the first bad entry' } },
      },
    },
    '/v1/beds': {
      get: {
        summary:
          'The bed board (staff and admin keys): every bed with status, housekeeping, hold, pending discharge',
        parameters: ['unit', 'status', 'limit', 'cursor'].map((name) => ({
          name,
          in: 'query',
          schema: { type: 'string' },
        })),
        responses: { '200': { description: 'Beds and nextCursor' }, ...errors },
      },
    },
    '/v1/beds/events': {
      get: {
        summary: 'Server-sent events: each change to a bed, with its new board row (Last-Event-ID resumes)',
        parameters: [{ name: 'unit', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'text/event-stream' } },
      },
    },
    '/v1/bed-requests': {
      post: {
        summary:
          'Ask the bed agent for a bed (body as request_bed): 202 and a Location to follow; a repeat answers 200',
        responses: { '202': { description: 'The request, negotiating' }, ...errors },
      },
      get: {
        summary: 'Bed requests, newest first (status, limit)',
        responses: { '200': { description: 'Requests' }, ...errors },
      },
    },
    '/v1/bed-requests/{id}': {
      get: {
        summary: 'A bed request: status, every hold placed, every question asked and answered, options',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The request' }, ...errors },
      },
    },
    '/v1/bed-requests/{id}/cancel': {
      post: {
        summary: 'Cancel a bed request ({ reason }): releases its hold and withdraws its question',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The request, cancelled' }, ...errors },
      },
    },
    '/v1/approvals': {
      get: {
        summary: 'Questions waiting for a charge nurse or bed manager (status, unit, role, limit)',
        responses: { '200': { description: 'Approvals' }, ...errors },
      },
    },
    '/v1/approvals/{id}': {
      get: {
        summary: 'One approval with its question and answer',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The approval' }, ...errors },
      },
      post: {
        summary:
          'Answer: { staffId, decision: accept | decline | counter, reason?, bedId? }; 409 names why a late answer is refused',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The answered approval' }, ...errors },
      },
    },
    '/v1/agents/staffing/ask': {
      post: {
        summary:
          'Ask the staffing agent: { question } → { answer, mode, toolCalls, data }. It answers through the staffing tools with the caller’s key (who can cover a shift, the 7-day demand forecast, on call, shifts needing cover, a roster proposal)',
        responses: { '200': { description: 'The answer and the tool calls behind it' }, ...errors },
      },
    },
    '/v1/theatres': {
      get: {
        summary: 'Operating theatres with their unit, specialty and turnover (specialty filter)',
        parameters: [{ name: 'specialty', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'Theatres' }, ...errors },
      },
    },
    '/v1/theatres/{id}/schedule': {
      get: {
        summary: "A theatre's bookings in a window (from, to, includeCancelled)",
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          ...['from', 'to', 'includeCancelled'].map((name) => ({
            name,
            in: 'query',
            schema: { type: 'string' },
          })),
        ],
        responses: { '200': { description: 'Bookings in time order' }, ...errors },
      },
    },
    '/v1/theatre-slots': {
      get: {
        summary:
          'Earliest free slots of a duration, turnover included (durationMinutes, from, to, theatreId, specialty, limit)',
        parameters: ['durationMinutes', 'from', 'to', 'theatreId', 'specialty', 'limit'].map((name) => ({
          name,
          in: 'query',
          schema: { type: 'string' },
        })),
        responses: { '200': { description: 'Slots' }, ...errors },
      },
    },
    '/v1/theatres/{id}/bookings': {
      post: {
        summary:
          'Book a case (body as book_theatre): 201, or 200 for a retry with the same bookingId; 409 names the clash',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '201': { description: 'The booking' }, ...errors },
      },
    },
    '/v1/theatre-bookings/{id}/cancel': {
      post: {
        summary: 'Cancel a booking ({ reason }); cancelling twice is harmless',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The cancelled booking' }, ...errors },
      },
    },
    '/v1/theatre-bookings/{id}/reschedule': {
      post: {
        summary: 'Move a booking to a new start and/or theatre in one step; a clash changes nothing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The old booking and the new one' }, ...errors },
      },
    },
    '/fhir/Location': {
      get: {
        summary: 'Beds as FHIR R4 Location resources (searchset Bundle; unit, _count)',
        responses: { '200': { description: 'Bundle' } },
      },
    },
    '/fhir/Location/{id}': {
      get: {
        summary: 'One bed (or unit) as a FHIR R4 Location',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'Location' }, '404': { description: 'OperationOutcome' } },
      },
    },
    '/mcp/{module}': {
      post: {
        summary: 'MCP over Streamable HTTP (health-data, beds, staffing)',
        responses: { '200': { description: 'JSON-RPC response' } },
      },
    },
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'ok' } } } },
    '/readyz': {
      get: {
        summary: 'Readiness: database reachable',
        security: [],
        responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
      },
    },
  };
  for (const op of allOperations) {
    if (!op.http) continue;
    paths[`/v1/ops/${op.name}`] = {
      post: {
        operationId: op.name,
        summary: op.title,
        description: `${op.description}\n\nScope: \`${op.scope}\`. Also an MCP tool of the ${op.module} server.`,
        tags: [op.module],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.input) } } },
        responses: {
          '200': {
            description: 'Result',
            content: {
              'application/json': { schema: z.toJSONSchema(op.output, { unrepresentable: 'any' }) },
            },
          },
          ...errors,
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CareBridge API',
      version: '0.1.0',
      description: 'Hospital agent orchestration: readings, escalations, audit and HMS operations.',
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A CareBridge API key' } },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    paths,
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

/** A self-contained docs page (no CDN: hospitals often run without internet access). */
export function docsPage(doc: ReturnType<typeof openApiDocument>): string {
  const sections = Object.entries(doc.paths)
    .flatMap(([path, methods]) =>
      Object.entries(
        methods as Record<string, { summary?: string; description?: string; requestBody?: unknown }>,
      ).map(
        ([method, op]) => `<section><h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary ?? '')}</p>${op.description ? `<p class="d">${escapeHtml(op.description)}</p>` : ''}
${op.requestBody ? `<details><summary>Request schema</summary><pre>${escapeHtml(JSON.stringify(op.requestBody, null, 2))}</pre></details>` : ''}</section>`,
      ),
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CareBridge API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b2733}
h3{margin-bottom:.2rem}code{background:#eef2f6;padding:.1rem .3rem;border-radius:3px}pre{background:#f6f8fa;padding:.8rem;overflow:auto;font-size:12px}
.d{color:#445}section{border-top:1px solid #dde3ea;padding:.5rem 0}</style></head><body>
<h1>CareBridge API</h1><p>${escapeHtml(doc.info.description)} Authenticate with <code>Authorization: Bearer &lt;API key&gt;</code>.
The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
${sections}</body></html>`;
}
