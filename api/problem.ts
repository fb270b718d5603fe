import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCode, type FieldIssue, httpStatusOf, OperationError } from '../tools/core/errors.ts';

const titles: Record<ErrorCode, string> = {
  invalid: 'Invalid request',
  not_found: 'Not found',
  conflict: 'Conflict',
  forbidden: 'Forbidden',
  unauthorized: 'Unauthorized',
  unavailable: 'Service unavailable',
};

/** RFC 9457 problem details; `errors` names each bad field. */
export function problem(c: Context, code: ErrorCode, detail: string, errors: FieldIssue[] = []) {
  const status = httpStatusOf[code] as ContentfulStatusCode;
  return c.body(
    JSON.stringify({
      type: `https://carebridge.dev/problems/${code}`,
      title: titles[code],
      status,
      detail,
      errors,
    }),
    status,
    { 'content-type': 'application/problem+json' },
  );
}

/** FHIR R4 OperationOutcome for FHIR endpoints and FHIR bodies. */
export function operationOutcome(err: OperationError) {
  const fhirCode: Record<ErrorCode, string> = {
    invalid: 'invalid',
    not_found: 'not-found',
    conflict: 'conflict',
    forbidden: 'forbidden',
    unauthorized: 'login',
    unavailable: 'transient',
  };
  const issues = err.issues.length > 0 ? err.issues : [{ field: '', message: err.message }];
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: 'error',
      code: fhirCode[err.code],
      diagnostics: i.message,
      ...(i.field ? { expression: [i.field] } : {}),
    })),
  };
}

export function errorResponse(c: Context, err: unknown, fhir = false) {
  if (err instanceof OperationError) {
    if (fhir) {
      return c.body(JSON.stringify(operationOutcome(err)), httpStatusOf[err.code] as ContentfulStatusCode, {
        'content-type': 'application/fhir+json',
      });
    }
    return problem(c, err.code, err.message, err.issues);
  }
  // Database and library details go to the log, never to the caller.
  console.error('[api] unexpected error', err);
  return c.body(
    JSON.stringify({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred',
    }),
    500,
    { 'content-type': 'application/problem+json' },
  );
}
