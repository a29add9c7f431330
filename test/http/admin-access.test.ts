import { expect, test } from 'vitest';
import type { AuditPage, BanList } from '../../server/protocol/admin.js';
import type { AdminOverview, AdminRoomList } from '../../server/protocol/admin-console.js';
import { chatAs, connectChat, connectNews, inRoom, sendText, startServer, useFreshServer } from '../helpers.js';
import { TEST_AUTH_SECRET, inSeconds, signJwt } from '../jwt.js';

// Who may call which admin route: ADMIN_TOKEN every one; a moderator's signed token the staff routes only, as
// itself in the audit log; any other signed token is forbidden; a bad token is a failed guess.

const ADMIN_TOKEN = 'admin-s3cret';
const server = useFreshServer({ adminToken: ADMIN_TOKEN, authSecret: TEST_AUTH_SECRET });

const moderator = () => signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' });

function call(path: string, token: string, method = 'GET', url = server.url) {
  return fetch(`${url}/api/admin${path}`, { method, headers: { authorization: `Bearer ${token}` } });
}

async function read<T>(path: string, token: string): Promise<T> {
  const res = await call(path, token);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

test('/me names the rights of the token: ADMIN_TOKEN is admin, a moderator’s token the moderator', async () => {
  expect(await read('/me', ADMIN_TOKEN)).toEqual({ role: 'admin' });
  expect(await read('/me', await moderator())).toEqual({ role: 'moderator', nick: 'Mod', sub: 'mod-1' });
});

test('a moderator’s token lists bans and unbans; the audit entry names the moderator', async () => {
  const banned = await fetch(`${server.url}/api/admin/rooms/lobby/bans`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ nick: 'bea', reason: 'spam' }),
  });
  expect(banned.status).toBe(201);
  const jwt = await moderator();
  expect(await read<BanList>('/rooms/lobby/bans', jwt)).toMatchObject({ bans: [{ nick: 'bea', by: 'admin' }] });

  const unban = await call('/rooms/lobby/bans/bea', jwt, 'DELETE');
  expect(unban.status).toBe(200);
  expect(await read<BanList>('/rooms/lobby/bans', jwt)).toEqual({ bans: [] });
  expect((await read<AuditPage>('/audit', ADMIN_TOKEN)).entries).toMatchObject([
    { actor: { nick: 'Mod', sub: 'mod-1' }, action: 'unban', room: 'lobby', target: 'bea' },
    { actor: 'admin-api', action: 'ban' },
  ]);
});

test('a moderator’s token is forbidden on the admin-only routes: the audit log', async () => {
  const res = await call('/audit', await moderator());
  expect(res.status).toBe(403);
  expect(await res.json()).toEqual({ error: expect.stringMatching(/^FORBIDDEN/) });
});

test('a signed token without the moderator role is forbidden everywhere, and is not a failed guess', async () => {
  const user = await signJwt({ sub: 'u-1', name: 'Kim' });
  for (let i = 0; i < 12; i++) expect((await call('/rooms/lobby/bans', user)).status).toBe(403);
  expect((await call('/me', user)).status).toBe(403);
  expect((await call('/overview', ADMIN_TOKEN)).status).toBe(200); // 12 refusals spent nothing of the budget
});

test.each([
  ['garbage', () => Promise.resolve('not-a-token')],
  ['another secret', () => signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' }, { secret: 'x'.repeat(40) })],
  ['expired', () => signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator', exp: inSeconds(-60) })],
])('a bad token (%s) is 401 and spends the shared failure budget', async (_label, token) => {
  const bad = await token();
  for (let i = 0; i < 10; i++) {
    const res = await call('/rooms/lobby/bans', bad);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  }
  expect((await call('/me', ADMIN_TOKEN)).status).toBe(429); // the budget is spent: even the right token waits
});

test('without AUTH_SECRET a moderator’s token is a bad token', async () => {
  const plain = await startServer({ adminToken: ADMIN_TOKEN });
  try {
    expect((await call('/rooms/lobby/bans', await moderator(), 'GET', plain.url)).status).toBe(401);
    expect((await call('/me', ADMIN_TOKEN, 'GET', plain.url)).status).toBe(200);
  } finally {
    await plain.close();
  }
});

test('the overview counts this node’s sockets per namespace and the messages stored in the last minute', async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  await connectChat(server.url);
  await connectNews(server.url);
  for (const text of ['one', 'two', 'three']) await sendText(bea, text);
  const overview = await read<AdminOverview>('/overview', await moderator());
  expect(overview).toEqual({
    sockets: { chat: 2, news: 1 },
    messagesPerMinute: 3,
    nodes: [
      {
        node: 'test-node',
        ok: true,
        at: expect.any(Number),
        sockets: { chat: 2, news: 1 },
        messagesPerMinute: 3,
        storage: { ok: true, store: expect.stringMatching(/^(sqlite|postgres)$/) },
      },
    ],
  });
});

test('the rooms list has the public rooms with people in them, busiest first, and how long each keeps messages', async () => {
  await inRoom(await chatAs(server.url, 'bea'), 'lobby');
  const cy = await inRoom(await chatAs(server.url, 'cy'), 'lobby');
  await inRoom(cy, 'café');
  const retention = await fetch(`${server.url}/api/admin/rooms/caf%C3%A9/retention`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ days: 30 }),
  });
  expect(retention.status).toBe(200);
  expect(await read<AdminRoomList>('/rooms', await moderator())).toEqual({
    rooms: [
      { name: 'lobby', members: 2, retentionDays: 0 },
      { name: 'café', members: 1, retentionDays: 30 },
    ],
  });
});
