import { afterAll, beforeAll, expect, test } from 'vitest';
import { PgHistory } from '../../server/stores/pg-history.js';
import { PgDatabase } from '../../server/stores/pg-database.js';
import { type TestServer, chatAs, disconnectAll, startServer } from '../helpers.js';
import { type PgServer, startPostgres } from './postgres.js';

let pgServer: PgServer;
let server: TestServer;
beforeAll(async () => {
  pgServer = await startPostgres(); // our own, since this test stops it
  server = await startServer({
    history: new PgHistory(await PgDatabase.open(pgServer.url, { onIdleError: () => {} })),
  });
});
afterAll(async () => {
  disconnectAll();
  await server?.close();
  await pgServer?.destroy();
});

test('PostgreSQL down: sends and history answer INTERNAL within seconds, nothing is broadcast; back: it works again', async () => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  let broadcasts = 0;
  ana.on('message', () => broadcasts++);
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'before', clientId: 'm1' })).toMatchObject({
    ok: true,
  });

  await pgServer.stop();
  const started = Date.now();
  const internal = { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
  expect(
    await ana.timeout(10_000).emitWithAck('message:send', { room: 'lobby', text: 'lost', clientId: 'm2' }),
  ).toEqual(internal);
  expect(await ana.timeout(10_000).emitWithAck('room:history', { room: 'lobby' })).toEqual(internal);
  expect(Date.now() - started).toBeLessThan(5000);
  expect(await ana.emitWithAck('room:members', 'lobby')).toMatchObject({ ok: true, members: ['ana'] }); // still serving

  await pgServer.start();
  await expect
    .poll(async () => (await ana.emitWithAck('message:send', { room: 'lobby', text: 'lost', clientId: 'm2' })).ok, {
      timeout: 10_000,
      interval: 200,
    })
    .toBe(true);
  const history = await ana.emitWithAck('room:history', { room: 'lobby' });
  expect(history.ok && history.messages.map((m) => m.text)).toEqual(['before', 'lost']);
  expect(broadcasts).toBe(2); // 'before' and the retried 'lost', nothing during the outage
});

test('PostgreSQL hung (no answers, connections open): INTERNAL within the timeouts, then it works again', async () => {
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'hung');
  expect(await bea.emitWithAck('message:send', { room: 'hung', text: 'warm' })).toMatchObject({ ok: true });
  await pgServer.freeze();
  const started = Date.now();
  try {
    const internal = { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
    expect(
      await bea.timeout(15_000).emitWithAck('message:send', { room: 'hung', text: 'stuck', clientId: 'h1' }),
    ).toEqual(internal);
    expect(await bea.timeout(15_000).emitWithAck('room:history', { room: 'hung' })).toEqual(internal);
    expect(Date.now() - started).toBeLessThan(10_000);
  } finally {
    await pgServer.thaw();
  }
  await expect
    .poll(async () => (await bea.emitWithAck('message:send', { room: 'hung', text: 'stuck', clientId: 'h1' })).ok, {
      timeout: 15_000,
      interval: 300,
    })
    .toBe(true);
});
