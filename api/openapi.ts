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
