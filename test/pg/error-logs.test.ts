import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { composeStores } from '../../server/compose.js';
import { loadConfig } from '../../server/config.js';
import type { AppStores } from '../../server/app-stores.js';
import { tempDataDir } from '../helpers.js';
import { captureLog } from '../log-capture.js';
import { databaseFor } from './databases.js';

let stores: AppStores | undefined;
afterAll(async () => {
  await stores?.closeStores();
});

test('an idle PostgreSQL connection that fails is logged as an error (message, code), never as pg’s client', async () => {
  const dataDir = tempDataDir();
  const url = await databaseFor(dataDir);
  const captured = captureLog('info');
  // the stores main.ts builds, with its log lines
  stores = await composeStores(loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir }), captured.log);
  await stores.history.find('lobby', 1); // leaves an idle connection in the pool

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // what a PostgreSQL restart or an administrator does to idle sessions
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
  } finally {
    await admin.end();
  }
  await expect.poll(() => captured.withMessage(/^an idle PostgreSQL connection/).length).toBeGreaterThan(0);
  const [line] = captured.withMessage(/^an idle PostgreSQL connection/);
  expect(line).toMatchObject({
    level: 40,
    err: { type: 'DatabaseError', message: expect.stringContaining('terminating connection'), code: '57P01' },
  });
  const err = line!.err as Record<string, unknown>;
  expect(err.client).toBe('[Client]');
  expect(captured.text()).not.toContain('secretKey');
  expect(captured.text().length).toBeLessThan(3000);
});
