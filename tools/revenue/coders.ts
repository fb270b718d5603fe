import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { staff } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';

/** The staff member answering for the billing office: refused, naming them, unless a coder. */
export async function requireCoder(db: DbOrTx, staffId: string, doing: string) {
  const [coder] = await db.select().from(staff).where(eq(staff.id, staffId));
  if (!coder) {
    throw new OperationError('not_found', `No staff member ${staffId}`, [
      { field: 'coderStaffId', message: 'no such staff member' },
    ]);
  }
  if (coder.role !== 'coder') {
    throw new OperationError(
      'forbidden',
      `${coder.name} (${coder.id}, ${coder.role}) may not ${doing}; a coder answers`,
      [{ field: 'coderStaffId', message: `${coder.id} is not a coder` }],
    );
  }
  return coder;
}
