import { expect, test } from 'vitest';
import { defaultNodeId, loadConfig } from '../../server/config.js';

test('defaults', () => {
  expect(loadConfig({})).toEqual({
    PORT: 3000,
    HOST: '0.0.0.0',
    DATA_DIR: './data',
    CORS_ORIGINS: [],
    NEWS_RATE: 1,
    NEWS_TOPICS: ['markets', 'sports', 'tech'],
    NEWS_TOKEN: '',
    LOG_LEVEL: 'info',
    RECOVERY_WINDOW_MS: 120_000,
    PRESENCE_GRACE_MS: 5000,
    NODE_ID: defaultNodeId(),
    METRICS_TOKEN: '',
    FRAME_ANCESTORS: ["'self'"],
    SOURCE_MAPS: false,
    REFUSED_ORIGIN_LOGS_PER_MINUTE: 20,
    RECOVERY_BUFFER_BYTES: 64 * 1024 * 1024,
    RECOVERY_STREAM_MAX_LEN: 10_000,
    PRESENCE_COALESCE_ABOVE: 500,
    PRESENCE_DELIVERIES_PER_SECOND: 500,
    PRESENCE_PROCESS_DELIVERIES_PER_SECOND: 2000,
    SQLITE_BUSY_TIMEOUT_MS: 20,
    SQLITE_WRITE_TIMEOUT_MS: 2000,
    HTTP_HEADERS_TIMEOUT_MS: 10_000,
    HTTP_REQUEST_TIMEOUT_MS: 30_000,
    HTTP_MAX_CONNECTIONS: 10_000,
    GUESTS: 'on',
    ADMIN_TOKEN: '',
    MAX_SOCKETS_PER_SESSION: 10,
    MAX_CONNECTIONS_PER_IP: 50,
    MAX_ROOMS_PER_SESSION: 50,
    MAX_CONVERSATIONS_PER_PERSON: 500,
    MAX_PACKETS_PER_SECOND: 50,
    MAX_PACKET_BURST: 200,
    REQUESTS_PER_ADDRESS: 60,
    MESSAGES_PER_ADDRESS: 30,
    HISTORY_ROWS_PER_ADDRESS: 1000,
    MAX_SESSIONS_PER_ADDRESS: 100,
    NODE_LEASE_MS: 15_000,
    TRUST_PROXY: 0,
    RETENTION_DAYS: 0,
    RETENTION_SWEEP_SECONDS: 300,
    RETENTION_BATCH_ROWS: 500,
    RETENTION_BATCH_PAUSE_MS: 10,
  });
  expect(defaultNodeId()).toMatch(new RegExp(`-${process.pid}$`));
});

test('DATABASE_URL, RECOVERY_WINDOW_MS and NODE_ID', () => {
  expect(
    loadConfig({ DATABASE_URL: 'postgres://u:p@db.example/chat', RECOVERY_WINDOW_MS: '5000', NODE_ID: 'web-1' }),
  ).toMatchObject({ DATABASE_URL: 'postgres://u:p@db.example/chat', RECOVERY_WINDOW_MS: 5000, NODE_ID: 'web-1' });
});

test('TRUST_PROXY is true, false or a number of proxies', () => {
  expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
  expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(0);
  expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
});

test('PRESENCE_GRACE_MS may be 0 (no grace)', () => {
  expect(loadConfig({ PRESENCE_GRACE_MS: '0' }).PRESENCE_GRACE_MS).toBe(0);
});

test('lists are comma-separated and origins normalised', () => {
  const config = loadConfig({
    CORS_ORIGINS: 'https://a.example/, http://b.example:8080',
    NEWS_TOPICS: 'weather, traffic',
  });
  expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'http://b.example:8080']);
  expect(config.NEWS_TOPICS).toEqual(['weather', 'traffic']);
});

test('FRAME_ANCESTORS takes keywords with or without quotes and origins; SOURCE_MAPS is a boolean', () => {
  const config = loadConfig({ FRAME_ANCESTORS: "'self', https://blog.example/page", SOURCE_MAPS: 'true' });
  expect(config.FRAME_ANCESTORS).toEqual(["'self'", 'https://blog.example']);
  expect(config.SOURCE_MAPS).toBe(true);
  expect(loadConfig({ FRAME_ANCESTORS: 'none' }).FRAME_ANCESTORS).toEqual(["'none'"]);
});

test('AUTH_SECRET of 32 bytes or more turns signed identity on; GUESTS may be off', () => {
  const secret = 'k'.repeat(32);
  expect(loadConfig({ AUTH_SECRET: secret, GUESTS: 'off' })).toMatchObject({ AUTH_SECRET: secret, GUESTS: 'off' });
  expect(loadConfig({}).AUTH_SECRET).toBeUndefined();
});

test.each([
  [{ AUTH_SECRET: 'short' }, /AUTH_SECRET: must be at least 32 bytes/],
  [{ AUTH_SECRET: 'k'.repeat(31) }, /AUTH_SECRET/],
  [{ GUESTS: 'no' }, /GUESTS/],
  [{ PORT: 'eighty' }, /PORT/],
  [{ PORT: '70000' }, /PORT/],
  [{ NEWS_RATE: '-1' }, /NEWS_RATE/],
  [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  [{ CORS_ORIGINS: 'not a url' }, /CORS_ORIGINS/],
  [{ NEWS_TOPICS: 'Bad Topic' }, /NEWS_TOPICS/],
  [{ DATABASE_URL: 'mysql://db.example/chat' }, /DATABASE_URL/],
  [{ RECOVERY_WINDOW_MS: '0' }, /RECOVERY_WINDOW_MS/],
  [{ RECOVERY_WINDOW_MS: 'two minutes' }, /RECOVERY_WINDOW_MS/],
  [{ NODE_ID: 'node 1' }, /NODE_ID/],
  [{ PRESENCE_GRACE_MS: '-1' }, /PRESENCE_GRACE_MS/],
  [{ PRESENCE_GRACE_MS: '120000' }, /PRESENCE_GRACE_MS/],
  [{ FRAME_ANCESTORS: '*' }, /FRAME_ANCESTORS/],
  [{ FRAME_ANCESTORS: "'none', https://blog.example" }, /FRAME_ANCESTORS/],
  [{ SOURCE_MAPS: 'maybe' }, /SOURCE_MAPS/],
  [{ HTTP_HEADERS_TIMEOUT_MS: '500' }, /HTTP_HEADERS_TIMEOUT_MS/],
  [{ HTTP_HEADERS_TIMEOUT_MS: '40000' }, /HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS/],
  [{ HTTP_MAX_CONNECTIONS: '0' }, /HTTP_MAX_CONNECTIONS/],
  [{ MAX_SOCKETS_PER_SESSION: '0' }, /MAX_SOCKETS_PER_SESSION/],
  [{ MAX_CONNECTIONS_PER_IP: 'many' }, /MAX_CONNECTIONS_PER_IP/],
  [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY/],
  [{ RECOVERY_BUFFER_BYTES: '1000' }, /RECOVERY_BUFFER_BYTES/],
  [{ RECOVERY_STREAM_MAX_LEN: 'many' }, /RECOVERY_STREAM_MAX_LEN/],
  [{ PRESENCE_COALESCE_ABOVE: '-1' }, /PRESENCE_COALESCE_ABOVE/],
  [{ PRESENCE_DELIVERIES_PER_SECOND: '-1' }, /PRESENCE_DELIVERIES_PER_SECOND/],
  [{ SQLITE_BUSY_TIMEOUT_MS: '6000' }, /SQLITE_BUSY_TIMEOUT_MS/],
  [{ SQLITE_WRITE_TIMEOUT_MS: '-5' }, /SQLITE_WRITE_TIMEOUT_MS/],
])('invalid %o fails with a message naming the variable', (env, pattern) => {
  expect(() => loadConfig(env)).toThrow(pattern);
});
