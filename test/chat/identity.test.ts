import { describe, expect, test } from 'vitest';
import type { Message, Presence } from '../../server/protocol/events.js';
import {
  chatAs,
  chatSigned,
  collect,
  connectChat,
  identitiesOf,
  nextEvent,
  settle,
  startServer,
  useFreshServer,
} from '../helpers.js';
import { TEST_AUTH_SECRET, inSeconds, signJwt, unsignedJwt } from '../jwt.js';
import { RawEngine } from '../raw-engine.js';

const server = useFreshServer({ authSecret: TEST_AUTH_SECRET });

const refusal = (jwt: unknown) => connectChat(server.url, 'websocket', { auth: { jwt } });

describe.each(['websocket', 'polling'] as const)('a signed user over %s', (transport) => {
  test('is that user at once: identity, then join and send without nick:register; messages carry the name', async () => {
    const ana = await chatSigned(server.url, await signJwt({ sub: 'u-1', name: '  Ana  ' }), transport);
    expect(identitiesOf(ana)).toEqual([{ nick: 'Ana', role: 'user' }]);
    expect(await ana.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, members: ['Ana'] });
    const got = nextEvent<Message>(ana, 'message');
    expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'hi' })).toMatchObject({ ok: true });
    expect(await got).toMatchObject({ room: 'lobby', nick: 'Ana', text: 'hi' });
  });
});

test('a name longer than a nick is shortened to its first 32 characters, never cut inside one', async () => {
  const long = await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Maximiliane Alexandra von Hohenberg' }));
  expect(identitiesOf(long)).toEqual([{ nick: 'Maximiliane Alexandra von Hohenb', role: 'user' }]);
  // 31 letters, then a q with a combining acute (2 code points, no precomposed form) that would end past 32: it all goes
  const accented = await chatSigned(server.url, await signJwt({ sub: 'u-2', name: `${'b'.repeat(31)}q\u0301xyz` }));
  expect(identitiesOf(accented)).toEqual([{ nick: 'b'.repeat(31), role: 'user' }]);
  // cut before a space: trimmed
  const spaced = await chatSigned(server.url, await signJwt({ sub: 'u-3', name: `${'c'.repeat(32)} Smith` }));
  expect(identitiesOf(spaced)).toEqual([{ nick: 'c'.repeat(32), role: 'user' }]);
});

test('a moderator token says so in identity', async () => {
  const mod = await chatSigned(server.url, await signJwt({ sub: 'm-1', name: 'Mod', role: 'moderator' }));
  expect(identitiesOf(mod)).toEqual([{ nick: 'Mod', role: 'moderator' }]);
});

test('every tab of one sub is one session: once in presence, one left only when the last tab goes', async () => {
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const seen = collect<Presence>(bea, 'presence');
  const jwt = await signJwt({ sub: 'u-1', name: 'Ana' });
  const tab1 = await chatSigned(server.url, jwt);
  const tab2 = await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana' }, {}));
  await tab1.emitWithAck('room:join', 'lobby');
  expect(await tab2.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, members: ['Ana', 'bea'] });
  tab1.disconnect();
  await settle(tab2);
  await settle(bea);
  expect(seen).toEqual([{ room: 'lobby', joined: 'Ana', count: 2 }]);
  tab2.disconnect();
  await expect
    .poll(() => seen)
    .toEqual([
      { room: 'lobby', joined: 'Ana', count: 2 },
      { room: 'lobby', left: 'Ana', count: 1 },
    ]);
});

test('a guest can never register a signed user’s held name, look-alikes included', async () => {
  await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'PayPal' }));
  const guest = await connectChat(server.url);
  for (const nick of ['PayPal', 'paypal', 'PayPaI', 'p\u0430yp\u0430l']) {
    expect(await guest.emitWithAck('nick:register', nick)).toMatchObject({
      ok: false,
      error: { code: 'NICK_TAKEN' },
    });
  }
});

test('a signed user takes a name a guest holds; the guest is renamed to a free variant and told so', async () => {
  const guest = await chatAs(server.url, 'ana');
  await chatAs(server.url, 'ANA-2'); // the first variant is taken: the guest gets the next one
  const watcher = await chatAs(server.url, 'cy');
  await guest.emitWithAck('room:join', 'lobby');
  await watcher.emitWithAck('room:join', 'lobby');
  const seen = collect<Presence>(watcher, 'presence');
  const ana = await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana' }));
  expect(identitiesOf(ana)).toEqual([{ nick: 'Ana', role: 'user' }]);
  await expect.poll(() => identitiesOf(guest)).toEqual([{ nick: 'ana-3', role: 'guest' }]);
  await expect.poll(() => seen).toEqual([{ room: 'lobby', renamed: { from: 'ana', to: 'ana-3' }, count: 2 }]);
  const got = nextEvent<Message>(watcher, 'message');
  await guest.emitWithAck('message:send', { room: 'lobby', text: 'still me' });
  expect(await got).toMatchObject({ nick: 'ana-3', text: 'still me' });
  // the guest cannot take it back
  expect(await guest.emitWithAck('nick:register', 'ana')).toMatchObject({ ok: false, error: { code: 'NICK_TAKEN' } });
});

test('a guest away (its connection cut) when its name is taken is renamed; nobody else hears of it', async () => {
  const guest = await chatAs(server.url, 'ana');
  const cy = await chatAs(server.url, 'cy');
  const id = guest.id!;
  guest.io.engine.close(); // its session keeps the nick for the recovery window
  await expect.poll(() => server.app.io.of('/chat').sockets.has(id)).toBe(false);
  const ana = await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana' }));
  expect(identitiesOf(ana)).toEqual([{ nick: 'Ana', role: 'user' }]);
  await settle(cy);
  expect(identitiesOf(cy)).toEqual([]);
  expect(await cy.emitWithAck('nick:register', 'ana-2')).toMatchObject({ ok: false, error: { code: 'NICK_TAKEN' } });
});

test('a second user with a name another signed user holds gets a variant', async () => {
  await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana' }));
  const other = await chatSigned(server.url, await signJwt({ sub: 'u-2', name: 'ana' }));
  expect(identitiesOf(other)).toEqual([{ nick: 'ana-2', role: 'user' }]);
});

test('a cut connection that Socket.IO recovers keeps its identity; the new handshake carries a fresh jwt', async () => {
  let jwt = await signJwt({ sub: 'u-1', name: 'Ana' });
  const ana = await connectChat(server.url, 'websocket', {
    auth: (send: (auth: object) => void) => send({ jwt }),
    reconnection: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
  });
  await expect.poll(() => identitiesOf(ana)).toEqual([{ nick: 'Ana', role: 'user' }]);
  await ana.emitWithAck('room:join', 'lobby');
  const first = nextEvent<Message>(ana, 'message'); // recovery resumes from the last broadcast received
  await ana.emitWithAck('message:send', { room: 'lobby', text: 'first' });
  await first;
  jwt = await signJwt({ sub: 'u-1', name: 'Ana', exp: inSeconds(7200) }); // checked again (token-expiry.test.ts)
  const back = new Promise<void>((resolve) => ana.once('connect', () => resolve()));
  ana.io.engine.close();
  await back;
  expect(ana.recovered).toBe(true);
  await expect.poll(() => identitiesOf(ana).length).toBe(2);
  expect(identitiesOf(ana)[1]).toEqual({ nick: 'Ana', role: 'user' });
  const got = nextEvent<Message>(ana, 'message');
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'back' })).toMatchObject({ ok: true });
  expect(await got).toMatchObject({ nick: 'Ana', text: 'back' });
});

test('nick:register on a signed socket is NOT_ALLOWED', async () => {
  const ana = await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana' }));
  expect(await ana.emitWithAck('nick:register', 'Other')).toMatchObject({
    ok: false,
    error: { code: 'NOT_ALLOWED' },
  });
});

describe('refused handshakes', () => {
  test('AUTH_INVALID: bad signature, alg none, another algorithm, malformed, not a string', async () => {
    const claims = { sub: 'u-1', name: 'Ana' };
    const refused = [
      await signJwt(claims, { secret: 'another-secret-of-at-least-32-bytes!!' }),
      unsignedJwt(claims),
      await signJwt(claims, { alg: 'HS512' }),
      'not.a.jwt',
      'garbage',
      '',
      42,
      'x'.repeat(5000),
    ];
    for (const jwt of refused) {
      await expect(refusal(jwt), String(jwt)).rejects.toMatchObject({ data: { code: 'AUTH_INVALID' } });
    }
  });

  test('AUTH_INVALID: bad claims (exp over 24 h ahead or missing, sub missing, bad name or role)', async () => {
    const bad = [
      { sub: 'u-1', name: 'Ana', exp: inSeconds(24 * 3600 + 120) },
      { sub: 'u-1', name: 'Ana', exp: null },
      { name: 'Ana' },
      { sub: '', name: 'Ana' },
      { sub: 7, name: 'Ana' },
      { sub: 'u-1' },
      { sub: 'u-1', name: 'a\u200bdmin' },
      { sub: 'u-1', name: ' '.repeat(40) },
      { sub: 'u-1', name: 'Ana', role: 'admin' },
    ];
    for (const claims of bad) {
      await expect(refusal(await signJwt(claims)), JSON.stringify(claims)).rejects.toMatchObject({
        data: { code: 'AUTH_INVALID' },
      });
    }
  });

  test('on the wire a refusal is one CONNECT_ERROR packet: 44/chat,{message, data: { code }}', async () => {
    const raw = await RawEngine.open(server.url);
    try {
      raw.ws.send(`40/chat,${JSON.stringify({ jwt: 'not.a.jwt' })}`);
      const frame = await raw.next((f) => f.startsWith('44/chat,'));
      expect(JSON.parse(frame.slice('44/chat,'.length))).toEqual({
        message: expect.any(String),
        data: { code: 'AUTH_INVALID' },
      });
    } finally {
      raw.close();
    }
  });

  test('AUTH_EXPIRED for an expired token; the server and its other clients are unaffected', async () => {
    const bea = await chatAs(server.url, 'bea');
    const expired = await signJwt({ sub: 'u-1', name: 'Ana', exp: inSeconds(-10) });
    await expect(refusal(expired)).rejects.toMatchObject({ data: { code: 'AUTH_EXPIRED' } });
    expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, members: ['bea'] });
    // a token valid for just under 24 h is fine
    await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana', exp: inSeconds(24 * 3600 - 60) }));
  });

  test('without AUTH_SECRET a jwt is AUTH_INVALID, and guests chat as before', async () => {
    const plain = await startServer();
    try {
      const jwt = await signJwt({ sub: 'u-1', name: 'Ana' });
      await expect(connectChat(plain.url, 'websocket', { auth: { jwt } })).rejects.toMatchObject({
        data: { code: 'AUTH_INVALID' },
      });
      await chatAs(plain.url, 'Ana');
    } finally {
      await plain.close();
    }
  });
});

test('GUESTS=off: nick:register is NOT_ALLOWED, so guests cannot chat; signed users can', async () => {
  const closed = await startServer({ authSecret: TEST_AUTH_SECRET, guests: false });
  try {
    const guest = await connectChat(closed.url);
    expect(await guest.emitWithAck('nick:register', 'bea')).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED' },
    });
    expect(await guest.emitWithAck('room:join', 'lobby')).toMatchObject({
      ok: false,
      error: { code: 'NICK_REQUIRED' },
    });
    const ana = await chatSigned(closed.url, await signJwt({ sub: 'u-1', name: 'Ana' }));
    expect(await ana.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
    expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'hi' })).toMatchObject({ ok: true });
  } finally {
    await closed.close();
  }
});
