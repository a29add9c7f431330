import { describe, expect, test } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import { chatAs, connectChat, connectNews, nextEvent, useFreshServer } from '../helpers.js';

// Contract rows for issue 13, "Text that is what it looks like", over a real socket.io-client.
const server = useFreshServer();

const refused = (code: string) => ({ ok: false, error: { code } });

describe.each(['websocket', 'polling'] as const)('well-formed Unicode over %s', (transport) => {
  test('a lone surrogate in each string field is refused with the field code', async () => {
    const ana = await chatAs(server.url, 'ana', transport);
    await ana.emitWithAck('room:join', 'lobby');
    const guest = await connectChat(server.url, transport);
    expect(await guest.emitWithAck('nick:register', 'bea\uD800')).toMatchObject(refused('NICK_INVALID'));
    expect(await ana.emitWithAck('room:join', 'lob\uDC00by')).toMatchObject(refused('ROOM_INVALID'));
    expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'hi \uD83D' })).toMatchObject(
      refused('MESSAGE_INVALID'),
    );
    expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: 'c\uDFFF' })).toMatchObject(
      refused('BAD_REQUEST'),
    );
    const news = await connectNews(server.url, transport);
    expect(await news.emitWithAck('news:subscribe', 'tech\uD800')).toMatchObject(refused('TOPIC_INVALID'));
  });
});

test.each([
  ['NUL', 'a\0b'],
  ['a bell', 'ding\u0007'],
  ['an ANSI escape', '\u001B[2Jgone'],
  ['a carriage return', 'a\rb'],
  ['six combining marks on one letter', 'Z\u0300\u0301\u0302\u0303\u0304\u0305algo'],
])('message:send with %s is MESSAGE_INVALID', async (_label, text) => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text })).toMatchObject(refused('MESSAGE_INVALID'));
});

test('newlines, tabs and real combining marks are delivered as sent', async () => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  const text = 'line one\n\tבְּרֵאשִׁ֖ית\nTie\u0302\u0301ng Vie\u0323\u0302t';
  const delivered = nextEvent<Message>(ana, 'message');
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text })).toMatchObject({ ok: true });
  expect((await delivered).text).toBe(text);
});

test.each([
  ['a right-to-left override (a reversed URL reads as paypal.com)', '\u202Ehttps://evil.tk/moc.lapyap.www//:sptth'],
  ['a left-to-right override', 'see \u202Dthis\u202C'],
  ['a right-to-left embedding', '\u202Bשלום\u202C'],
  ['a left-to-right embedding', '\u202Aabc'],
])('message:send and message:edit with %s are MESSAGE_INVALID, and nothing is broadcast', async (_label, text) => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  const seen: Message[] = [];
  ana.on('message', (m: Message) => seen.push(m));
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text })).toMatchObject(refused('MESSAGE_INVALID'));
  const sent = await ana.emitWithAck('message:send', { room: 'lobby', text: 'plain' });
  if (!sent.ok) throw new Error('send failed');
  expect(await ana.emitWithAck('message:edit', { room: 'lobby', id: sent.id, text })).toMatchObject(
    refused('MESSAGE_INVALID'),
  );
  await expect.poll(() => seen.map((m) => m.text)).toEqual(['plain']);
});

test('bidi isolates, which real right-to-left text uses, are delivered as sent', async () => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  const text = 'the user \u2067שלום\u2069 said \u2066hi\u2069 and \u2068?\u2069';
  const delivered = nextEvent<Message>(ana, 'message');
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text })).toMatchObject({ ok: true });
  expect((await delivered).text).toBe(text);
});

test.each([
  ['braille blanks', '\u2800\u2800\u2800'],
  ['a nick padded with a braille blank', 'ana\u2800'],
  ['hair spaces around a letter', 'a\u200A\u200Ab'],
  ['a combining overlay', 'admin\u0338'],
])('nick:register with %s is NICK_INVALID', async (_label, nick) => {
  const guest = await connectChat(server.url);
  expect(await guest.emitWithAck('nick:register', nick)).toMatchObject(refused('NICK_INVALID'));
});

test.each([
  ['PayPal', 'PayPaI'],
  ['lan', 'Ian'],
  ['Ian', 'ian'],
])('%s is held, so %s is NICK_TAKEN', async (first, second) => {
  await chatAs(server.url, first);
  const mallory = await connectChat(server.url);
  expect(await mallory.emitWithAck('nick:register', second)).toMatchObject(refused('NICK_TAKEN'));
});

test('a room name with a look-alike letter of another script is refused, the original works', async () => {
  const ana = await chatAs(server.url, 'ana');
  expect(await ana.emitWithAck('room:join', 'general')).toMatchObject({ ok: true, room: 'general' });
  expect(await ana.emitWithAck('room:join', 'g\u0435neral')).toMatchObject(refused('ROOM_INVALID'));
  expect(await ana.emitWithAck('room:join', '\u0441\u043E\u0440')).toMatchObject(refused('ROOM_INVALID'));
  expect(await ana.emitWithAck('room:join', 'Москва')).toMatchObject({ ok: true, room: 'Москва' });
});
