import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull, ne, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { onCallRota, staff } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import { requireStaff } from './records.ts';
import {
  byWeekOrder,
  MINUTES_PER_WEEK,
  minuteOfWeekTime,
  rangeMinutes,
  sharedMinutes,
  uncovered,
  WEEK_DAYS,
  type WeekRange,
  weekRangeLabel,
  weekTimeOf,
} from './rota.ts';

/*
 * The staffing office's hand on the weekly on-call rota that on_call_now reads. Times are given as a
 * day of the week and HH:MM (UTC, as the rest of the rota); the rules a block must keep are checked
 * under a lock on the rota table, so two offices editing at once cannot both slip in a clash.
 */

type BlockRow = typeof onCallRota.$inferSelect & { name: string; role: string; pager: string };

const weekDay = z.enum(WEEK_DAYS);
const startTime = z.object({
  day: weekDay,
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59'),
});
const endTime = z.object({
  day: weekDay,
  time: z
    .string()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM, 00:00 to 24:00 (24:00 is the end of the day)'),
});

const weekTimeSchema = z.object({ day: weekDay, time: z.string() });
const rangeSchema = z.object({
  startMinute: z.number().int().describe('Minutes from Monday 00:00 UTC'),
  endMinute: z
    .number()
    .int()
    .describe('Exclusive; before startMinute when the range wraps past Sunday midnight'),
  start: weekTimeSchema,
  end: weekTimeSchema,
  minutes: z.number().int(),
  label: z.string().describe('e.g. "Sun 20:00 – Mon 08:00"'),
});
const personSchema = z.object({ staffId: z.string(), name: z.string(), role: z.string(), pager: z.string() });
const blockSchema = rangeSchema.extend({
  blockId: z.string(),
  specialty: z.string(),
  tier: z.enum(['primary', 'backup']),
  person: personSchema,
});
const gapsSchema = z.object({
  primary: z.array(rangeSchema).describe('Times with no primary on call'),
  backup: z.array(rangeSchema).describe('Times with no backup on call'),
  nobody: z.array(rangeSchema).describe('Times with neither: a page for this specialty reaches no one'),
});
const specialtyRotaSchema = z.object({
  specialty: z.string(),
  blocks: z.array(blockSchema).describe('In week order from Monday 00:00, primary before backup'),
  gaps: gapsSchema,
});

function presentRange(r: WeekRange): z.infer<typeof rangeSchema> {
  return {
    startMinute: r.startMinute,
    endMinute: r.endMinute,
    start: weekTimeOf(r.startMinute),
    end: weekTimeOf(r.endMinute, true),
    minutes: rangeMinutes(r),
    label: weekRangeLabel(r),
  };
}

function presentBlock(b: BlockRow): z.infer<typeof blockSchema> {
  return {
    blockId: b.id,
    specialty: b.specialty,
    tier: b.tier,
    person: { staffId: b.staffId, name: b.name, role: b.role, pager: b.pager },
    ...presentRange(b),
  };
}

function gapsOf(blocks: readonly BlockRow[]): z.infer<typeof gapsSchema> {
  const gaps = (rows: readonly BlockRow[]) => uncovered(rows).map(presentRange);
  return {
    primary: gaps(blocks.filter((b) => b.tier === 'primary')),
    backup: gaps(blocks.filter((b) => b.tier === 'backup')),
    nobody: gaps(blocks),
  };
}

/** Rota blocks with their person's name, role and pager, in week order. */
export async function loadBlocks(db: DbOrTx, where: SQL | undefined): Promise<BlockRow[]> {
  const rows = await db
    .select({
      id: onCallRota.id,
      specialty: onCallRota.specialty,
      staffId: onCallRota.staffId,
      tier: onCallRota.tier,
      startMinute: onCallRota.startMinute,
      endMinute: onCallRota.endMinute,
      name: staff.name,
      role: staff.role,
      pager: staff.pager,
    })
    .from(onCallRota)
    .innerJoin(staff, eq(staff.id, onCallRota.staffId))
    .where(where);
  return rows.sort(byWeekOrder);
}

async function specialtyRota(db: DbOrTx, specialty: string) {
  const blocks = await loadBlocks(db, eq(onCallRota.specialty, specialty));
  return { specialty, blocks: blocks.map(presentBlock), gaps: gapsOf(blocks) };
}

async function requireBlock(tx: Tx, blockId: string, field: string): Promise<BlockRow> {
  const [block] = await loadBlocks(tx, eq(onCallRota.id, blockId));
  if (!block) {
    throw new OperationError('not_found', `No on-call block ${blockId}`, [
      { field, message: 'unknown on-call block' },
    ]);
  }
  return block;
}

// Rota edits are rare and each checks the whole specialty and the person's other blocks: one lock on
// the table serialises them, while on_call_now and payroll keep reading (SHARE ROW EXCLUSIVE does not
// block plain reads).
const lockRota = (tx: Tx) => tx.execute(sql`lock table ${onCallRota} in share row exclusive mode`);

const describeBlock = (b: BlockRow) => `${b.tier} block ${b.id} (${b.name}, ${weekRangeLabel(b)})`;
const sharedLabel = (a: WeekRange, b: WeekRange) => sharedMinutes(a, b).map(weekRangeLabel).join(', ');

export const listOnCallRota = defineOperation({
  name: 'list_on_call_rota',
  module: 'staffing',
  title: 'List the on-call rota',
  description:
    "A specialty's weekly on-call rota (or every specialty's, when none is named): each block with its " +
    'tier (primary or backup), the physician (name, role, pager) and its times as day + HH:MM (UTC) and as ' +
    'minutes from Monday 00:00, in week order; and the gaps: the times with no primary, with no backup, ' +
    'and with nobody on call. Use before changing the rota with set_on_call_block or remove_on_call_block.',
  input: z.object({
    specialty: z.string().trim().min(1).max(60).optional().describe('e.g. endocrinology; all when absent'),
  }),
  output: z.object({ specialties: z.array(specialtyRotaSchema) }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler({ specialty }, ctx) {
    const db = ctx.database.db;
    // A specialty is known from its physicians as well as its rota: one with physicians and no rota
    // shows as a week-long gap.
    const rotaSpecialties = db.selectDistinct({ specialty: onCallRota.specialty }).from(onCallRota);
    const physicianSpecialties = db
      .selectDistinct({ specialty: sql<string>`${staff.specialty}` })
      .from(staff)
      .where(and(eq(staff.role, 'physician'), isNotNull(staff.specialty)));
    const known = (await rotaSpecialties.union(physicianSpecialties))
      .map((r) => r.specialty)
      .filter((s) => specialty === undefined || s === specialty)
      .sort();
    if (specialty !== undefined && known.length === 0) {
      throw new OperationError('not_found', `No specialty ${specialty}: no physician and no on-call rota`, [
        { field: 'specialty', message: 'no physician of this specialty and no rota' },
      ]);
    }
    const blocks = known.length === 0 ? [] : await loadBlocks(db, inArray(onCallRota.specialty, known));
    const bySpecialty = Map.groupBy(blocks, (b) => b.specialty);
    return {
      specialties: known.map((s) => {
        const own = bySpecialty.get(s) ?? [];
        return { specialty: s, blocks: own.map(presentBlock), gaps: gapsOf(own) };
      }),
    };
  },
});

async function setOutcome(tx: Tx, block: BlockRow, replaced: BlockRow | null, replayed: boolean) {
  return {
    block: presentBlock(block),
    replaced: replaced ? presentBlock(replaced) : null,
    replayed,
    gaps: (await specialtyRota(tx, block.specialty)).gaps,
  };
}

export const setOnCallBlock = defineOperation({
  name: 'set_on_call_block',
  module: 'staffing',
  title: 'Add or change an on-call block',
  description:
    'Puts a physician on the weekly on-call rota of their specialty as primary or backup from start to ' +
    'end, each a day (mon…sun) and a time HH:MM in UTC; the block repeats every week. An end before the ' +
    'start wraps past Sunday midnight (sun 20:00 to mon 08:00); end sun 24:00 is the end of the week, so ' +
    'mon 00:00 to sun 24:00 is the whole week. With replaceBlockId the block is changed in place instead. ' +
    'Refused, writing nothing, for: unknown staff or block; someone who is not a physician of the ' +
    "block's specialty; an empty block; an overlap with another block of the same specialty and tier; " +
    'the same person on call in two overlapping blocks (e.g. primary and backup at once). The same block ' +
    "again is a no-op (replayed). Returns the block and the specialty's gaps after the change.",
  input: z
    .object({
      specialty: z.string().trim().min(1).max(60).describe("The rota's specialty, e.g. endocrinology"),
      staffId: z.string().min(1).describe('A physician of that specialty'),
      tier: z.enum(['primary', 'backup']),
      start: startTime.describe('First minute on call, e.g. {"day":"mon","time":"08:00"}'),
      end: endTime.describe('When cover ends (exclusive), e.g. {"day":"mon","time":"20:00"}'),
      replaceBlockId: z.string().min(1).optional().describe('Change this block instead of adding one'),
    })
    .superRefine((v, issue) => {
      if (minuteOfWeekTime(v.start) === minuteOfWeekTime(v.end))
        issue.addIssue({
          code: 'custom',
          path: ['end'],
          message:
            'the block is empty: end equals start (a block for the whole week runs from mon 00:00 to sun 24:00)',
        });
    }),
  output: z.object({
    block: blockSchema,
    replaced: blockSchema.nullable().describe('The block as it was before replaceBlockId changed it'),
    replayed: z.boolean().describe('True when the rota already held exactly this block: nothing was written'),
    gaps: gapsSchema.describe("The specialty's gaps after the change"),
  }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const startMinute = minuteOfWeekTime(input.start);
    // mon 00:00 as an end is the same moment as sun 24:00; keep one spelling so a block never wraps by 0.
    const endMinute = minuteOfWeekTime(input.end) || MINUTES_PER_WEEK;
    const wanted = { specialty: input.specialty, staffId: input.staffId, tier: input.tier };
    const window = { startMinute, endMinute };
    const isWanted = (b: BlockRow) =>
      b.specialty === wanted.specialty &&
      b.staffId === wanted.staffId &&
      b.tier === wanted.tier &&
      b.startMinute === startMinute &&
      b.endMinute === endMinute;
    return auditedWrite(
      ctx,
      'set_on_call_block',
      input,
      async (tx) => {
        await lockRota(tx);
        const replaced = input.replaceBlockId
          ? await requireBlock(tx, input.replaceBlockId, 'replaceBlockId')
          : null;
        const person = await requireStaff(tx, input.staffId, { lock: true });
        if (person.role !== 'physician' || person.specialty !== input.specialty) {
          const is =
            person.role === 'physician'
              ? `a ${person.specialty} physician`
              : `a ${person.role}, not a physician`;
          throw new OperationError(
            'invalid',
            `${person.name} (${person.id}) is ${is}: the ${input.specialty} on-call rota takes physicians whose specialty is ${input.specialty}`,
            [{ field: 'staffId', message: `must be a physician whose specialty is ${input.specialty}` }],
          );
        }
        const others = await loadBlocks(
          tx,
          and(
            or(
              and(eq(onCallRota.specialty, wanted.specialty), eq(onCallRota.tier, wanted.tier)),
              eq(onCallRota.staffId, wanted.staffId),
            ),
            replaced ? ne(onCallRota.id, replaced.id) : undefined,
          ),
        );
        // The same block again (a retry) changes nothing.
        const same = replaced ? (isWanted(replaced) ? replaced : undefined) : others.find(isWanted);
        if (same) return setOutcome(tx, same, null, true);

        const clash = others.find(
          (b) =>
            b.specialty === wanted.specialty && b.tier === wanted.tier && sharedMinutes(b, window).length > 0,
        );
        if (clash) {
          throw new OperationError(
            'conflict',
            `The ${wanted.specialty} ${wanted.tier} cover would overlap ${describeBlock(clash)} at ${sharedLabel(clash, window)}`,
            [{ field: 'start', message: `overlaps ${describeBlock(clash)}` }],
          );
        }
        const double = others.find(
          (b) => b.staffId === wanted.staffId && sharedMinutes(b, window).length > 0,
        );
        if (double) {
          const both = double.tier === wanted.tier ? '' : ': one person cannot be primary and backup at once';
          throw new OperationError(
            'conflict',
            `${person.name} is already on call in ${double.specialty} ${describeBlock(double)} at ${sharedLabel(double, window)}${both}`,
            [
              {
                field: double.tier === wanted.tier ? 'start' : 'tier',
                message: `${person.name} is already ${double.tier} on call then (block ${double.id})`,
              },
            ],
          );
        }
        const values = { ...wanted, startMinute, endMinute };
        const id = replaced?.id ?? `rota-${randomUUID()}`;
        if (replaced) await tx.update(onCallRota).set(values).where(eq(onCallRota.id, id));
        else await tx.insert(onCallRota).values({ id, ...values });
        return setOutcome(tx, await requireBlock(tx, id, 'blockId'), replaced, false);
      },
      (outcome) => !outcome.replayed,
    );
  },
});

export const removeOnCallBlock = defineOperation({
  name: 'remove_on_call_block',
  module: 'staffing',
  title: 'Remove an on-call block',
  description:
    'Takes a block off the weekly on-call rota (ids from list_on_call_rota). Returns the removed block; ' +
    'gapLeft: the gaps in its tier that the removal opened or widened (whole gaps, so a gap joined to an ' +
    'existing one reads as one); nobodyOnCall: the times of the removed block now with neither a primary ' +
    "nor a backup; and the specialty's gaps after the removal. Unknown block ids are refused.",
  input: z.object({ blockId: z.string().min(1) }),
  output: z.object({
    removed: blockSchema,
    gapLeft: z.array(rangeSchema).describe("The tier's gaps that now include the removed block's time"),
    nobodyOnCall: z
      .array(rangeSchema)
      .describe(
        "The removed block's times now with nobody on call for the specialty; empty when cover remains",
      ),
    gaps: gapsSchema.describe("The specialty's gaps after the removal"),
  }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler({ blockId }, ctx) {
    return auditedWrite(ctx, 'remove_on_call_block', { blockId }, async (tx) => {
      await lockRota(tx);
      const removed = await requireBlock(tx, blockId, 'blockId');
      await tx.delete(onCallRota).where(eq(onCallRota.id, blockId));
      const rest = await loadBlocks(tx, eq(onCallRota.specialty, removed.specialty));
      const tierGaps = uncovered(rest.filter((b) => b.tier === removed.tier));
      return {
        removed: presentBlock(removed),
        gapLeft: tierGaps.filter((gap) => sharedMinutes(gap, removed).length > 0).map(presentRange),
        nobodyOnCall: uncovered(rest, removed).map(presentRange),
        gaps: gapsOf(rest),
      };
    });
  },
});

export const onCallRotaOperations = [listOnCallRota, setOnCallBlock, removeOnCallBlock];
