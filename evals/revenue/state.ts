import { asc } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { claims } from '../../db/schema/index.ts';
import type { ClaimDocument } from '../../tools/revenue/claims/document.ts';
import type { ClaimNow, ClaimRef } from './types.ts';

export type ClaimRow = typeof claims.$inferSelect;

export interface StoredClaim {
  row: ClaimRow;
  now: ClaimNow;
}

const cents = (dollars: number) => Math.round(dollars * 100);

function claimNow(row: ClaimRow): ClaimNow {
  const doc = row.document as ClaimDocument;
  const statement = doc.claim.dates.find((d) => d.qualifier === '434')?.start ?? '';
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    totalChargeCents: row.totalChargeCents,
    payerClaimNumber: row.payerClaimNumber,
    lines: doc.claim.lines.map((l) => ({
      svc: l.procedure ? `HC:${l.procedure.code}` : `NU:${l.revenueCode ?? ''}`,
      chargeCents: cents(l.charge),
      date: l.dates.find((d) => d.qualifier === '472')?.start ?? statement,
    })),
  };
}

/** Every claim, oldest first (claims built together: by id). */
export async function claimsNow(database: Database): Promise<StoredClaim[]> {
  const rows = await database.db.select().from(claims).orderBy(asc(claims.createdAt), asc(claims.id));
  return rows.map((row) => ({ row, now: claimNow(row) }));
}

export const describeRef = (ref: ClaimRef) =>
  `${ref.encounter}${ref.type ? ` ${ref.type}` : ''}${ref.frequency ? ` freq ${ref.frequency}` : ''}${ref.nth ? ` #${ref.nth}` : ''}`;

export function matching(stored: StoredClaim[], ref: ClaimRef): StoredClaim[] {
  return stored.filter(
    (c) =>
      c.row.encounterId === ref.encounter &&
      (!ref.type || c.row.type === ref.type) &&
      (!ref.frequency || c.row.frequency === ref.frequency),
  );
}

/** The claim a reference names; a step naming a claim that does not exist is a crashed trial. */
export function resolveClaim(stored: StoredClaim[], ref: ClaimRef): StoredClaim {
  const found = matching(stored, ref)[ref.nth ?? 0];
  if (!found)
    throw new Error(`no claim ${describeRef(ref)} (claims: ${stored.map((c) => c.row.id).join(', ')})`);
  return found;
}
