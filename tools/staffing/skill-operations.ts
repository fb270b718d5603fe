import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { staffSkills } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import { isCurrent, isoDay, requireStaff, skillName } from './records.ts';

const skillOutput = z.object({
  staffId: z.string(),
  skill: z.string(),
  certifiedUntil: z.string().nullable(),
  current: z.boolean(),
  previousCertifiedUntil: z.string().nullable(),
  change: z.enum(['added', 'renewed', 'shortened', 'unchanged', 'removed']),
});

/** The person's skill of that name, whatever its case (ACLS and acls are one certification). */
const skillOf = (staffId: string, skill: string) =>
  and(eq(staffSkills.staffId, staffId), sql`lower(${staffSkills.skill}) = lower(${skill})`);

export const recordStaffSkill = defineOperation({
  name: 'record_staff_skill',
  module: 'staffing',
  title: 'Add or renew a skill or certification',
  description:
    'Records that a staff member holds a skill or certification (BLS, ACLS, PALS, CCRN, charge, …) ' +
    'valid until certifiedUntil (null: no expiry), or renews it with a new expiry. An expiry in the past ' +
    'is refused: a lapsed certification is not recorded as held. Returns what changed.',
  input: z.object({
    staffId: z.string().min(1),
    skill: skillName,
    certifiedUntil: z.iso.date().nullable().describe('Last valid day, YYYY-MM-DD; null for no expiry'),
  }),
  output: skillOutput,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const today = isoDay(ctx.clock.now());
    if (input.certifiedUntil !== null && input.certifiedUntil < today) {
      throw new OperationError('invalid', `certifiedUntil ${input.certifiedUntil} has passed`, [
        { field: 'certifiedUntil', message: `must be today (${today}) or later` },
      ]);
    }
    await requireStaff(ctx.database.db, input.staffId);
    return auditedWrite(
      ctx,
      'record_staff_skill',
      input,
      async (tx) => {
        // The person's row lock serialises changes to their skills (two renewals cannot both insert).
        await requireStaff(tx, input.staffId, { lock: true });
        const [existing] = await tx.select().from(staffSkills).where(skillOf(input.staffId, input.skill));
        const previous = existing?.certifiedUntil ?? null;
        const result = {
          staffId: input.staffId,
          skill: existing?.skill ?? input.skill,
          certifiedUntil: input.certifiedUntil,
          current: isCurrent(input.certifiedUntil, today),
          previousCertifiedUntil: previous,
        };
        if (!existing) {
          await tx.insert(staffSkills).values({ id: randomUUID(), ...result });
          return { ...result, change: 'added' as const };
        }
        if (previous === input.certifiedUntil) return { ...result, change: 'unchanged' as const };
        await tx
          .update(staffSkills)
          .set({ certifiedUntil: input.certifiedUntil })
          .where(eq(staffSkills.id, existing.id));
        const longer =
          input.certifiedUntil === null || (previous !== null && input.certifiedUntil > previous);
        return { ...result, change: longer ? ('renewed' as const) : ('shortened' as const) };
      },
      (outcome) => outcome.change !== 'unchanged',
    );
  },
});

export const removeStaffSkill = defineOperation({
  name: 'remove_staff_skill',
  module: 'staffing',
  title: 'Remove a skill or certification',
  description:
    "Removes a skill or certification from a staff member's record (withdrawn, recorded in error), " +
    'with the reason. Refused when the person does not hold it.',
  input: z.object({
    staffId: z.string().min(1),
    skill: skillName,
    reason: z.string().trim().min(3).max(500),
  }),
  output: skillOutput,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    await requireStaff(ctx.database.db, input.staffId);
    return auditedWrite(ctx, 'remove_staff_skill', input, async (tx) => {
      await requireStaff(tx, input.staffId, { lock: true });
      const [removed] = await tx.delete(staffSkills).where(skillOf(input.staffId, input.skill)).returning();
      if (!removed) {
        throw new OperationError('not_found', `${input.staffId} holds no skill ${input.skill}`, [
          { field: 'skill', message: 'not held by this staff member' },
        ]);
      }
      return {
        staffId: input.staffId,
        skill: removed.skill,
        certifiedUntil: null,
        current: false,
        previousCertifiedUntil: removed.certifiedUntil,
        change: 'removed' as const,
      };
    });
  },
});

export const skillOperations = [recordStaffSkill, removeStaffSkill];
