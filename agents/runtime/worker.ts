import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { claimJobs, completeJob, failJob, JOBS_CHANNEL, type Job } from '../../db/jobs.ts';
import type { Clock } from '../../tools/core/clock.ts';

export type JobHandler = (job: Job) => Promise<void>;

/**
 * Extends a running job's lease; false when the job is no longer ours (finished, or taken over after
 * the lease lapsed anyway, e.g. while this process was stalled).
 */
async function renewLease(
  pg: Database['sql'],
  jobId: number,
  workerId: string,
  leaseMs: number,
  now: Date,
): Promise<boolean> {
  const until = new Date(now.getTime() + leaseMs);
  const rows = await pg`update jobs set locked_until = ${until.toISOString()}
    where id = ${jobId} and locked_by = ${workerId} and status = 'running' returning id`;
  return rows.length > 0;
}

export interface WorkerOptions {
  database: Database;
  clock: Clock;
  handlers: Record<string, JobHandler>;
  /** How long a claimed job stays ours; a crashed worker's jobs are taken over after this. */
  leaseMs?: number;
  concurrency?: number;
  pollMs?: number;
  log?: (line: string) => void;
  /** Periodic duties (expiring holds, stale-device sweeps), run every tickMs. */
  onTick?: () => Promise<void>;
  tickMs?: number;
}

/**
 * Takes jobs from the PostgreSQL queue. NOTIFY wakes it at once; polling covers missed notifications,
 * retries whose time has come and leases that lapsed.
 */
export class Worker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  #running = false;
  #active = new Set<Promise<void>>();
  /** Ids of the jobs this worker is running, so that it never runs one twice at the same time. */
  #inHand = new Set<number>();
  #wake: (() => void) | null = null;
  #unlisten: (() => Promise<void>) | null = null;
  #tickTimer: NodeJS.Timeout | null = null;
  #loopDone: Promise<void> | null = null;

  private readonly opts: WorkerOptions;
  constructor(opts: WorkerOptions) {
    this.opts = opts;
  }

  async start(): Promise<void> {
    this.#running = true;
    const listener = await this.opts.database.sql.listen(JOBS_CHANNEL, () => this.#wake?.());
    this.#unlisten = () => listener.unlisten();
    if (this.opts.onTick) {
      const tick = this.opts.onTick;
      this.#tickTimer = setInterval(() => {
        tick().catch((err) => this.#log(`tick failed: ${err instanceof Error ? err.message : err}`));
      }, this.opts.tickMs ?? 15_000);
    }
    this.#loopDone = this.#loop();
  }

  #log(line: string) {
    this.opts.log?.(`[${this.id}] ${line}`);
  }

  async #loop(): Promise<void> {
    const concurrency = this.opts.concurrency ?? 4;
    const queues = Object.keys(this.opts.handlers);
    while (this.#running) {
      let claimed = 0;
      for (const queue of queues) {
        const free = concurrency - this.#active.size;
        if (free <= 0) break;
        const jobs = await claimJobs(
          this.opts.database.sql,
          queue,
          this.id,
          this.opts.leaseMs ?? 60_000,
          this.opts.clock.now(),
          free,
        ).catch((err) => {
          this.#log(`claim failed: ${err instanceof Error ? err.message : err}`);
          return [] as Job[];
        });
        claimed += jobs.length;
        for (const job of jobs) if (!this.#inHand.has(job.id)) this.#track(this.#run(job));
      }
      if (claimed === 0 || this.#active.size >= concurrency) await this.#sleep();
    }
  }

  #track(p: Promise<void>) {
    this.#active.add(p);
    p.finally(() => {
      this.#active.delete(p);
      this.#wake?.();
    });
  }

  async #run(job: Job): Promise<void> {
    const handler = this.opts.handlers[job.queue]!;
    this.#inHand.add(job.id);
    const stopRenewing = this.#keepLease(job);
    try {
      await handler(job);
      stopRenewing();
      await completeJob(this.opts.database.sql, job.id, this.id, this.opts.clock.now());
    } catch (err) {
      stopRenewing();
      const message = err instanceof Error ? err.message : String(err);
      this.#log(`job ${job.id} (${job.queue}) attempt ${job.attempts} failed: ${message}`);
      await failJob(this.opts.database.sql, job, this.id, message, this.opts.clock.now()).catch(() => {});
    } finally {
      this.#inHand.delete(job.id);
    }
  }

  /**
   * The lease says "this worker is alive and on it", so it is renewed while the handler runs: a job
   * that merely takes longer than the lease (a slow model reply) must not be claimed a second time and
   * run concurrently with itself. Only a worker that stops renewing (it died) loses its jobs.
   */
  #keepLease(job: Job): () => void {
    const leaseMs = this.opts.leaseMs ?? 60_000;
    let running = true;
    const timer = setInterval(
      () => {
        renewLease(this.opts.database.sql, job.id, this.id, leaseMs, this.opts.clock.now()).then(
          (ours) => {
            if (!ours && running) this.#log(`job ${job.id} (${job.queue}): lease lost while running`);
          },
          (err) =>
            this.#log(`job ${job.id}: lease renewal failed: ${err instanceof Error ? err.message : err}`),
        );
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    timer.unref();
    return () => {
      running = false;
      clearInterval(timer);
    };
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.opts.pollMs ?? 1000);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  /** Stops taking jobs and waits for the ones in hand. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    if (this.#tickTimer) clearInterval(this.#tickTimer);
    await this.#loopDone;
    await Promise.allSettled([...this.#active]);
    await this.#unlisten?.();
  }
}
