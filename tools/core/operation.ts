import { ZodObject, type z } from 'zod';
import type { Database, Tx } from '../../db/client.ts';
import { appendAudit } from '../audit/chain.ts';
import { type Actor, hasScope } from './actor.ts';
import type { Clock } from './clock.ts';
import { invalidInput, OperationError } from './errors.ts';

export type ModuleName = 'health-data' | 'beds' | 'staffing' | 'revenue' | 'inventory' | 'surgery' | 'audit';

export interface OperationContext {
  database: Database;
  clock: Clock;
  actor: Actor;
  /** The patient or person the actor works for (an agent acting on a patient's alert). */
  onBehalfOf?: string | undefined;
  agentRunId?: string | undefined;
  /** Reports how far a long operation is (an MCP progress notification when the caller asked for it). */
  progress?: (done: number, total?: number, message?: string) => void;
  /** Aborted when the caller cancels: a long operation stops and writes nothing. */
  signal?: AbortSignal;
}

/**
 * One HMS operation, defined once. The MCP servers, the agents' LangChain tools, the HTTP routes
 * and the docs are all derived from this definition.
 */
export interface Operation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** snake_case, unique across modules: the MCP tool name. */
  name: string;
  module: ModuleName;
  title: string;
  /** Written for the model that will choose the tool: what it does, when to use it, what it returns. */
  description: string;
  input: I;
  output: O;
  scope: string;
  /** read: no state change; write: changes state, reversible; critical: changes care or money. */
  risk: 'read' | 'write' | 'critical';
  /** Calling twice with the same input has the same effect as once. */
  idempotent: boolean;
  /** When set, the operation is also an HTTP route under /v1/ops. */
  http?: { method: 'GET' | 'POST' };
  handler(input: z.infer<I>, ctx: OperationContext): Promise<z.infer<O>>;
}

export function defineOperation<I extends z.ZodType, O extends z.ZodType>(
  op: Operation<I, O>,
): Operation<I, O> {
  // An argument the operation does not know is refused, not dropped: a misspelt filter (`unitId` for
  // `unit`) would otherwise widen a read or a write without a word.
  if (op.input instanceof ZodObject && op.input.def.catchall === undefined) {
    return { ...op, input: op.input.strict() as unknown as I };
  }
  return op;
}

/** Any operation, for registries that hold operations of different shapes. */
// biome-ignore lint/suspicious/noExplicitAny: registries erase each operation's own schema types.
export type AnyOperation = Operation<any, any>;

/**
 * Runs an operation the way every boundary must: checks the scope, parses the input, runs the
 * handler and checks that the output matches the declared schema.
 */
export async function invokeOperation(
  op: AnyOperation,
  rawInput: unknown,
  ctx: OperationContext,
): Promise<unknown> {
  if (!hasScope(ctx.actor, op.scope)) {
    throw new OperationError(
      'forbidden',
      `${ctx.actor.id} lacks the scope ${op.scope} that ${op.name} requires`,
    );
  }
  const parsed = op.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw invalidInput(parsed.error, `input to ${op.name}`);
  const result = await op.handler(parsed.data, ctx);
  const checked = op.output.safeParse(result);
  if (!checked.success) throw invalidInput(checked.error, `output of ${op.name} (a server fault)`);
  return checked.data;
}

/**
 * The one way an operation changes state: the change and its audit entry commit in one
 * transaction, or neither does.
 */
export async function auditedWrite<T>(
  ctx: OperationContext,
  tool: string,
  input: unknown,
  change: (tx: Tx) => Promise<T>,
  /** A sweep that changed nothing leaves no entry; anything that changed state always does. */
  changedState: (outcome: T) => boolean = () => true,
): Promise<T> {
  return ctx.database.db.transaction(async (tx) => {
    const outcome = await change(tx);
    if (!changedState(outcome)) return outcome;
    await appendAudit(tx, {
      at: ctx.clock.now(),
      actor: ctx.actor.id,
      onBehalfOf: ctx.onBehalfOf,
      agentRunId: ctx.agentRunId,
      tool,
      input,
      outcome,
      status: 'ok',
    });
    return outcome;
  });
}

/** Patient-scoped actors may only touch their own patient. */
export function assertPatientAccess(ctx: OperationContext, patientId: string): void {
  const bound = ctx.actor.patientId;
  if (bound !== undefined && bound !== patientId) {
    throw new OperationError(
      'forbidden',
      `${ctx.actor.id} may act only for patient ${bound}, not ${patientId}`,
      [{ field: 'patientId', message: `this key is bound to patient ${bound}` }],
    );
  }
}
