import { beforeEach, expect, test } from 'vitest';
import { chatAs, chatSigned, connectChat, useFreshServer } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { captureLog } from '../log-capture.js';

// What an operator reads in the server's log (pino JSON lines), captured from a real server.
const captured = captureLog('info');
const ADMIN_TOKEN = 'admin-s3cret';
const server = useFreshServer({
  log: captured.log,
  adminToken: ADMIN_TOKEN,
  authSecret: TEST_AUTH_SECRET,
  corsOrigins: ['https://shop.example'],
});
beforeEach(() => captured.clear());

const admin = (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) =>
  fetch(`${server.url}/api/admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });

const SECRET_TEXT = 'my-bank-pin-is-4711';

test('admin API calls, and the bans, unbans and deletes they make, are logged at info without message text', async () => {
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const sent = await bea.emitWithAck('message:send', { room: 'lobby', text: SECRET_TEXT });
  if (!sent.ok) throw new Error(sent.error.code);

  expect((await admin('POST', '/rooms/lobby/bans', { nick: 'bea', minutes: 5 })).status).toBe(201);
  expect((await admin('DELETE', '/rooms/lobby/bans/bea')).status).toBe(200);
  expect((await admin('DELETE', `/rooms/lobby/messages/${sent.id}`)).status).toBe(200);
  expect((await admin('DELETE', '/rooms/lobby/messages/1', undefined, 'wrong')).status).toBe(401);

  expect(captured.withMessage('nick banned')).toMatchObject([
    { level: 30, by: 'admin', room: 'lobby', nick: 'bea', until: expect.any(Number) },
  ]);
  expect(captured.withMessage('nick unbanned')).toMatchObject([
    { level: 30, by: 'admin', room: 'lobby', nick: 'bea', wasBanned: true },
  ]);
  expect(captured.withMessage('message deleted by a moderator')).toMatchObject([
    { level: 30, by: 'admin', room: 'lobby', id: sent.id, author: 'bea' },
  ]);
  expect(captured.withMessage('admin API call')[0]).toMatchObject({ level: 30, client: '127.0.0.1' });
  expect(captured.withMessage('admin API call').map(({ method, path, status }) => [method, path, status])).toEqual([
    ['POST', '/api/admin/rooms/lobby/bans', 201],
    ['DELETE', '/api/admin/rooms/lobby/bans/bea', 200],
    ['DELETE', `/api/admin/rooms/lobby/messages/${sent.id}`, 200],
    ['DELETE', '/api/admin/rooms/lobby/messages/1', 401],
  ]);
  expect(captured.text()).not.toContain(SECRET_TEXT);
  expect(captured.text()).not.toContain(ADMIN_TOKEN);
});

test('a moderator’s ban, unban and delete over the socket are logged with who did it', async () => {
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const mod = await chatSigned(server.url, await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' }));
  await mod.emitWithAck('room:join', 'lobby');
  const sent = await bea.emitWithAck('message:send', { room: 'lobby', text: SECRET_TEXT });
  if (!sent.ok) throw new Error(sent.error.code);

  expect(await mod.emitWithAck('message:delete', { room: 'lobby', id: sent.id })).toMatchObject({ ok: true });
  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'bea' })).toMatchObject({ ok: true });
  expect(await mod.emitWithAck('room:unban', { room: 'lobby', nick: 'bea' })).toMatchObject({ ok: true });

  expect(captured.withMessage('message deleted by a moderator')).toMatchObject([
    { level: 30, by: 'Mod', sub: 'mod-1', room: 'lobby', id: sent.id },
  ]);
  expect(captured.withMessage('nick banned')).toMatchObject([{ by: 'Mod', room: 'lobby', nick: 'bea', until: null }]);
  expect(captured.withMessage('nick unbanned')).toMatchObject([{ by: 'Mod', room: 'lobby', nick: 'bea' }]);
  // an author deleting their own message is not moderation
  await bea.emitWithAck('room:join', 'lobby'); // the ban took bea out of the room
  const own = await bea.emitWithAck('message:send', { room: 'lobby', text: 'oops' });
  if (!own.ok) throw new Error(own.error.code);
  expect(await bea.emitWithAck('message:delete', { room: 'lobby', id: own.id })).toMatchObject({ ok: true });
  expect(captured.withMessage('message deleted by a moderator')).toHaveLength(1);
  expect(captured.text()).not.toContain(SECRET_TEXT);
});

test('a refused sign-in token is logged at info with its code and reason, never the token', async () => {
  const forged = await signJwt({ sub: 'u-1', name: 'Ana' }, { secret: 'not-the-secret-of-this-server-0123' });
  await expect(connectChat(server.url, 'websocket', { auth: { jwt: forged } })).rejects.toMatchObject({
    data: { code: 'AUTH_INVALID' },
  });
  const badRole = await signJwt({ sub: 'u-1', name: 'Ana', role: 'admin' });
  await expect(connectChat(server.url, 'websocket', { auth: { jwt: badRole } })).rejects.toMatchObject({
    data: { code: 'AUTH_INVALID' },
  });
  expect(captured.withMessage('signed sign-in refused')).toMatchObject([
    { level: 30, code: 'AUTH_INVALID', reason: expect.stringMatching(/signature verification failed/) },
    { level: 30, code: 'AUTH_INVALID', reason: 'role must be "moderator"' },
  ]);
  expect(captured.text()).not.toContain(forged);
  expect(captured.text()).not.toContain(badRole.split('.')[2]);
});

test('an origin missing from CORS_ORIGINS is logged at warn, once a minute, when it loads /chat.js or connects', async () => {
  const foreign = { origin: 'https://blog.example' };
  expect((await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: foreign })).status).toBe(403);
  await fetch(`${server.url}/chat.js`, { headers: foreign });
  expect((await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: foreign })).status).toBe(403);
  await fetch(`${server.url}/chat.js`, { headers: { origin: 'https://other.example' } });
  // allowed origins and the server's own are not reported
  await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://shop.example' } });
  await fetch(`${server.url}/chat.js`, { headers: { origin: server.url } });

  const refused = captured.withMessage(/^refused a page from/);
  expect(refused).toMatchObject([
    { level: 40, origin: 'https://blog.example', path: '/socket.io/', allowedOrigins: ['https://shop.example'] },
    { level: 40, origin: 'https://other.example', path: '/chat.js' },
  ]);
  expect(refused[0]?.msg).toContain('CORS_ORIGINS');
});
