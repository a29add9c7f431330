import { expect, test } from 'vitest';
import { loadConfig } from '../../server/config.js';

test('REDIS_URL without DATABASE_URL is a start-up error that names both', () => {
  expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL.*DATABASE_URL/);
  expect(() => loadConfig({ REDIS_URL: 'http://x', DATABASE_URL: 'postgres://h/db' })).toThrow(/REDIS_URL/);
  const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://h/db' });
  expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
  expect(loadConfig({}).REDIS_URL).toBeUndefined();
});
