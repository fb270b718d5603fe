import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { encounterClasses } from '../../../db/schema/index.ts';
import { defineOperation } from '../../core/operation.ts';

const DAY_MS = 86_400_000;

export const listUnbilledEncounters = defineOperation({
  name: 'list_unbilled_encounters',
  module: 'revenue',
  title: 'Encounters not yet billed (DNFB)',
  description:
    'The discharged-not-final-billed list: finished encounters with something still to bill — services ' +
    'recorded but not captured as charges, or open charges on no claim — or with nothing billed at all, ' +
    'oldest discharge first, with the days since discharge (filing limits run from the date of service), ' +
    'the open charges and whether the revenue agent already has a task on it. Start billing one with ' +
    'start_revenue_task.',
  input: z.object({
    limit: z.number().int().min(1).max(500).default(50),
    minDays: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .default(0)
      .describe('Only encounters discharged this many days ago or more'),
  }),
  output: z.object({
    encounters: z.array(
      z.object({
        encounterId: z.string(),
        patientId: z.string(),
        class: z.enum(encounterClasses),
        endedAt: z.string(),
        daysSinceDischarge: z.number().int(),
        uncapturedServices: z.number().int(),
        openCharges: z.number().int(),
        openChargeCents: z.number().int(),
        claims: z.number().int().describe('Claims already built for it (any status but void)'),
        revenueTask: z
          .object({ taskId: z.string(), status: z.string() })
          .nullable()
          .describe('The revenue agent’s billing task, if it has one'),
      }),
    ),
  }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const cutoff = new Date(now.getTime() - input.minDays * DAY_MS).toISOString();
    const rows = await ctx.database.db.execute<{
      id: string;
      patient_id: string;
      class: (typeof encounterClasses)[number];
      ended_at: string;
      uncaptured: number;
      open_charges: number;
      open_cents: number;
      claims: number;
      task_id: string | null;
      task_status: string | null;
    }>(sql`
      with facts as (
        select e.id, e.patient_id, e.class, e.ended_at,
          (select count(*) from encounter_services s where s.encounter_id = e.id and not exists (
             select 1 from charges c where c.encounter_id = e.id and c.status <> 'voided'
               and c.source = 'service:' || s.id))::int as uncaptured,
          (select count(*) from charges c where c.encounter_id = e.id and c.status = 'open')::int as open_charges,
          (select coalesce(sum(c.amount_cents), 0) from charges c
             where c.encounter_id = e.id and c.status = 'open')::int as open_cents,
          (select count(*) from claims k where k.encounter_id = e.id and k.status <> 'void')::int as claims,
          t.id as task_id, t.status as task_status
        from encounters e
        left join revenue_tasks t on t.kind = 'bill-encounter' and t.subject_id = e.id
        where e.status = 'finished' and e.ended_at <= ${cutoff})
      select * from facts where uncaptured > 0 or open_charges > 0 or claims = 0
      order by ended_at, id
      limit ${input.limit}`);
    return {
      encounters: [...rows].map((r) => {
        const ended = new Date(r.ended_at);
        return {
          encounterId: r.id,
          patientId: r.patient_id,
          class: r.class,
          endedAt: ended.toISOString(),
          daysSinceDischarge: Math.floor((now.getTime() - ended.getTime()) / DAY_MS),
          uncapturedServices: r.uncaptured,
          openCharges: r.open_charges,
          openChargeCents: r.open_cents,
          claims: r.claims,
          revenueTask: r.task_id ? { taskId: r.task_id, status: r.task_status ?? 'open' } : null,
        };
      }),
    };
  },
});
