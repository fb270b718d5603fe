import { join } from 'node:path';
import { defaultDataDir } from '../db/client.ts';
import { modelSettingsFromEnv } from '../agents/runtime/model.ts';

export type SeedSize = 'small' | 'medium' | 'large';

/** Configuration comes from the environment; every setting has a default that runs the demo. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const dataDir = defaultDataDir();
  const size = env.CAREBRIDGE_SEED_SIZE ?? 'medium';
  if (!['small', 'medium', 'large'].includes(size)) {
    throw new Error(`CAREBRIDGE_SEED_SIZE must be small, medium or large, not ${size}`);
  }
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    demoKeysFile: join(dataDir, 'demo-keys.json'),
    seed: Number(env.CAREBRIDGE_SEED ?? 42),
    seedSize: size as SeedSize,
    model: modelSettingsFromEnv(env),
    jobLeaseMs: Number(env.CAREBRIDGE_JOB_LEASE_MS ?? 60_000),
    allowedOrigins: (env.CAREBRIDGE_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
  };
}
export type Config = ReturnType<typeof loadConfig>;

/** Diagnostics go to stderr, always: stdout belongs to command output (and to MCP over stdio). */
export const log = (line: string) => process.stderr.write(`${line}\n`);
