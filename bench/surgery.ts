/**
 * `carebridge bench` (surgery section): how long the surgery orchestration takes to plan one case end to
 * end with no model, from request_surgery to the request booked (theatre, stock reserved, team, post-op bed
 * for an inpatient case), and how many database queries one plan sends. Plans run one after another on
 * the small demo hospital (seed 7, theatre stores topped up as the agent's tests do); each is cancelled
 * and released after it is timed, so the theatres, stores and teams never fill and every plan is a first
 * booking, not a search past full days. The in-run baseline is a trivial read, get_surgery_request, timed
 * in the same loop. No target is set: the figures are printed, not judged.
 *
 * Queries are counted client-side: postgres.js calls its `debug` hook once per query it sends, so the
 * app's client is opened here with a counting hook (BEGIN/COMMIT count as queries; a statement's first
 * Parse/Describe trip does not count apart). The LangGraph checkpointer has its own pg pool; the agents'
 * checkpointer counts what it sends (createCheckpointer's onQuery), reported apart from the app's.
 */
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createCheckpointer } from '../agents/runtime/checkpointer.ts';
import { SURGERY_NOW, surgeryHospital } from '../agents/surgery/test-fixtures.ts';
import { runSurgeryAgent } from '../agents/surgery/run.ts';
import type { Database } from '../db/client.ts';
import { ScratchServer } from '../db/scratch.ts';
import * as schema from '../db/schema/index.ts';
import { systemActor } from '../tools/core/actor.ts';
import { ManualClock } from '../tools/core/clock.ts';
import { invokeOperation, type OperationContext } from '../tools/core/operation.ts';
import { cancelSurgery, getSurgeryRequest, requestSurgery } from '../tools/surgery/operations.ts';
import type { SurgeryRequestView } from '../tools/surgery/store.ts';
import type { LatencySummary } from './beds-reserve.ts';

const DAY_MS = 86_400_000;

/**
 * The cases planned, in turn: day cases (no post-op bed) and inpatient cases (a post-op bed booked), the
 * seed's procedures (db/seed/surgery.ts) with a usual indication for each, ICD-10-CM (CMS/NCHS FY2025
 * tabular list): gallstones with cholecystitis, unilateral inguinal hernia, complete rotator cuff tear,
 * acute appendicitis, diverticulitis of the large intestine, primary knee osteoarthritis.
 */
const CASES = [
  { code: '47562', diagnosis: 'K80.10', specialty: 'general-surgery', inpatient: false },
  { code: '49505', diagnosis: 'K40.90', specialty: 'general-surgery', inpatient: false },
  { code: '29827', diagnosis: 'M75.121', specialty: 'orthopaedics', inpatient: false },
  { code: '44970', diagnosis: 'K35.80', specialty: 'general-surgery', inpatient: true },
  { code: '44140', diagnosis: 'K57.32', specialty: 'general-surgery', inpatient: true },
  { code: '27447', diagnosis: 'M17.11', specialty: 'orthopaedics', inpatient: true },
] as const;

/** Plans before the measured ones: module loading, JIT and prepared statements are not the plan's cost. */
const WARMUP_PLANS = 2;

/** A count per measured plan (queries sent, slots tried): its mean and max. */
export interface PerPlan {
  mean: number;
  max: number;
}

export interface SurgeryBenchResult {
  /** request_surgery → booked, every measured plan. */
  plan: LatencySummary;
  dayCase: LatencySummary;
  inpatient: LatencySummary;
  /** get_surgery_request in the same loop: the in-run baseline. */
  baseline: LatencySummary;
  /** p50(plan) / p50(baseline). */
  ratio: number;
  /** Queries the app's postgres.js client sent per plan (request_surgery, the agent's tool calls, its run records). */
  appQueries: PerPlan;
  /** Queries the checkpointer's own pg pool sent per plan; not included in appQueries. */
  checkpointerQueries: PerPlan;
  /** Queries one get_surgery_request sends. */
  baselineQueries: number;
  /** Theatre slots each plan tried before one held: 1 means the first slot was booked. */
  slotsTried: PerPlan;
  /** Requests the orchestration did not book (each logged); not in the latencies. */
  failed: number;
  seconds: number;
}

function summarise(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

const counts = (values: number[]): PerPlan => ({
  mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
  max: values.length ? Math.max(...values) : Number.NaN,
});

/** The app's database client with every query it sends counted. */
function countingDatabase(url: string, poolSize: number): { database: Database; sent: () => number } {
  let sent = 0;
  const sql = postgres(url, { max: poolSize, onnotice: () => {}, debug: () => void sent++ });
  return {
    database: { db: drizzle(sql, { schema }), sql, url, close: () => sql.end({ timeout: 5 }) },
    sent: () => sent,
  };
}

/** The agents' checkpointer, with the queries its own pool sends counted. */
async function countingCheckpointer(url: string) {
  let sent = 0;
  const checkpointer = await createCheckpointer(
    url,
    () => {},
    () => void sent++,
  );
  return { ...checkpointer, sent: () => sent };
}

/**
 * Plans surgeries one after another on `url` (a migrated, empty database: the small hospital is seeded
 * into it) for `seconds`, at least `minPlans` of them after the warm-up, or exactly `plans` when given.
 */
export async function runSurgeryBench(opts: {
  url: string;
  seconds?: number;
  minPlans?: number;
  plans?: number;
  pool?: number;
  log?: (line: string) => void;
}): Promise<SurgeryBenchResult> {
  const seconds = opts.seconds ?? 10;
  const minPlans = opts.plans ?? opts.minPlans ?? 5;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const print = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const app = countingDatabase(opts.url, opts.pool ?? 10);
  const checkpointer = await countingCheckpointer(opts.url);
  const { database } = app;
  try {
    log('Seeding the small hospital (seed 7) and topping up the theatre stores…');
    const hospital = await surgeryHospital(database);
    const surgeons: Record<string, string[]> = {
      'general-surgery': hospital.generalSurgeons,
      orthopaedics: hospital.orthopaedicSurgeons,
    };
    // Cases go to different patients in turn, as a surgical list does.
    const patients = (
      await database.db
        .select({ id: schema.patients.id })
        .from(schema.patients)
        .orderBy(schema.patients.id)
        .limit(24)
    ).map((p) => p.id);
    if (patients.length === 0) throw new Error('The seeded hospital has no patient to plan surgery for');

    const clock = new ManualClock(SURGERY_NOW);
    const ctx: OperationContext = { database, clock, actor: systemActor };
    const rt = { database, clock, checkpointer: checkpointer.saver };
    const call = <T>(op: Parameters<typeof invokeOperation>[0], input: unknown) =>
      invokeOperation(op, input, ctx) as Promise<T>;

    const plans: number[] = [];
    const byKind = { day: [] as number[], inpatient: [] as number[] };
    const reads: number[] = [];
    const appQueries: number[] = [];
    const checkpointerQueries: number[] = [];
    const slotsTried: number[] = [];
    let baselineQueries = Number.NaN;
    let failed = 0;

    const planOne = async (i: number, record: boolean) => {
      const kase = CASES[i % CASES.length]!;
      const team = surgeons[kase.specialty] ?? [];
      const surgeon = team[i % Math.max(1, team.length)];
      if (!surgeon) throw new Error(`The seeded hospital has no ${kase.specialty} surgeon`);
      // Windows spread over the next fortnight, so one day's sessions are not the only ones tried.
      const earliest = Date.parse(SURGERY_NOW) + (i % 14) * DAY_MS;
      const appBefore = app.sent();
      const checkpointerBefore = checkpointer.sent();
      const t0 = performance.now();
      const { requestId } = await call<SurgeryRequestView>(requestSurgery, {
        patientId: patients[i % patients.length],
        procedureCode: kase.code,
        surgeonStaffId: surgeon,
        diagnosisCodes: [kase.diagnosis],
        earliestAt: new Date(earliest).toISOString(),
        latestAt: new Date(earliest + 3 * DAY_MS).toISOString(),
      });
      let run = await runSurgeryAgent(rt, requestId);
      // A poke that found the request leased (not expected: one plan at a time) is repeated, as a job is.
      for (let tries = 0; run.busy && tries < 3; tries++) run = await runSurgeryAgent(rt, requestId);
      const elapsed = performance.now() - t0;
      const sentByApp = app.sent() - appBefore;
      const sentByCheckpointer = checkpointer.sent() - checkpointerBefore;
      if (run.status !== 'booked') {
        failed++;
        if (failed <= 3) log(`  not booked: ${kase.code} ${requestId} ${run.status}: ${run.outcome ?? ''}`);
      } else if (record) {
        plans.push(elapsed);
        byKind[kase.inpatient ? 'inpatient' : 'day'].push(elapsed);
        appQueries.push(sentByApp);
        checkpointerQueries.push(sentByCheckpointer);
      }
      const r0 = performance.now();
      const beforeRead = app.sent();
      const read = await call<SurgeryRequestView>(getSurgeryRequest, { requestId });
      if (record) {
        reads.push(performance.now() - r0);
        baselineQueries = app.sent() - beforeRead;
      }
      if (record && run.status === 'booked') {
        // The booking id ends in the index of the slot that held (plan-steps bookingIdFor): 0 is the first.
        slotsTried.push(Number(read.plan?.theatreBookingId.split('.slot').at(-1)) + 1);
        if (kase.inpatient !== Boolean(read.plan?.bedBooking)) {
          throw new Error(
            `${kase.code} ${requestId} booked ${read.plan?.bedBooking ? 'with' : 'without'} a post-op bed`,
          );
        }
      }
      // Released again, untimed, so the next plan finds the theatres, stores and teams as this one did.
      if (run.status === 'booked') {
        await call(cancelSurgery, { requestId, reason: 'benchmark plan timed' });
        await runSurgeryAgent(rt, requestId);
      }
    };

    log(
      `Planning ${WARMUP_PLANS} warm-up cases, then ${opts.plans ?? `cases for ${seconds} s (at least ${minPlans})`}…`,
    );
    let i = 0;
    for (; i < WARMUP_PLANS; i++) await planOne(i, false);
    const started = performance.now();
    const done = () =>
      opts.plans !== undefined
        ? plans.length + failed >= opts.plans
        : plans.length + failed >= minPlans && performance.now() - started >= seconds * 1000;
    while (!done()) {
      await planOne(i++, true);
      if (failed > 3 && plans.length === 0) break; // nothing books: stop rather than loop on failures
    }
    const elapsed = (performance.now() - started) / 1000;

    const plan = summarise(plans);
    const baseline = summarise(reads);
    const result: SurgeryBenchResult = {
      plan,
      dayCase: summarise(byKind.day),
      inpatient: summarise(byKind.inpatient),
      baseline,
      ratio: plan.p50 / baseline.p50,
      appQueries: counts(appQueries),
      checkpointerQueries: counts(checkpointerQueries),
      baselineQueries,
      slotsTried: counts(slotsTried),
      failed,
      seconds: elapsed,
    };
    const ms = (v: number) => v.toFixed(2).padStart(8);
    const row = (label: string, s: LatencySummary) =>
      `  ${label.padEnd(34)} ${String(s.n).padStart(5)} ${ms(s.p50)} ${ms(s.p99)} ${ms(s.max)}`;
    const q = (c: PerPlan) => `mean ${c.mean.toFixed(1)}, max ${c.max}`;
    print(
      [
        '',
        `Surgery planning, request_surgery → booked with no model, one plan at a time (${plans.length} plans ` +
          `in ${elapsed.toFixed(1)} s, ${failed} not booked; each cancelled and released after timing):`,
        `  ${'operation'.padEnd(34)} ${'n'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
        row('get_surgery_request (baseline)', baseline),
        row('plan: request → booked', plan),
        row('  day cases', result.dayCase),
        row('  inpatient cases (post-op bed)', result.inpatient),
        `  plan p50 / read p50: ${result.ratio.toFixed(1)}×; theatre slots tried per plan: ${q(result.slotsTried)}`,
        `  queries per plan, app client (postgres.js debug hook): ${q(result.appQueries)}; ` +
          `get_surgery_request sends ${baselineQueries}`,
        `  queries per plan, checkpointer (its own pg pool, not in the app figure): ${q(result.checkpointerQueries)}`,
        '',
      ].join('\n'),
    );
    return result;
  } finally {
    await checkpointer.close();
    await database.close();
  }
}

// Standalone: node bench/surgery.ts [--seconds 10] [--plans N]
/** `npm run bench` section: plans surgeries for --seconds on a scratch database. */
export async function runSurgeryBenchCommand(values: {
  seconds?: string | undefined;
  plans?: string | undefined;
}): Promise<number> {
  const seconds = values.seconds === undefined ? 10 : Number(values.seconds);
  const plans = values.plans === undefined ? undefined : Number(values.plans);
  const scratch = await ScratchServer.start(process.env.DATABASE_URL || undefined);
  const scratchDatabase = await scratch.createDatabase(1);
  try {
    process.stderr.write(`Database: ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}\n`);
    const result = await runSurgeryBench({
      url: scratchDatabase.url,
      seconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 10,
      ...(plans !== undefined && Number.isInteger(plans) && plans > 0 ? { plans } : {}),
    });
    // A request the orchestration could not book on an empty hospital is a failure of the run.
    return result.failed === 0 && result.plan.n > 0 ? 0 : 1;
  } finally {
    await scratchDatabase.drop();
    await scratch.stop();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '10' }, plans: { type: 'string' } },
  });
  process.exit(await runSurgeryBenchCommand(values));
}
