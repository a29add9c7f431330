import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each file starts its own servers on ephemeral ports; two at a time suits a 2-core machine.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
  },
});
