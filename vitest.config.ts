import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each file starts its own servers on ephemeral ports; two at a time suits a 2-core machine. The cluster and
    // postgres files mostly wait and ran faster four at a time (docs/performance.md), but a cluster test that
    // races the bus failed once so, in CI: all stay at two.
    maxWorkers: 2,
    // A worker runs file after file with the modules it has already loaded: importing the server and its
    // libraries again for every file took a third of the run. Every file starts and stops its own servers,
    // browser and clients, so what stays loaded is code, not state; module-level hooks are the exception
    // (the web-unit project below).
    isolate: false,
    // expect.poll waits for something that crosses processes, Redis or a browser: 1 s (vitest's default) is
    // too short on a loaded 2-core CI machine (a cross-node news test once saw nothing within it). A longer
    // wait only delays a failure; it never lets a wrong value pass.
    expect: { poll: { timeout: 5000 } },
    env: { LOG_LEVEL: 'silent' },
    setupFiles: ['test/file-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/pg/**', 'test/redis/**', 'test/cluster/**', 'test/web-unit/**'],
          globalSetup: ['test/web/global-setup.ts'],
        },
      },
      {
        // The browser client's controllers in happy-dom; the page and storage are emptied after every test
        // (test/web-unit/setup.ts).
        extends: true,
        test: {
          name: 'web-unit',
          include: ['test/web-unit/**/*.test.ts'],
          setupFiles: ['test/file-setup.ts', 'test/web-unit/setup.ts'],
        },
      },
      {
        // The server-level contract again with the history in PostgreSQL (one private server for the run),
        // plus the PostgreSQL store's own tests. Three files run once, in `sqlite`: they test timers (presence
        // batches, the presence grace, a token's real expiry) and spend their time waiting for them, not in a store.
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/chat/**/*.test.ts', 'test/delivery/**/*.test.ts', 'test/pg/**/*.test.ts'],
          exclude: [
            ...configDefaults.exclude,
            'test/chat/presence-load.test.ts',
            'test/chat/token-expiry.test.ts',
            'test/delivery/presence-grace.test.ts',
          ],
          env: { LOG_LEVEL: 'silent', TEST_HISTORY: 'postgres' },
          globalSetup: ['test/pg/global-setup.ts'],
          setupFiles: ['test/file-setup.ts', 'test/pg/file-setup.ts'],
        },
      },
      {
        // Redis stores and multi-node clusters: each cluster file starts a Redis of its own and gets a database
        // of its own on the run's PostgreSQL (test/cluster/cluster.ts), so its files run beside the others'.
        // The store tests share the run's Redis under key prefixes of their own.
        extends: true,
        test: {
          name: 'cluster',
          include: ['test/redis/**/*.test.ts', 'test/cluster/**/*.test.ts'],
          globalSetup: ['test/pg/global-setup.ts', 'test/redis/global-setup.ts'],
        },
      },
    ],
  },
});
