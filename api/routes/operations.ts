import { Hono } from 'hono';
import { invokeOperation } from '../../tools/core/operation.ts';
import { OperationError } from '../../tools/core/errors.ts';
import { allOperations } from '../../tools/registry.ts';
import { type AppDeps, type AppEnv, operationContext } from '../context.ts';
import { errorResponse } from '../problem.ts';

/** POST /v1/ops/<name> for every operation that declares an HTTP route: derived, never written by hand. */
export function operationRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  for (const op of allOperations) {
    if (!op.http) continue;
    app.post(`/v1/ops/${op.name}`, async (c) => {
      try {
        let body: unknown;
        try {
          body = await c.req.json();
        } catch {
          throw new OperationError('invalid', 'The request body is not valid JSON');
        }
        return c.json((await invokeOperation(op, body, operationContext(deps, c.get('actor')))) as object);
      } catch (err) {
        return errorResponse(c, err);
      }
    });
  }
  return app;
}
