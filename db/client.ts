import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.ts';
import { startEmbeddedPostgres } from './embedded.ts';

export type Schema = typeof schema;
export type Db = PostgresJsDatabase<Schema>;
/** A transaction handle: the same query API as Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  sql: postgres.Sql;
  url: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** An external PostgreSQL; when absent the embedded server in dataDir is used. */
  url?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  migrate?: boolean;
  log?: (line: string) => void;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export function defaultDataDir(): string {
  return resolve(process.env.CAREBRIDGE_DATA_DIR ?? '.carebridge');
}

export function connect(url: string, poolSize = 10): { db: Db; sql: postgres.Sql } {
  const sql = postgres(url, {
    max: poolSize,
    onnotice: () => {},
  });
  return { sql, db: drizzle(sql, { schema }) };
}

/** Opens the database (embedded unless a URL is given) and applies pending migrations. */
export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  let url = opts.url;
  let stopEmbedded = async () => {};
  if (!url) {
    const server = await startEmbeddedPostgres(opts.dataDir ?? defaultDataDir(), { log: opts.log });
    url = server.url;
    if (server.owned) stopEmbedded = server.stop;
  }
  const { db, sql } = connect(url, opts.poolSize);
  try {
    if (opts.migrate !== false) await migrateDatabase(sql);
  } catch (err) {
    await sql.end({ timeout: 2 });
    await stopEmbedded();
    throw err;
  }
  return {
    db,
    sql,
    url,
    async close() {
      await sql.end({ timeout: 5 });
      await stopEmbedded();
    },
  };
}

const MIGRATION_LOCK = 7_320_001;

/** Migrations run under an advisory lock so that two processes starting together do not race. */
export async function migrateDatabase(sql: postgres.Sql): Promise<void> {
  const reserved = await sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
    // The lock is held by the reserved session; the migration itself runs on the pool.
    await migrate(drizzle(sql, { schema }), { migrationsFolder });
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    reserved.release();
  }
}
