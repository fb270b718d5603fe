/**
 * `carebridge bench` (bed reserve section): the latency of holding a bed while many bed requests are
 * negotiated at once. Each of `concurrency` clients loops as the bed agent does for one request: files a
 * request (request_bed), reads it (get_bed_request), holds a bed and asks its charge nurse
 * (offer_bed: the reserve step), then cancels the request (close_bed_request), which frees the bed for
 * the next loop. offer_bed is timed; so are, in the same loops and so under the same load, a trivial
 * read operation (get_bed_request) and a bare database round trip (`select 1`), the in-run baselines.
 * Target: reserve p99 ≤ 20 ms.
 *
 * Each client has a bed of its own (a free bed of the seeded hospital) and a patient who fits it, so the
 * figures are the cost of a reserve, not of losing a race; a client that shares a bed because the
 * hospital has fewer free beds than clients counts its conflicts apart. Operations are called as the
 * MCP server calls them (invokeOperation: validation, handler, audit), without the transport.
 */
import { parseArgs } from 'node:util';
import { bedAgent } from '../agents/beds/run.ts';
import type { Database } from '../db/client.ts';
import { ScratchServer } from '../db/scratch.ts';
import { isSeeded, seedDatabase } from '../db/seed/write.ts';
import {
  closeBedRequest,
  getBedRequest,
  offerBed,
  requestBed,
} from '../tools/beds/negotiation-operations.ts';
import type { BedRequestView } from '../tools/beds/schema.ts';
import { systemClock } from '../tools/core/clock.ts';
import { OperationError } from '../tools/core/errors.ts';
import { invokeOperation, type OperationContext } from '../tools/core/operation.ts';

const TARGET_P99_MS = 20;
const SEED = 42;

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ReserveBenchResult extends LatencySummary {
  /** offer_bed calls refused because another client held the bed (only when clients share beds). */
  conflicts: number;
  errors: number;
  concurrency: number;
  seconds: number;
  negotiations: number;
  /** Free beds the clients use (fewer than the clients means some share a bed). */
  beds: number;
  /** CPU this process spent per negotiation (its four operations and the timed `select 1`). */
  cpuMsPerNegotiation: number;
  /** get_bed_request under the same load: the in-run baseline. */
  baseline: LatencySummary;
  /** `select 1` under the same load: the database round trip, pool wait included. */
  roundTrip: LatencySummary;
  /** The loop's other steps, for where the time goes. */
  request: LatencySummary;
  close: LatencySummary;
  target: { p99Ms: number; pass: boolean };
}

function summarise(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

interface Slot {
  bedId: string;
  patientId: string;
  need: { unitTypes: string[]; sex: string };
}

/**
 * One (bed, patient) pair per client: a bed free now (unoccupied, clean or inspected, not held, in a room
 * without isolation needs beyond none) and a patient in no bed whose sex the room's policy admits.
 */
async function assignSlots(database: Database, clients: number): Promise<Slot[]> {
  const free = await database.sql<{ id: string; unit_type: string; sex_policy: string }[]>`
    select b.id, u.type as unit_type, r.sex_policy from beds b
    join units u on u.id = b.unit_id join rooms r on r.id = b.room_id
    where b.status = 'U' and b.housekeeping in ('clean', 'inspected') and b.occupant_patient_id is null
      and not exists (select 1 from bed_reservations x where x.bed_id = b.id and x.status in ('held', 'accepted'))
    order by b.id`;
  if (free.length === 0) throw new Error('The hospital has no free bed to reserve');
  const idle = await database.sql<{ id: string; sex: string }[]>`
    select p.id, p.sex from patients p
    where not exists (select 1 from beds b where b.occupant_patient_id = p.id)
      and p.sex in ('male', 'female') order by p.id limit ${clients * 4}`;
  const bySex = {
    male: idle.filter((p) => p.sex === 'male'),
    female: idle.filter((p) => p.sex === 'female'),
  };
  const slots: Slot[] = [];
  for (let i = 0; i < clients; i++) {
    const bed = free[i % free.length]!;
    const sex = bed.sex_policy === 'female' || (bed.sex_policy === 'mixed' && i % 2) ? 'female' : 'male';
    const patient = bySex[sex][Math.floor(i / 2) % bySex[sex].length];
    if (!patient) throw new Error(`No ${sex} patient outside a bed to file requests for`);
    slots.push({ bedId: bed.id, patientId: patient.id, need: { unitTypes: [bed.unit_type], sex } });
  }
  return slots;
}

/** Runs the benchmark on `database`, seeding the large hospital (seed 42) into it when it has none. */
export async function runReserveBench(opts: {
  database: Database;
  concurrency: number;
  seconds?: number;
  warmupSeconds?: number;
  log?: (line: string) => void;
}): Promise<ReserveBenchResult> {
  const { database, concurrency } = opts;
  const seconds = opts.seconds ?? 10;
  // Progress to stderr and the table to stdout, as the other sections print, unless the caller takes both.
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const print = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (!(await isSeeded(database))) {
    log(`Seeding the large hospital (seed ${SEED})…`);
    await seedDatabase(database, { seed: SEED, size: 'large' });
  }
  const slots = await assignSlots(database, concurrency);
  const beds = new Set(slots.map((s) => s.bedId)).size;

  const reserve: number[] = [];
  const read: number[] = [];
  const roundTrip: number[] = [];
  const filing: number[] = [];
  const closing: number[] = [];
  let conflicts = 0;
  let errors = 0;
  let negotiations = 0;
  let recording = false;
  let stopAt = 0;
  const timed = async <T>(into: number[], call: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await call();
    if (recording) into.push(performance.now() - t0);
    return result;
  };

  const client = async (slot: Slot) => {
    // As the bed agent calls them: acting for the patient whose bed it negotiates.
    const ctx: OperationContext = {
      database,
      clock: systemClock,
      actor: bedAgent,
      onBehalfOf: slot.patientId,
    };
    while (performance.now() < stopAt) {
      try {
        const { requestId } = (await timed(filing, () =>
          invokeOperation(
            requestBed,
            { patientId: slot.patientId, need: slot.need, requester: 'ed', priority: 'urgent' },
            ctx,
          ),
        )) as BedRequestView;
        await timed(roundTrip, () => database.sql`select 1`);
        await timed(read, () => invokeOperation(getBedRequest, { requestId }, ctx));
        try {
          await timed(reserve, () => invokeOperation(offerBed, { requestId, bedId: slot.bedId }, ctx));
        } catch (err) {
          if (!(err instanceof OperationError && err.code === 'conflict')) throw err;
          if (recording) conflicts++;
        }
        await timed(closing, () =>
          invokeOperation(
            closeBedRequest,
            { requestId, status: 'cancelled', outcome: 'benchmark loop done' },
            ctx,
          ),
        );
        if (recording) negotiations++;
      } catch (err) {
        errors++;
        if (errors <= 3) log(`  error: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  const phase = async (s: number, record: boolean) => {
    recording = record;
    stopAt = performance.now() + s * 1000;
    await Promise.all(slots.map(client));
  };

  const warmup = opts.warmupSeconds ?? Math.min(3, Math.max(1, seconds / 5));
  log(`Warming up ${warmup} s, then measuring ${seconds} s with ${concurrency} concurrent negotiations…`);
  await phase(warmup, false);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await phase(seconds, true);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // This process runs the operations (validation, queries, audit hashing): its CPU per negotiation is
  // the ceiling on one process's rate, whatever the database does.
  const cpuMsPerNegotiation = (cpu.user + cpu.system) / 1000 / Math.max(1, negotiations);

  const reserveSummary = summarise(reserve);
  const result: ReserveBenchResult = {
    ...reserveSummary,
    conflicts,
    errors,
    concurrency,
    seconds: elapsed,
    negotiations,
    beds,
    cpuMsPerNegotiation,
    baseline: summarise(read),
    roundTrip: summarise(roundTrip),
    request: summarise(filing),
    close: summarise(closing),
    target: { p99Ms: TARGET_P99_MS, pass: reserveSummary.p99 <= TARGET_P99_MS },
  };
  const ms = (v: number) => v.toFixed(2).padStart(8);
  const row = (label: string, s: LatencySummary) =>
    `  ${label.padEnd(30)} ${String(s.n).padStart(7)} ${ms(s.p50)} ${ms(s.p99)} ${ms(s.max)}`;
  const ratio = result.p99 / result.baseline.p99;
  print(
    [
      `Bed reserve under ${concurrency} concurrent negotiations (${elapsed.toFixed(1)} s, ${negotiations} negotiations, ` +
        `${(negotiations / elapsed).toFixed(0)}/s; ${beds} beds${beds < concurrency ? ', shared' : ''}; ` +
        `${conflicts} conflicts, ${errors} errors):`,
      `  ${'operation'.padEnd(30)} ${'n'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
      row('select 1 (round trip)', result.roundTrip),
      row('get_bed_request (read)', result.baseline),
      row('offer_bed (reserve)', result),
      row('request_bed', result.request),
      row('close_bed_request (cancel)', result.close),
      `  reserve p99 / read p99: ${ratio.toFixed(2)}×; this process's CPU: ${cpuMsPerNegotiation.toFixed(1)} ms per negotiation ` +
        `(${(((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 100).toFixed(0)}% of one core)`,
      `  target: reserve p99 ≤ ${TARGET_P99_MS} ms: ${result.target.pass ? 'PASS' : 'MISS'} (${result.p99.toFixed(2)} ms)`,
    ].join('\n'),
  );
  return result;
}

// Standalone: node bench/beds-reserve.ts [--concurrency 100] [--seconds 10] [--pool 20]
/** `npm run bench` section: 100 concurrent negotiations (or --concurrency) for --seconds on a scratch database. */
export async function runReserveBenchCommand(values: {
  concurrency?: string | undefined;
  seconds?: string | undefined;
  pool?: string | undefined;
}): Promise<number> {
  const pool = Number(values.pool ?? 20);
  const scratch = await ScratchServer.start(process.env.DATABASE_URL || undefined);
  const database = await scratch.createDatabase(pool);
  try {
    process.stderr.write(
      `Database: ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}, pool of ${pool} connections\n`,
    );
    const result = await runReserveBench({
      database,
      concurrency: Number(values.concurrency ?? 100),
      seconds: Number(values.seconds ?? 10),
    });
    // A MISS against the latency target is reported, not an error; failed negotiations are.
    return result.errors === 0 ? 0 : 1;
  } finally {
    await database.drop();
    await scratch.stop();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '10' },
      pool: { type: 'string', default: '20' },
    },
  });
  process.exit(await runReserveBenchCommand(values));
}
