import { expect, test } from 'vitest';
import type { MessageDeleted, Notice, Presence } from '../../server/protocol/events.js';
import { chatAs, collect, startServer, useFreshServer } from '../helpers.js';

const ADMIN_TOKEN = 'admin-s3cret';
const server = useFreshServer({ adminToken: ADMIN_TOKEN });

function admin(method: string, path: string, options: { token?: string | null; body?: unknown } = {}) {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  return fetch(`${server.url}/api/admin${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `bearer ${token}` }), // the scheme is case-insensitive
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
}

test('without the right bearer token every admin route answers 401 and does nothing', async () => {
  const bea = await chatAs(server.url, 'bea');
  for (const token of [null, 'guess', `${ADMIN_TOKEN}x`]) {
    for (const [method, path] of [
      ['POST', '/rooms/lobby/bans'],
      ['DELETE', '/rooms/lobby/bans/bea'],
      ['DELETE', '/rooms/lobby/messages/1'],
    ] as const) {
      const res = await admin(method, path, { token, body: method === 'POST' ? { nick: 'bea' } : undefined });
      expect(res.status, `${method} ${path} with ${token}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  }
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
});

test('ban and unban over HTTP: the same effects as a moderator’s, by "admin"', async () => {
  const bea = await chatAs(server.url, 'bea');
  const cy = await chatAs(server.url, 'cy');
  await bea.emitWithAck('room:join', 'lobby');
  await cy.emitWithAck('room:join', 'lobby');
  const presence = collect<Presence>(cy, 'presence');
  const notices = collect<Notice>(cy, 'notice');

  const banned = await admin('POST', '/rooms/lobby/bans', { body: { nick: 'bea', minutes: 30 } });
  expect(banned.status).toBe(201);
  const body = (await banned.json()) as { until: number };
  expect(body).toEqual({ room: 'lobby', nick: 'bea', until: expect.any(Number) });
  expect(body.until - Date.now()).toBeGreaterThan(29 * 60_000);
  await expect.poll(() => presence).toEqual([{ room: 'lobby', left: 'bea', count: 1 }]);
  await expect
    .poll(() => notices)
    .toEqual([{ room: 'lobby', type: 'ban', nick: 'bea', by: 'admin', until: body.until }]);
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: false, error: { code: 'BANNED' } });

  const unbanned = await admin('DELETE', `/rooms/lobby/bans/${encodeURIComponent('bea')}`);
  expect(unbanned.status).toBe(200);
  expect(await unbanned.json()).toEqual({ room: 'lobby', nick: 'bea' });
  await expect.poll(() => notices.at(-1)).toEqual({ room: 'lobby', type: 'unban', nick: 'bea', by: 'admin' });
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });

  const forever = await admin('POST', `/rooms/${encodeURIComponent('Комната')}/bans`, { body: { nick: 'Zoë' } });
  expect(await forever.json()).toEqual({ room: 'Комната', nick: 'Zoë', until: null });
});

test('DELETE a message over HTTP removes it and tells the room; an unknown id is 404', async () => {
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const sent = await bea.emitWithAck('message:send', { room: 'lobby', text: 'spam' });
  if (!sent.ok) throw new Error(sent.error.code);
  const deleted = collect<MessageDeleted>(bea, 'message:deleted');
  const res = await admin('DELETE', `/rooms/lobby/messages/${sent.id}`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ room: 'lobby', id: sent.id });
  await expect.poll(() => deleted).toEqual([{ room: 'lobby', id: sent.id }]);
  const history = await bea.emitWithAck('room:history', { room: 'lobby' });
  expect(history.ok && history.messages).toMatchObject([{ id: sent.id, deleted: true, text: '' }]);
  expect((await admin('DELETE', `/rooms/lobby/messages/${sent.id + 1000}`)).status).toBe(404);
});

test.each([
  ['POST', '/rooms/lobby/bans', { nick: 'bea', minutes: 0 }],
  ['POST', '/rooms/lobby/bans', { nick: '' }],
  ['POST', '/rooms/lobby/bans', {}],
  ['POST', `/rooms/${encodeURIComponent('no room')}/bans`, { nick: 'bea' }],
  ['DELETE', `/rooms/lobby/bans/${encodeURIComponent(' ')}`, undefined],
  ['DELETE', '/rooms/lobby/messages/abc', undefined],
  ['DELETE', '/rooms/lobby/messages/0', undefined],
  ['DELETE', '/rooms/lobby/messages/0x1', undefined], // not hexadecimal, nor exponent or fraction forms of 1
  ['DELETE', '/rooms/lobby/messages/1e0', undefined],
  ['DELETE', '/rooms/lobby/messages/1.0', undefined],
  ['DELETE', '/rooms/lobby/messages/%201', undefined],
  ['DELETE', '/rooms/lobby/messages/+1', undefined],
])('%s %s with %o is 400 with a JSON error', async (method, path, body) => {
  const res = await admin(method, path, { body });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error: expect.any(String) });
});

test('without ADMIN_TOKEN the admin API answers 404', async () => {
  const plain = await startServer();
  try {
    const res = await fetch(`${plain.url}/api/admin/rooms/lobby/bans`, {
      method: 'POST',
      headers: { authorization: 'Bearer anything', 'content-type': 'application/json' },
      body: JSON.stringify({ nick: 'bea' }),
    });
    expect(res.status).toBe(404);
  } finally {
    await plain.close();
  }
});
