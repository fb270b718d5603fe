import type { z } from 'zod';

export type ErrorCode = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'unavailable';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `components.0.value`; empty for the whole input. */
  field: string;
  message: string;
}

/**
 * The one error type operations throw. Each boundary renders it its own way (problem+json,
 * FHIR OperationOutcome, MCP tool error) from the same code, message and field issues.
 */
export class OperationError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  constructor(code: ErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'OperationError';
    this.code = code;
    this.issues = issues;
  }
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

export function issuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((i) =>
    // An unknown key is named as the field at fault, so a caller sees which argument to drop or respell.
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ field: fieldPath([...i.path, key]), message: 'is not a known field' }))
      : [{ field: fieldPath(i.path), message: i.message }],
  );
}

/** One readable sentence naming every bad field: what a person or a model needs to fix the call. */
export function invalidInput(error: z.ZodError, what = 'input'): OperationError {
  const issues = issuesFromZod(error);
  const text = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
  return new OperationError('invalid', `Invalid ${what}: ${text}`, issues);
}

export const httpStatusOf: Record<ErrorCode, number> = {
  invalid: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  unavailable: 503,
};
