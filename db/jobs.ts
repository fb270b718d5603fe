import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { DbOrTx } from './client.ts';
import { jobs } from './schema/index.ts';

export const JOBS_CHANNEL = 'carebridge_jobs';

export interface Job {
  id: number;
  queue: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

/** Enqueues inside the caller's transaction: the job exists exactly when the change that needs it commits. */
export async function enqueueJob(
  tx: DbOrTx,
  queue: string,
  payload: unknown,
  now: Date,
  runAfter: Date = now,
): Promise<number> {
  const [row] = await tx
    .insert(jobs)
    .values({ queue, payload, runAfter, createdAt: now })
    .returning({ id: jobs.id });
  await tx.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${queue})`);
  return row!.id;
}

/**
 * Claims up to `limit` ready jobs. SKIP LOCKED lets many workers poll one table without blocking
 * each other; a job whose lease lapsed (its worker died) is ready again.
 */
export async function claimJobs(
  pg: postgres.Sql,
  queue: string,
  workerId: string,
  leaseMs: number,
  now: Date,
  limit = 1,
): Promise<Job[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await pg<
    { id: string; queue: string; payload: unknown; attempts: number; max_attempts: number }[]
  >`
    update jobs set status = 'running', attempts = attempts + 1, locked_by = ${workerId},
      locked_until = ${leaseUntil.toISOString()}
    where id in (
      select id from jobs
      where queue = ${queue} and (
        (status = 'queued' and run_after <= ${now.toISOString()})
        or (status = 'running' and locked_until < ${now.toISOString()}))
      order by id
      for update skip locked
      limit ${limit})
    returning id, queue, payload, attempts, max_attempts`;
  return rows.map((r) => ({
    id: Number(r.id),
    queue: r.queue,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
  }));
}

export async function completeJob(pg: postgres.Sql, id: number, workerId: string, now: Date): Promise<void> {
  await pg`update jobs set status = 'done', finished_at = ${now.toISOString()}, locked_until = null
    where id = ${id} and locked_by = ${workerId}`;
}

/** A failed attempt is retried with exponential backoff until its attempts run out. */
export async function failJob(
  pg: postgres.Sql,
  job: Job,
  workerId: string,
  error: string,
  now: Date,
): Promise<void> {
  const final = job.attempts >= job.maxAttempts;
  const retryAt = new Date(now.getTime() + 1000 * 2 ** Math.min(job.attempts, 8));
  await pg`update jobs set status = ${final ? 'failed' : 'queued'}, last_error = ${error.slice(0, 2000)},
      run_after = ${retryAt.toISOString()}, locked_until = null,
      finished_at = ${final ? now.toISOString() : null}
    where id = ${job.id} and locked_by = ${workerId}`;
}
