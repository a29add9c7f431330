import { expect, test } from 'vitest';
import type { ChatClient } from '../helpers.js';
import { chatAs, chatSigned, connectChat, identitiesOf, useFreshServer } from '../helpers.js';
import { TEST_AUTH_SECRET, inSeconds, signJwt } from '../jwt.js';

// Hardening round 2, item 7: a signed socket's rights end with its token. Tokens here live 2-4 s, so these tests
// wait for the server's own clock; each awaits an event, never a fixed sleep.
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET });
const moderator = (exp: number) => signJwt({ sub: 'm-1', name: 'Mod', role: 'moderator', exp });

interface Expired {
  code: string;
  at: number;
}
function expiry(socket: ChatClient): Promise<Expired> {
  return new Promise((resolve) => socket.once('auth:expired', ({ code }) => resolve({ code, at: Date.now() })));
}
const disconnected = (socket: ChatClient) =>
  new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

test("at exp a moderator's socket is told auth:expired and its /chat is disconnected", async () => {
  const started = Date.now();
  const mod = await chatSigned(server.url, await moderator(inSeconds(2)));
  const [expired, gone] = [expiry(mod), disconnected(mod)];
  await mod.emitWithAck('room:join', 'lobby');
  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'spammer', minutes: 1 })).toMatchObject({ ok: true });
  expect(await expired).toMatchObject({ code: 'AUTH_EXPIRED' });
  expect(await gone).toBe('io server disconnect'); // socket.io-client does not reconnect by itself
  expect(Date.now() - started).toBeGreaterThan(900); // not before exp (whole seconds: at least 1 s ahead)
  expect(mod.connected).toBe(false);
});

test('auth:refresh with a newer token of the same user moves the end; another user or a bad token is refused', async () => {
  const started = Date.now();
  const mod = await chatSigned(server.url, await moderator(inSeconds(2)));
  const expired = expiry(mod);
  const later = inSeconds(4);
  expect(await mod.emitWithAck('auth:refresh', await moderator(later))).toEqual({ ok: true, exp: later });
  expect(await mod.emitWithAck('auth:refresh', await signJwt({ sub: 'other', name: 'Mod' }))).toMatchObject({
    ok: false,
    error: { code: 'NOT_ALLOWED' },
  });
  expect(await mod.emitWithAck('auth:refresh', 'not.a.jwt')).toMatchObject({
    ok: false,
    error: { code: 'AUTH_INVALID' },
  });
  expect((await expired).at - started).toBeGreaterThan(2500); // the first token's exp passed without effect
});

test('a refreshed token without the moderator role takes the rights away at once', async () => {
  const mod = await chatSigned(server.url, await moderator(inSeconds(3600)));
  await mod.emitWithAck('room:join', 'lobby');
  const user = await signJwt({ sub: 'm-1', name: 'Mod', exp: inSeconds(3600) });
  expect(await mod.emitWithAck('auth:refresh', user)).toMatchObject({ ok: true });
  await expect.poll(() => identitiesOf(mod).at(-1)).toEqual({ nick: 'Mod', role: 'user' });
  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'x' })).toMatchObject({
    ok: false,
    error: { code: 'NOT_ALLOWED' },
  });
});

test('a guest has no token to refresh', async () => {
  const guest = await chatAs(server.url, 'ana');
  expect(await guest.emitWithAck('auth:refresh', await moderator(inSeconds(60)))).toMatchObject({
    ok: false,
    error: { code: 'NOT_ALLOWED' },
  });
});

test('a recovered connection is checked again: with a refused jwt it is disconnected', async () => {
  let jwt = await moderator(inSeconds(2));
  const mod = await connectChat(server.url, 'websocket', {
    auth: (send: (auth: object) => void) => send({ jwt }),
    reconnection: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
  });
  await expect.poll(() => identitiesOf(mod)).toEqual([{ nick: 'Mod', role: 'moderator' }]);
  jwt = 'garbage';
  const expired = expiry(mod);
  const back = new Promise<boolean>((resolve) => mod.once('connect', () => resolve(mod.recovered)));
  mod.io.engine.close(); // a cut: Socket.IO recovers the session, skipping the handshake middleware
  expect(await back).toBe(true);
  expect(await expired).toMatchObject({ code: 'AUTH_INVALID' });
  await expect.poll(() => mod.connected).toBe(false);
});
