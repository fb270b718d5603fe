import { Hono } from 'hono';
import { invokeOperation } from '../../tools/core/operation.ts';
import { exportPayrollCsv } from '../../tools/staffing/payroll-operations.ts';
import { type AppDeps, type AppEnv, operationContext, requireRole } from '../context.ts';
import { errorResponse } from '../problem.ts';

/** Query strings as the operation's input: a number where one is expected, so the schema names a bad one. */
const numberParam = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
const textParam = (v: string | undefined) => v || undefined;

/**
 * GET /v1/payroll.csv?start=YYYY-MM-DD&days=7|14[&unitId=][&staffId=]: the export_payroll_csv operation
 * as a file, for admins only (pay is confidential; staff keys get 403 before anything is read).
 */
export function payrollRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('/v1/payroll.csv', requireRole('admin'));
  app.get('/v1/payroll.csv', async (c) => {
    try {
      const input = {
        start: c.req.query('start'),
        days: numberParam(c.req.query('days')),
        unitId: textParam(c.req.query('unitId')),
        staffId: textParam(c.req.query('staffId')),
      };
      const out = (await invokeOperation(
        exportPayrollCsv,
        input,
        operationContext(deps, c.get('actor')),
      )) as {
        start: string;
        days: number;
        csv: string;
      };
      return c.body(out.csv, 200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="payroll-${out.start.slice(0, 10)}-${out.days}d.csv"`,
        'cache-control': 'no-store',
      });
    } catch (err) {
      return errorResponse(c, err);
    }
  });
  return app;
}
