import { Agent, request } from 'node:http';

/**
 * POSTs JSON over a keep-alive agent and resolves with the status once the body is read. Plain
 * node:http, not fetch: the generator shares the machine with what it measures, and fetch's
 * streams cost several times more CPU per request.
 */
export function jsonPoster(concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...headers,
          },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { post, close: () => agent.destroy() };
}

/** A closed-loop load generator: `concurrency` clients each send the next request when the last returns. */
export interface LoadResult {
  /** Every latency in ms, sorted; kept so that rounds can be merged. */
  latencies: number[];
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(
  send: (i: number) => Promise<number>,
  opts: { seconds: number; concurrency: number; maxRequests?: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  const max = opts.maxRequests ?? Number.POSITIVE_INFINITY;
  const client = async () => {
    while (performance.now() < deadline && next < max) {
      const i = next++;
      const t0 = performance.now();
      try {
        const status = await send(i);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status >= 400) errors++;
      } catch {
        errors++;
        statuses.network = (statuses.network ?? 0) + 1;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    latencies,
    requests: latencies.length,
    errors,
    seconds,
    throughput: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses,
  };
}

/** Rounds of one endpoint as one result: total requests over total time, percentiles over all. */
export function mergeLoads(rounds: LoadResult[]): LoadResult {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = rounds.reduce((s, r) => s + r.seconds, 0);
  const statuses: Record<string, number> = {};
  for (const r of rounds)
    for (const [k, n] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + n;
  return {
    latencies,
    requests: latencies.length,
    errors: rounds.reduce((s, r) => s + r.errors, 0),
    seconds,
    throughput: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses,
  };
}
