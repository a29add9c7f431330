import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each file starts its own servers on ephemeral ports; two at a time suits a 2-core machine.
    maxWorkers: 2,
    // expect.poll waits for something that crosses processes, Redis or a browser: 1 s (vitest's default) is
    // too short on a loaded 2-core CI machine (a cross-node news test once saw nothing within it). A longer
    // wait only delays a failure; it never lets a wrong value pass.
    expect: { poll: { timeout: 5000 } },
    env: { LOG_LEVEL: 'silent' },
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/pg/**', 'test/redis/**', 'test/cluster/**'],
        },
      },
      {
        // The server-level contract again with the history in PostgreSQL (one private server for the run),
        // plus the PostgreSQL store's own tests.
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/chat/**/*.test.ts', 'test/delivery/**/*.test.ts', 'test/pg/**/*.test.ts'],
          env: { LOG_LEVEL: 'silent', TEST_HISTORY: 'postgres' },
          globalSetup: ['test/pg/global-setup.ts'],
          setupFiles: ['test/pg/file-setup.ts'],
        },
      },
      {
        // Redis stores and multi-node clusters on one Redis and one PostgreSQL for the run: each file gets the
        // Redis emptied and a database of its own (test/cluster/cluster.ts); files that kill, pause or restart
        // them start private ones. One file at a time: a cluster is several servers, fault tests time
        // heartbeats, and the files take turns with the Redis.
        extends: true,
        test: {
          name: 'cluster',
          include: ['test/redis/**/*.test.ts', 'test/cluster/**/*.test.ts'],
          fileParallelism: false,
          globalSetup: ['test/pg/global-setup.ts', 'test/redis/global-setup.ts'],
        },
      },
    ],
  },
});
