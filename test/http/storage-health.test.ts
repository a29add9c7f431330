import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { SqliteHistory } from '../../server/stores/sqlite-history.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import { type TestServer, chatAs, disconnectAll, startServer, tempDataDir } from '../helpers.js';

// Issue 13, storage: another process holding the SQLite write lock must not freeze the server (better-sqlite3
// waited 5 s per write, blocking the loop), and /healthz must say when sends cannot be stored.
const token = 'm3trics';
let server: TestServer;
let dataDir: string;
let history: SqliteHistory;

beforeEach(async () => {
  dataDir = tempDataDir();
  history = new SqliteHistory(SqliteDatabase.open(dataDir, { writeTimeoutMs: 1000 }));
  server = await startServer({ dataDir, history, http: { metricsToken: token } });
});
afterEach(async () => {
  disconnectAll();
  await server.close();
});

/** /healthz, failing the test if it takes over 2.5 s (a frozen loop, as before the fix). */
async function healthz(withToken = false) {
  const headers: Record<string, string> = withToken ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${server.url}/healthz`, { headers, signal: AbortSignal.timeout(2500) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function memberOf(room: string) {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', room);
  expect(await ana.emitWithAck('message:send', { room, text: 'before' })).toMatchObject({ ok: true });
  return ana;
}

test('another process holding the write lock: sends answer INTERNAL in bounded time, /healthz 503, reads go on', async () => {
  const ana = await memberOf('lobby');
  const other = new Database(join(dataDir, 'chat.db'));
  other.exec('BEGIN EXCLUSIVE');
  try {
    const send = ana.timeout(4000).emitWithAck('message:send', { room: 'lobby', text: 'during' });
    expect(await healthz()).toEqual({ status: 503, body: { status: 'unavailable' } }); // minimal without the token
    expect((await healthz(true)).body).toMatchObject({
      status: 'unavailable',
      storage: { ok: false, store: 'sqlite', problem: 'locked', error: 'SQLITE_BUSY' },
    });
    expect(await ana.emitWithAck('room:history', { room: 'lobby' })).toMatchObject({
      ok: true,
      messages: [{ text: 'before' }],
    });
    expect(await send).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  expect(await healthz(true)).toMatchObject({ status: 200, body: { storage: { ok: true, store: 'sqlite' } } });
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'after' })).toMatchObject({ ok: true });
});

test('a send that arrives while the lock is held is stored once it is released, within the write timeout', async () => {
  const ana = await memberOf('lobby');
  const other = new Database(join(dataDir, 'chat.db'));
  other.exec('BEGIN EXCLUSIVE');
  const send = ana.timeout(4000).emitWithAck('message:send', { room: 'lobby', text: 'waited' });
  await expect.poll(async () => (await healthz()).status).toBe(503);
  other.exec('ROLLBACK');
  other.close();
  const reply = await send;
  expect(reply).toMatchObject({ ok: true });
  expect(await ana.emitWithAck('room:history', { room: 'lobby' })).toMatchObject({
    messages: [{ text: 'before' }, { text: 'waited' }],
  });
});

test('the database file gone: /healthz 503 "gone", sends refused rather than acknowledged into nowhere', async () => {
  const ana = await memberOf('lobby');
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `chat.db${suffix}`), { force: true });
  expect(await healthz()).toEqual({ status: 503, body: { status: 'unavailable' } });
  expect((await healthz(true)).body).toMatchObject({ storage: { ok: false, problem: 'gone' } });
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'lost' })).toMatchObject({
    ok: false,
    error: { code: 'INTERNAL' },
  });
  expect(await ana.emitWithAck('room:history', { room: 'lobby' })).toMatchObject({ ok: true });
});

test('a full disk: sends refused, /healthz 503 "full"; once there is room again /healthz is 200 before any send', async () => {
  const ana = await memberOf('lobby');
  // A full disk on demand: SQLite refuses to grow the file past max_page_count (of the server's connection).
  const { db } = history as unknown as { db: Database.Database };
  const pages = Number(db.pragma('page_count', { simple: true }));
  db.pragma(`max_page_count = ${pages}`);
  const bulky = 'x'.repeat(1900);
  let refused = false;
  for (let i = 0; i < 50 && !refused; i++) {
    const res = await ana.emitWithAck('message:send', { room: 'lobby', text: `${i} ${bulky}` });
    refused = !res.ok;
  }
  expect(refused).toBe(true);
  expect((await healthz(true)).body).toMatchObject({ storage: { ok: false, problem: 'full' } });
  await new Promise((resolve) => setTimeout(resolve, 1100)); // past the probe's interval: it still finds no room
  expect((await healthz(true)).body).toMatchObject({ storage: { ok: false, problem: 'full' } });
  db.pragma(`max_page_count = ${pages * 100}`);
  await expect.poll(async () => (await healthz()).status, { timeout: 5000, interval: 300 }).toBe(200);
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'room again' })).toMatchObject({ ok: true });
});
