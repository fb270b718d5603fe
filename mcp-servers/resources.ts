/**
 * MCP resources: things a client can attach as context (a unit's bed board, a claim), addressed by
 * URI templates (modelcontextprotocol.io/specification/2025-06-18/server/resources). Each is read
 * through the same operations as the tools, with the caller's context, so the scopes and patient
 * binding are the same; a refused read is an MCP error that says why.
 */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type Resource } from '@modelcontextprotocol/sdk/types.js';
import { OperationError } from '../tools/core/errors.ts';
import { invokeOperation, type OperationContext } from '../tools/core/operation.ts';
import { allOperations, type ServedModule } from '../tools/registry.ts';
import { argsHash, defaultPageLimits, type PageLimits, pageOf } from './paging.ts';

/** Resources a list offers per template: enough to pick from, never a flood. */
const LIST_CAP = 50;

/** -32002 is the spec's "resource not found". */
const RESOURCE_NOT_FOUND = -32002;

type Json = Record<string, unknown>;

function run(tool: string, args: Json, ctx: OperationContext): Promise<Json> {
  const op = allOperations.find((o) => o.name === tool);
  if (!op) throw new Error(`no operation ${tool}`);
  return invokeOperation(op, args, ctx) as Promise<Json>;
}

function mcpErrorOf(err: unknown, uri: string): McpError {
  if (!(err instanceof OperationError)) {
    return new McpError(ErrorCode.InternalError, `internal error reading ${uri}`);
  }
  const text = `${err.code}: ${err.message}`;
  if (err.code === 'not_found') return new McpError(RESOURCE_NOT_FOUND, text, { uri });
  if (err.code === 'invalid') return new McpError(ErrorCode.InvalidParams, text, { uri, issues: err.issues });
  return new McpError(ErrorCode.InvalidRequest, text, { uri });
}

interface ResourceDefinition {
  name: string;
  module: ServedModule;
  template: string;
  title: string;
  description: string;
  read(vars: Record<string, string>, ctx: OperationContext): Promise<Json>;
  /** Concrete resources to offer in resources/list; absent when nothing is worth listing. */
  list?(ctx: OperationContext): Promise<Resource[]>;
}

type BoardRow = { unit: { id: string; name: string }; status: string; pendingDischarge: unknown };

async function unitsOnBoard(ctx: OperationContext): Promise<{ id: string; name: string }[]> {
  const { beds } = (await run('get_bed_board', { limit: 500 }, ctx)) as { beds: BoardRow[] };
  return [...new Map(beds.map((b) => [b.unit.id, b.unit])).values()];
}

/** A unit's census from its bed board: one read, counted the way the board shows it. */
async function unitCensus(unitId: string, ctx: OperationContext): Promise<Json> {
  const { beds } = (await run('get_bed_board', { unit: unitId, limit: 500 }, ctx)) as { beds: BoardRow[] };
  if (beds.length === 0) {
    throw new OperationError('not_found', `No beds in unit ${unitId}`, [
      { field: 'unitId', message: 'unknown unit' },
    ]);
  }
  const byStatus: Record<string, number> = {};
  for (const bed of beds) byStatus[bed.status] = (byStatus[bed.status] ?? 0) + 1;
  const occupied = byStatus.O ?? 0;
  return {
    unit: beds[0]?.unit,
    beds: beds.length,
    occupied,
    available: byStatus.U ?? 0,
    reserved: byStatus.reserved ?? 0,
    byStatus,
    pendingDischarges: beds.filter((b) => b.pendingDischarge !== null).length,
    occupancy: Math.round((occupied / beds.length) * 1000) / 1000,
    at: ctx.clock.now().toISOString(),
  };
}

const unitResources = (units: { id: string; name: string }[], uri: (id: string) => string, what: string) =>
  units
    .slice(0, LIST_CAP)
    .map((u) => ({ uri: uri(u.id), name: `${u.name} ${what}`, mimeType: 'application/json' }));

export const resourceDefinitions: readonly ResourceDefinition[] = [
  {
    name: 'bed-board',
    module: 'beds',
    template: 'carebridge://beds/units/{unitId}/board',
    title: "A unit's bed board",
    description:
      'Every bed of one unit with its status, housekeeping, occupant, hold and expected discharge.',
    read: ({ unitId = '' }, ctx) => run('get_bed_board', { unit: unitId, limit: 500 }, ctx),
    list: async (ctx) =>
      unitResources(await unitsOnBoard(ctx), (id) => `carebridge://beds/units/${id}/board`, 'bed board'),
  },
  {
    name: 'unit-census',
    module: 'beds',
    template: 'carebridge://beds/units/{unitId}/census',
    title: "A unit's census",
    description:
      'Beds, occupied, available and reserved now, counts by HL7 v2-0116 status and pending discharges.',
    read: ({ unitId = '' }, ctx) => unitCensus(unitId, ctx),
    list: async (ctx) =>
      unitResources(await unitsOnBoard(ctx), (id) => `carebridge://beds/units/${id}/census`, 'census'),
  },
  {
    name: 'unit-roster-today',
    module: 'staffing',
    template: 'carebridge://staffing/units/{unitId}/roster/today',
    title: "Today's staffing of a unit",
    description:
      "Today's day, evening and night shifts still to come in one unit: expected census, the nurses the " +
      'ratio requires, who is scheduled by role, and every gap with its rule (forecast_staffing_demand).',
    read: ({ unitId = '' }, ctx) => run('forecast_staffing_demand', { unitId, days: 1 }, ctx),
    list: async (ctx) => {
      const { shifts } = (await run('forecast_staffing_demand', { days: 1 }, ctx)) as {
        shifts: { unitId: string; unitName: string }[];
      };
      const units = [...new Map(shifts.map((s) => [s.unitId, { id: s.unitId, name: s.unitName }])).values()];
      return unitResources(units, (id) => `carebridge://staffing/units/${id}/roster/today`, 'staffing today');
    },
  },
  {
    name: 'claim',
    module: 'revenue',
    template: 'carebridge://revenue/claims/{claimId}',
    title: 'A claim',
    description: 'One claim in full: document, status, last scrub, changes, open question and payments.',
    read: ({ claimId = '' }, ctx) => run('get_claim', { claimId }, ctx),
    list: async (ctx) => {
      const { claims } = (await run('list_claims', { limit: 20 }, ctx)) as {
        claims: { id: string; status: string }[];
      };
      return claims.map((c) => ({
        uri: `carebridge://revenue/claims/${c.id}`,
        name: `Claim ${c.id} (${c.status})`,
        mimeType: 'application/json',
      }));
    },
  },
  {
    name: 'escalation',
    module: 'health-data',
    template: 'carebridge://escalations/{escalationId}',
    title: 'An escalation',
    description: 'One escalation with its screen, the patient, the reading and where the patient is.',
    read: ({ escalationId = '' }, ctx) => run('get_triage_context', { escalationId }, ctx),
  },
];

/** The resources of the served modules, each read with the caller's context and capped like a tool. */
export function registerResources(
  server: McpServer,
  modules: readonly ServedModule[],
  context: () => OperationContext,
  limits: PageLimits = defaultPageLimits,
): void {
  for (const def of resourceDefinitions) {
    if (!modules.includes(def.module)) continue;
    const { list } = def;
    const template = new ResourceTemplate(def.template, {
      // A list the caller may not read lists nothing; reading one names the missing scope.
      list: list ? async () => ({ resources: await list(context()).catch(() => []) }) : undefined,
    });
    server.registerResource(
      def.name,
      template,
      { title: def.title, description: def.description, mimeType: 'application/json' },
      async (uri, variables) => {
        const vars = Object.fromEntries(
          Object.entries(variables).map(([k, v]) => [
            k,
            decodeURIComponent(Array.isArray(v) ? (v[0] ?? '') : v),
          ]),
        );
        let value: Json;
        try {
          value = await def.read(vars, context());
        } catch (err) {
          throw mcpErrorOf(err, uri.href);
        }
        const { result, page } = pageOf(value, 0, argsHash(def.name, vars), limits);
        return {
          contents: [
            {
              uri: uri.href,
              mimeType: 'application/json',
              text: JSON.stringify(result),
              // Resources take no cursor: the rest is a tool call away.
              ...(page ? { _meta: { 'carebridge/page': { ...page, nextCursor: null } } } : {}),
            },
          ],
        };
      },
    );
  }
}
