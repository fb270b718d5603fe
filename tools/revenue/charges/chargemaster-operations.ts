import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { chargeKinds, chargemasterItems, unitTypes } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation } from '../../core/operation.ts';
import { codeSets } from '../codesets/codesets.ts';
import { NDC_11, procedureCodeProblem, REVENUE_CODE } from './rules.ts';
import { chargemasterItemSchema, presentItem } from './schema.ts';

// UB-04 FL46 / 837 SV2 units of measure: UN units, DA days, MJ minutes, ML millilitres, GR grams,
// F2 international units (ASC X12N 005010X223A2 SV204).
const UNIT_BASES = ['UN', 'DA', 'MJ', 'ML', 'GR', 'F2'] as const;

type ItemInput = {
  kind: (typeof chargeKinds)[number];
  code: string;
  revenueCode: string;
  hcpcsCode?: string | undefined;
  unitBasis: string;
};

/** Field problems of a chargemaster item: the code fits its kind, and the revenue code its kind too. */
export function itemProblems(i: ItemInput): { field: string; message: string }[] {
  const sets = codeSets();
  const out: { field: string; message: string }[] = [];
  if (i.kind === 'accommodation') {
    if (!(unitTypes as readonly string[]).includes(i.code)) {
      out.push({
        field: 'code',
        message: `an accommodation is keyed by unit type: one of ${unitTypes.join(', ')}`,
      });
    }
    // NUBC revenue codes 010x–021x are room and board and special care (ICU 020x, CCU 021x).
    if (!/^0(1[0-9]|20|21)[0-9]$/.test(i.revenueCode)) {
      out.push({
        field: 'revenueCode',
        message: 'an accommodation takes a room-and-board revenue code, 0100–0219',
      });
    }
    if (i.unitBasis !== 'DA')
      out.push({ field: 'unitBasis', message: 'an accommodation is priced per day (DA)' });
  } else {
    const problem = procedureCodeProblem(codeSets(), i.kind, i.code);
    if (problem) out.push({ field: 'code', message: problem });
    if (i.kind === 'drug' && NDC_11.test(i.code) && !i.hcpcsCode) {
      out.push({
        field: 'hcpcsCode',
        message: 'a drug billed by NDC needs its HCPCS J-code for professional claims',
      });
    }
  }
  if (i.hcpcsCode !== undefined) {
    const entry = sets.procedures.get(i.hcpcsCode);
    if (i.kind !== 'drug')
      out.push({ field: 'hcpcsCode', message: 'only a drug billed by NDC carries a J-code' });
    else if (entry?.system !== 'HCPCS' || !entry.code.startsWith('J')) {
      out.push({ field: 'hcpcsCode', message: `${i.hcpcsCode} is not a HCPCS J-code on file` });
    }
  }
  return out;
}

export const setChargemasterItem = defineOperation({
  name: 'set_chargemaster_item',
  module: 'revenue',
  title: 'Set a chargemaster price',
  description:
    "Adds or updates one line of the hospital's price list, keyed by kind and code: an accommodation by " +
    'unit type (icu, med-surg…, priced per day), a procedure by CPT/HCPCS, a drug by NDC (11 digits, with ' +
    'its J-code in hcpcsCode) or by J-code, a supply by HCPCS. Revenue code is the 4-digit NUBC code ' +
    '(0200 ICU, 0250 pharmacy…); price in cents, above zero. Calling it again with the same kind and code ' +
    'updates that line. New prices apply to charges captured afterwards only.',
  input: z.object({
    kind: z.enum(chargeKinds),
    code: z.string().trim().min(1).max(20),
    description: z.string().trim().min(1).max(200),
    revenueCode: z.string().regex(REVENUE_CODE, 'a NUBC revenue code: four digits, leading zero (0250)'),
    hcpcsCode: z.string().trim().toUpperCase().optional(),
    unitPriceCents: z.number().int().positive().max(100_000_000),
    unitBasis: z.enum(UNIT_BASES).optional().describe('Default DA for an accommodation, UN otherwise'),
  }),
  output: z.object({ item: chargemasterItemSchema, created: z.boolean() }),
  scope: 'revenue:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(raw, ctx) {
    const input = {
      ...raw,
      code: raw.kind === 'accommodation' ? raw.code.toLowerCase() : raw.code.toUpperCase(),
      unitBasis: raw.unitBasis ?? (raw.kind === 'accommodation' ? 'DA' : 'UN'),
    };
    const problems = itemProblems(input);
    if (problems.length) {
      throw new OperationError(
        'invalid',
        `Invalid input to set_chargemaster_item: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
        problems,
      );
    }
    const values = {
      description: input.description,
      revenueCode: input.revenueCode,
      hcpcsCode: input.hcpcsCode ?? null,
      unitPriceCents: input.unitPriceCents,
      unitBasis: input.unitBasis,
    };
    return auditedWrite(ctx, 'set_chargemaster_item', input, async (tx) => {
      const [row] = await tx
        .insert(chargemasterItems)
        .values({ id: `cdm-${input.kind}-${input.code}`, kind: input.kind, code: input.code, ...values })
        .onConflictDoUpdate({ target: [chargemasterItems.kind, chargemasterItems.code], set: values })
        // xmax is 0 on a freshly inserted row version, the updating transaction when ON CONFLICT updated.
        .returning({ id: chargemasterItems.id, inserted: sql<boolean>`(xmax = 0)` });
      const [item] = await tx.select().from(chargemasterItems).where(eq(chargemasterItems.id, row!.id));
      return { item: presentItem(item!), created: row!.inserted };
    });
  },
});

export const listChargemaster = defineOperation({
  name: 'list_chargemaster',
  module: 'revenue',
  title: 'The chargemaster',
  description:
    "The hospital's price list, optionally of one kind or for one code: each item's code, revenue code, " +
    'J-code (for NDC drugs), unit price in cents and unit basis. Use it to see why a fact is unpriced.',
  input: z.object({ kind: z.enum(chargeKinds).optional(), code: z.string().trim().min(1).optional() }),
  output: z.object({ items: z.array(chargemasterItemSchema) }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const rows = await ctx.database.db
      .select()
      .from(chargemasterItems)
      .where(
        and(
          input.kind ? eq(chargemasterItems.kind, input.kind) : undefined,
          input.code ? eq(chargemasterItems.code, input.code) : undefined,
        ),
      )
      .orderBy(asc(chargemasterItems.kind), asc(chargemasterItems.code));
    return { items: rows.map(presentItem) };
  },
});
