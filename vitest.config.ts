import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.carebridge/**'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file gets its own database, so files can run in parallel safely.
    fileParallelism: true,
    // Most test time is spent waiting on PostgreSQL and on child processes (the CLI, stdio servers, the
    // Inspector), so more files than cores keep the cores busy; vitest's default is one less than cores.
    maxWorkers: Math.max(3, availableParallelism()),
  },
});
