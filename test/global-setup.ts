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
  const scratch = await ScratchServer.start(process.env.DATABASE_URL || undefined);
  project.provide('adminUrl', scratch.adminUrl);
  project.provide('templateDb', scratch.template);
  return () => scratch.stop();
}
