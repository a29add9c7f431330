import { rmSync } from 'node:fs';
import { expect, test } from 'vitest';
import { memoryLimits } from '../../server/lib/rate-limit.js';
import { SqliteHistory } from '../../server/stores/sqlite-history.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import {
  type ChatClient,
  LOOPBACK_BUDGETS,
  LOOPBACK_CLIENT_LIMITS,
  connectChat,
  tempDataDir,
  useFreshServer,
} from '../helpers.js';

// Hardening round 2, items 1, 3 and 5: budgets that hold across every session of one client address. The
// address is the X-Forwarded-For entry of one trusted proxy, so one test process can be several addresses.
const server = useFreshServer({ clientLimits: { ...LOOPBACK_CLIENT_LIMITS, trustedProxies: 1 } });
const rateLimited = { ok: false, error: { code: 'RATE_LIMITED' } };

async function guestFrom(address: string, nick: string): Promise<ChatClient> {
  const socket = await connectChat(server.url, 'websocket', { extraHeaders: { 'x-forwarded-for': address } });
  const ack = await socket.emitWithAck('nick:register', nick);
  if (!ack.ok) throw new Error(`${nick}: ${ack.error.code}`);
  return socket;
}

test('the sessions of one address share MESSAGES_PER_ADDRESS (sends and edits); another address is unaffected', async () => {
  await server.restartWith({
    limits: memoryLimits({ ...LOOPBACK_BUDGETS, addressMessages: { points: 6, windowSeconds: 60 } }),
  });
  const senders = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => guestFrom('10.0.0.1', `flood${i}`)));
  const acks = [];
  for (const [i, sender] of senders.entries()) {
    await sender.emitWithAck('room:join', 'lobby');
    acks.push(await sender.emitWithAck('message:send', { room: 'lobby', text: `m${i}` }));
  }
  expect(acks.slice(0, 6).every((ack) => ack.ok)).toBe(true);
  expect(acks[6]).toMatchObject(rateLimited); // a fresh session, but the address's budget is spent
  const first = acks[0]!;
  if (!first.ok) return;
  expect(await senders[0]!.emitWithAck('message:edit', { room: 'lobby', id: first.id, text: 'x' })).toMatchObject(
    rateLimited,
  );

  const bystander = await guestFrom('10.0.0.2', 'bystander');
  await bystander.emitWithAck('room:join', 'lobby');
  expect(await bystander.emitWithAck('message:send', { room: 'lobby', text: 'fine' })).toMatchObject({ ok: true });
});

test('history is charged by the rows it returns, across the sessions of an address', async () => {
  const dataDir = tempDataDir();
  const history = new SqliteHistory(SqliteDatabase.open(dataDir));
  for (let i = 1; i <= 60; i++) await history.append({ room: 'big', nick: 'bea', author: 'bea', text: `m${i}` });
  for (let i = 1; i <= 3; i++) await history.append({ room: 'small', nick: 'bea', author: 'bea', text: `s${i}` });
  const rows = { points: 160, windowSeconds: 60 };
  await server.restartWith({ history, limits: memoryLimits({ ...LOOPBACK_BUDGETS, addressHistory: rows }) });

  const ana = await guestFrom('10.0.0.1', 'ana');
  const ben = await guestFrom('10.0.0.1', 'ben');
  // A page of 3 rows costs 3, not a whole page's worth: many small pages fit.
  for (let i = 0; i < 10; i++) {
    expect(await ana.emitWithAck('room:history', { room: 'small', limit: 100 })).toMatchObject({ ok: true });
  }
  // 30 rows used; a join returns 50 (80), a page of 60 (140); another session of the address then finds 20 left.
  expect(await ana.emitWithAck('room:join', 'big')).toMatchObject({ ok: true });
  expect(await ben.emitWithAck('room:history', { room: 'big', limit: 60 })).toMatchObject({ ok: true });
  expect(await ben.emitWithAck('room:history', { room: 'big', limit: 50 })).toMatchObject(rateLimited);
  // A refused join changes nothing: ben is not in the room.
  expect(await ben.emitWithAck('room:join', 'big')).toMatchObject(rateLimited);
  expect(await ana.emitWithAck('room:members', 'big')).toMatchObject({ ok: true, members: ['ana'] });

  const carl = await guestFrom('10.0.0.2', 'carl');
  const page = await carl.emitWithAck('room:history', { room: 'big', limit: 100 });
  expect(page.ok && page.messages).toHaveLength(60);
  rmSync(dataDir, { recursive: true, force: true });
});

test('MAX_SESSIONS_PER_ADDRESS: past it nick:register answers LIMIT_EXCEEDED until a session of the address ends', async () => {
  await server.restartWith({
    clientLimits: { ...LOOPBACK_CLIENT_LIMITS, trustedProxies: 1, maxSessionsPerAddress: 3 },
  });
  const guests = await Promise.all(['a1', 'a2', 'a3'].map((nick) => guestFrom('10.0.0.1', nick)));
  const fourth = await connectChat(server.url, 'websocket', { extraHeaders: { 'x-forwarded-for': '10.0.0.1' } });
  expect(await fourth.emitWithAck('nick:register', 'a4')).toMatchObject({
    ok: false,
    error: { code: 'LIMIT_EXCEEDED' },
  });
  expect(await guestFrom('10.0.0.2', 'b1')).toBeTruthy(); // another address is not affected
  // A session that ended (here: a clean disconnect with no grace) frees its place.
  guests[0]!.disconnect();
  await expect.poll(async () => (await fourth.emitWithAck('nick:register', 'a4')).ok).toBe(true);
  // Re-registering within a live session is a rename, not a new session.
  expect(await guests[1]!.emitWithAck('nick:register', 'a2-renamed')).toMatchObject({ ok: true });
});
