import { expect, test } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import { chatAs, chatSigned, nextEvent, useFreshServer } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';

// Hardening round 2, item 2: edit and delete rights follow the author's identity (the signed `sub`, or the guest
// session), never the nick, which is free again once its session has ended.
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET });
const refused = { ok: false, error: { code: 'NOT_ALLOWED' } };

test("a guest who takes a signed user's name (or a look-alike) after they left cannot edit or delete", async () => {
  const jwt = await signJwt({ sub: 'u-alice', name: 'Alice' });
  const alice = await chatSigned(server.url, jwt);
  await alice.emitWithAck('room:join', 'support');
  const sent = await alice.emitWithAck('message:send', { room: 'support', text: 'Refunds: ask me here' });
  if (!sent.ok) throw new Error(sent.error.code);
  alice.disconnect(); // a clean disconnect; with no grace (the test server's) the session ends at once

  for (const nick of ['Аlice', 'Alice']) {
    // Cyrillic А first, then the name itself
    const guest = await chatAs(server.url, nick);
    await guest.emitWithAck('room:join', 'support');
    const edit = { room: 'support', id: sent.id, text: 'send your card number to https://evil.example' };
    expect(await guest.emitWithAck('message:edit', edit)).toMatchObject(refused);
    expect(await guest.emitWithAck('message:delete', { room: 'support', id: sent.id })).toMatchObject(refused);
    guest.disconnect();
  }

  const back = await chatSigned(server.url, jwt); // a new session of the same sub: her message is still hers
  const joined = await back.emitWithAck('room:join', 'support');
  expect(joined.ok && joined.history).toEqual([
    expect.objectContaining({ text: 'Refunds: ask me here', signed: true }),
  ]);
  expect(
    await back.emitWithAck('message:edit', { room: 'support', id: sent.id, text: 'Refunds: see the FAQ' }),
  ).toMatchObject({ ok: true });
});

test('a guest who registers the nick of a guest whose session ended cannot edit or delete its messages', async () => {
  const first = await chatAs(server.url, 'bob');
  await first.emitWithAck('room:join', 'lobby');
  const sent = await first.emitWithAck('message:send', { room: 'lobby', text: 'original' });
  if (!sent.ok) throw new Error(sent.error.code);
  first.disconnect();

  const second = await chatAs(server.url, 'bob'); // the nick is free again
  await second.emitWithAck('room:join', 'lobby');
  expect(await second.emitWithAck('message:edit', { room: 'lobby', id: sent.id, text: 'forged' })).toMatchObject(
    refused,
  );
  expect(await second.emitWithAck('message:delete', { room: 'lobby', id: sent.id })).toMatchObject(refused);
  const page = await second.emitWithAck('room:history', { room: 'lobby' });
  expect(page.ok && page.messages.map((m) => m.text)).toEqual(['original']);
});

test("readers are told which messages come from a signed user: live and in history; a guest's carry no marker", async () => {
  const signed = await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana' }));
  const guest = await chatAs(server.url, 'Anna');
  await signed.emitWithAck('room:join', 'lobby');
  await guest.emitWithAck('room:join', 'lobby');
  const live = nextEvent<Message>(guest, 'message');
  await signed.emitWithAck('message:send', { room: 'lobby', text: 'verified' });
  expect(await live).toMatchObject({ nick: 'Ana', text: 'verified', signed: true });
  const own = nextEvent<Message>(guest, 'message');
  await guest.emitWithAck('message:send', { room: 'lobby', text: 'guest' });
  expect(await own).not.toHaveProperty('signed');
  const page = await guest.emitWithAck('room:history', { room: 'lobby' });
  expect(page.ok && page.messages.map((m) => [m.text, m.signed])).toEqual([
    ['verified', true],
    ['guest', undefined],
  ]);
});
