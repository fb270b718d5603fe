import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { deterioratingVitals } from '../fixtures.ts';
import type { AnyOperation } from '../../tools/core/operation.ts';
import { callTool, toolText } from '../mcp.ts';

const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/**
 * Arguments the mini hospital (test/fixtures.ts) makes valid. Every other tool is called with `{}`:
 * a tool whose inputs are all optional must then answer by its output schema, any other must refuse,
 * naming a field it needs.
 */
export const validArguments: Record<string, Record<string, unknown>> = {
  score_news2: { ...deterioratingVitals },
  on_call_now: { specialty: 'endocrinology' },
  find_candidate_beds: {
    need: { unitTypes: ['med-surg'], isolation: 'none', telemetry: false, bariatric: false, sex: 'male' },
  },
  get_staff: { staffId: 'stf-nurse' },
  // Union inputs: zod reports a missing branch without a field, so these get a whole valid shape.
  find_cover_candidates: { unitId: 'unit-ms', day: tomorrow, kind: 'night', role: 'RN' },
  request_cover: { unitId: 'unit-ms', day: tomorrow, kind: 'night', role: 'RN' },
  list_audit_entries: { limit: 5 },
  get_audit_entry: { seq: 1 },
};

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
}

/** A value of the wrong JSON type for a property: what a confused client might send. */
function wrongTypeFor(schema: JsonSchema): unknown {
  const types = [schema.type ?? [], ...(schema.anyOf ?? []).map((s) => s.type ?? [])].flat();
  if (types.includes('string')) return { not: 'a string' };
  return 'not-the-right-type';
}

/** The first property of a tool's input, with a value it must refuse; null when it takes nothing. */
export function badArgumentFor(
  inputSchema: JsonSchema,
): { field: string; args: Record<string, unknown> } | null {
  const [field, schema] = Object.entries(inputSchema.properties ?? {})[0] ?? [];
  if (!field || !schema) return null;
  return { field, args: { [field]: wrongTypeFor(schema) } };
}

export interface ToolOutcome {
  tool: string;
  called: Record<string, unknown>;
  ok: boolean;
  text: string;
  result: CallToolResult;
}

export async function callEveryTool(client: Client, ops: readonly AnyOperation[]): Promise<ToolOutcome[]> {
  const outcomes: ToolOutcome[] = [];
  for (const op of ops) {
    const called = validArguments[op.name] ?? {};
    const result = await callTool(client, op.name, called);
    outcomes.push({ tool: op.name, called, ok: !result.isError, text: toolText(result), result });
  }
  return outcomes;
}
