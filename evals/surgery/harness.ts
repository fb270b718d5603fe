import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { ModelSettings } from '../../agents/runtime/model.ts';
import { runRevenueAgent } from '../../agents/revenue/run.ts';
import { runSurgeryAgent } from '../../agents/surgery/run.ts';
import { admitForCase, SURGERY_NOW, seedSurgeryHospital } from '../../agents/surgery/test-fixtures.ts';
import { createApp } from '../../api/app.ts';
import { claimJobs, completeJob } from '../../db/jobs.ts';
import type { ScratchServer } from '../../db/scratch.ts';
import { coverages, patients, staff } from '../../db/schema/index.ts';
import { createApiKey, KeyResolver } from '../../tools/auth/keys.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { REVENUE_QUEUE } from '../../tools/revenue/tasks.ts';
import { SURGERY_QUEUE, type SurgeryRequestView } from '../../tools/surgery/store.ts';
import { drainThreadQueue, gradedTrial, postJson } from '../harness.ts';
import type { TrialResult } from '../types.ts';
import { FaultPlan, runFaultySurgeryAgent } from './faults.ts';
import { gradeSurgery, type SurgeryCall } from './grade.ts';
import type { SurgeonRef, SurgeryFixture, SurgeryScenario, SurgeryStep } from './types.ts';

const HOUR_MS = 3_600_000;
const MAX_JOBS = 200;

// The usual indication of each procedure, ICD-10-CM (CMS FY2026 code set): gallstones with chronic
// cholecystitis, unilateral inguinal hernia, acute appendicitis, sigmoid colon cancer, primary knee
// osteoarthritis (right), complete rotator cuff tear (right), delivery by caesarean section.
export const INDICATION: Record<string, string> = {
  '47562': 'K80.10',
  '49505': 'K40.90',
  '44970': 'K35.80',
  '44140': 'C18.7',
  '27447': 'M17.11',
  '29827': 'M75.121',
  '59510': 'O82',
};

const SPECIALTY: Record<SurgeonRef, [string, number]> = {
  general: ['general-surgery', 0],
  general2: ['general-surgery', 1],
  ortho: ['orthopaedics', 0],
  ortho2: ['orthopaedics', 1],
  obstetrics: ['obstetrics', 0],
  cardiology: ['cardiology', 0],
  anaesthetist: ['anaesthesia', 0],
};

/**
 * One trial of one surgery scenario: a fresh database with the small seeded hospital and its theatre
 * stores topped up (agents/surgery/test-fixtures.ts), the real API called in-process (a theatre office
 * key for requests, cancellations and completions; the billing office's for authorisations), and the
 * real surgery and revenue agents run for every queued job until both queues are empty. Claims go to
 * an outbox folder of the trial's own, set in the environment while the trial runs (trials run one at
 * a time in one process), as the revenue suite does. No model: the surgery agent has none.
 */
// The seeded small hospital takes a second to write: it is written once per run into a template.
const SEEDED = { key: 'surgery_hospital', prepare: seedSurgeryHospital };

export async function runSurgeryTrial(
  scratch: ScratchServer,
  scenario: SurgeryScenario,
  _model: ModelSettings | null,
): Promise<TrialResult> {
  const outbox = mkdtempSync(join(tmpdir(), 'carebridge-eval-outbox-'));
  const previous = process.env.CAREBRIDGE_OUTBOX_DIR;
  process.env.CAREBRIDGE_OUTBOX_DIR = outbox;
  try {
    return await gradedTrial(
      scratch,
      async (database, checkpointer) => {
        const clock = new ManualClock(SURGERY_NOW);
        const people = await database.db.select({ id: patients.id }).from(patients).orderBy(asc(patients.id));
        const physicians = await database.db
          .select()
          .from(staff)
          .where(eq(staff.role, 'physician'))
          .orderBy(asc(staff.id));
        const fixture: SurgeryFixture = {
          database,
          clock,
          patients: people.map((p) => p.id),
          surgeon(ref) {
            const [specialty, n] = SPECIALTY[ref];
            const found = physicians.filter((p) => p.specialty === specialty)[n];
            if (!found) throw new Error(`the fixture has no ${ref} physician`);
            return found.id;
          },
        };
        await scenario.setup?.(fixture);
        const now = clock.now();
        const keys = {
          office: (await createApiKey(database.db, { role: 'staff', label: 'eval theatre office', now })).key,
          billing: (await createApiKey(database.db, { role: 'billing', label: 'eval billing office', now }))
            .key,
        };
        const app = createApp({ database, clock, keys: new KeyResolver(database.db, 0) });
        const calls: SurgeryCall[] = [];
        const ids: Record<string, string> = {};
        const runErrors: string[] = [];
        const gaveUp: string[] = [];

        const post = async (op: string, body: unknown, tag?: string, key: keyof typeof keys = 'office') => {
          const { status, text, json } = await postJson(app, `/v1/ops/${op}`, keys[key], body);
          calls.push({ tag, op, status, body: json ?? text });
          if (status >= 400 && !tag) throw new Error(`${op} answered ${status}: ${text.slice(0, 300)}`);
          return json;
        };
        const rt = { database, clock, checkpointer: checkpointer.saver };
        const faults = scenario.faults ? new FaultPlan(scenario.faults) : null;
        const runSurgery = (id: string) =>
          faults ? runFaultySurgeryAgent(faults, rt, id) : runSurgeryAgent(rt, id);

        // As the worker does: a run that throws leaves its job to be retried; the thread resumes from its
        // last checkpoint. A fault fires once, so the second try goes through.
        const drainSurgery = async () => {
          for (let done = 0; ; ) {
            const jobs = await claimJobs(database.sql, SURGERY_QUEUE, 'eval', 60_000, clock.now(), 10);
            if (jobs.length === 0) return;
            for (const job of jobs) {
              const id = (job.payload as { requestId: string }).requestId;
              for (let attempt = 1; attempt <= 3; attempt++) {
                try {
                  const r = await runSurgery(id);
                  if (r.busy) throw new Error(`surgery agent reported ${id} busy with no other run going`);
                  break;
                } catch (err) {
                  // Graded, not thrown: the final state and the failed run are what the trial shows.
                  const what = `${err instanceof Error ? err.message : String(err)}`;
                  runErrors.push(`run ${attempt} on ${id}: ${what}`);
                  if (attempt === 3) gaveUp.push(`surgery agent gave up on ${id} after 3 runs: ${what}`);
                }
              }
              await completeJob(database.sql, job.id, 'eval', clock.now());
              if (++done > MAX_JOBS) throw new Error(`more than ${MAX_JOBS} surgery jobs in a row`);
            }
          }
        };
        const drain = async () => {
          for (let round = 0; round < 10; round++) {
            await drainSurgery();
            const [queued] = await database.sql<{ n: number }[]>`select count(*)::int as n from jobs
            where queue = ${REVENUE_QUEUE} and status = 'queued'`;
            if (queued!.n === 0) return;
            await drainThreadQueue(database, clock, REVENUE_QUEUE, 'taskId', (id) => runRevenueAgent(rt, id));
          }
        };

        const act = async (step: SurgeryStep): Promise<void> => {
          if ('request' in step) {
            const start = Date.parse(SURGERY_NOW);
            const at = (h: number | undefined) =>
              h === undefined ? undefined : new Date(start + h * HOUR_MS).toISOString();
            const body = {
              patientId: fixture.patients[step.patient ?? 0],
              procedureCode: step.procedure,
              surgeonStaffId: fixture.surgeon(step.surgeon ?? surgeonFor(step.procedure)),
              diagnosisCodes: step.diagnosisCodes ?? [INDICATION[step.procedure] ?? 'K80.10'],
              ...(at(step.earliestInHours) ? { earliestAt: at(step.earliestInHours) } : {}),
              ...(at(step.latestInHours) ? { latestAt: at(step.latestInHours) } : {}),
            };
            const made = (await post('request_surgery', body, step.tag)) as { requestId?: string } | null;
            if (made?.requestId) ids[step.request] = made.requestId;
          } else if ('cancel' in step) {
            await post(
              'cancel_surgery',
              { requestId: idOf(ids, step.cancel), reason: 'patient unwell' },
              step.tag,
            );
          } else if ('planTogether' in step) {
            await Promise.all(step.planTogether.map((label) => runSurgery(idOf(ids, label))));
          } else {
            const r = (await post('get_surgery_request', {
              requestId: idOf(ids, step.complete),
            })) as unknown as SurgeryRequestView;
            if (!r.plan) throw new Error(`step completes ${step.complete}, which has no plan (${r.status})`);
            await admitForCase(
              database,
              r.patientId,
              step.encounterClass,
              new Date(r.plan.startsAt),
              r.surgeonStaffId,
            );
            if (step.priorAuth) {
              const [coverage] = await database.db
                .select()
                .from(coverages)
                .where(eq(coverages.patientId, r.patientId));
              const day = r.plan.startsAt.slice(0, 10);
              await post(
                'add_prior_authorization',
                {
                  coverageId: coverage!.id,
                  number: `PA-${r.procedure.code}-1`,
                  procedureCodes: [r.procedure.code],
                  validFrom: day,
                  validTo: day,
                },
                undefined,
                'billing',
              );
            }
            clock.set(r.plan.endsAt);
            await post('complete_theatre_booking', { bookingId: r.plan.theatreBookingId }, step.tag);
          }
        };

        for (const step of scenario.steps) {
          clock.advance(1_000);
          await act(step);
          if (!step.beforeAgent) await drain();
        }
        await drain();
        return gradeSurgery({ database, ids, fixture }, scenario.expect, {
          calls,
          runErrors,
          gaveUp,
          faultsFired: faults?.fired ?? null,
          faultsPlanned: scenario.faults?.length ?? 0,
        });
      },
      SEEDED,
    );
  } finally {
    if (previous === undefined) delete process.env.CAREBRIDGE_OUTBOX_DIR;
    else process.env.CAREBRIDGE_OUTBOX_DIR = previous;
    rmSync(outbox, { recursive: true, force: true });
  }
}

function idOf(ids: Record<string, string>, label: string): string {
  const id = ids[label];
  if (!id) throw new Error(`step names request ${label}, which was never made`);
  return id;
}

function surgeonFor(procedure: string): SurgeonRef {
  if (['27447', '29827'].includes(procedure)) return 'ortho';
  if (procedure === '59510') return 'obstetrics';
  return 'general';
}
