import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import pg from 'pg';

/** Agent runs checkpoint to PostgreSQL (schema `langgraph`) so that a run survives a crash. */
export async function createCheckpointer(
  url: string,
  log: (line: string) => void = () => {},
  /** Called for every query the checkpointer's pool sends (the benchmarks count them). */
  onQuery?: () => void,
): Promise<{ saver: PostgresSaver; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // An idle connection dropped by the server (restart, failover, terminated backend) is reported on
  // the pool; unhandled, it would crash the process. The pool replaces it on next use.
  pool.on('error', (err) => log(`checkpointer connection lost: ${err.message}`));
  if (onQuery) {
    // pool.query() and pool.connect() both end in a pooled client's query(): counting there counts both.
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((...args: unknown[]) => {
        onQuery();
        return query(...args);
      }) as typeof client.query;
    });
  }
  const saver = new PostgresSaver(pool, undefined, { schema: 'langgraph' });
  await setupOnce(saver, pool);
  return { saver, close: () => pool.end() };
}

const SETUP_LOCK = 7_320_003;

/** setup() creates tables; under an advisory lock so two processes starting together do not race. */
async function setupOnce(saver: PostgresSaver, pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SETUP_LOCK]);
    await saver.setup();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [SETUP_LOCK]);
    client.release();
  }
}
