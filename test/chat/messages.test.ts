import { describe, expect, test } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import { chatAs, type ChatClient, collect, nextEvent, settle, useFreshServer } from '../helpers.js';

const server = useFreshServer();

describe.each(['websocket', 'polling'] as const)('message:send over %s', (transport) => {
  test('stores, acks with id and ts, and delivers to everyone in the room, sender included', async () => {
    const ana = await chatAs(server.url, 'ana', transport);
    const bea = await chatAs(server.url, 'bea', transport);
    await ana.emitWithAck('room:join', 'lobby');
    await bea.emitWithAck('room:join', 'lobby');
    const toAna = nextEvent<Message>(ana, 'message');
    const toBea = nextEvent<Message>(bea, 'message');
    const ack = await ana.emitWithAck('message:send', { room: 'lobby', text: ' hello ' });
    expect(ack).toEqual({ ok: true, id: expect.any(Number), ts: expect.any(Number) });
    if (!ack.ok) return;
    const expected = { id: ack.id, room: 'lobby', nick: 'ana', text: 'hello', ts: ack.ts };
    expect(await toAna).toEqual(expected);
    expect(await toBea).toEqual(expected);
  });
});

test('the nick is the server record, never a payload field', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await ana.emitWithAck('room:join', 'lobby');
  await bea.emitWithAck('room:join', 'lobby');
  const toBea = nextEvent<Message>(bea, 'message');
  // @ts-expect-error a forged nick is not part of the contract
  await ana.emitWithAck('message:send', { room: 'lobby', text: 'hi', nick: 'bea' });
  expect(await toBea).toMatchObject({ nick: 'ana' });
});

test('sending needs a nick and membership of the room', async () => {
  const ana = await chatAs(server.url, 'ana');
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text: 'hi' })).toMatchObject({
    ok: false,
    error: { code: 'NOT_IN_ROOM' },
  });
});

test.each([
  ['empty', ''],
  ['only spaces', '   \n '],
  ['2001 characters', 'x'.repeat(2001)],
])('MESSAGE_INVALID for %s text', async (_label, text) => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  expect(await ana.emitWithAck('message:send', { room: 'lobby', text })).toMatchObject({
    ok: false,
    error: { code: 'MESSAGE_INVALID' },
  });
});

test('2000 emoji (4 bytes each in UTF-8, 2 UTF-16 units) are within the limit', async () => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  const text = '🦊'.repeat(2000);
  const ack = await ana.emitWithAck('message:send', { room: 'lobby', text });
  expect(ack).toMatchObject({ ok: true });
});

test('text round-trips exactly: emoji, scripts, HTML stays literal', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await ana.emitWithAck('room:join', 'ロビー');
  await bea.emitWithAck('room:join', 'ロビー');
  const texts = [
    '👩‍👩‍👧‍👦 family, 🏳️‍🌈 flag, 1️⃣ keycap',
    'こんにちは、世界',
    '你好，世界',
    'Привет, мир',
    '<script>alert(1)</script><img src=x onerror=alert(2)>',
    'line one\nline two\ttab',
  ];
  const got = collect<Message>(bea, 'message');
  for (const text of texts) await ana.emitWithAck('message:send', { room: 'ロビー', text });
  await settle(bea);
  expect(got.map((m) => m.text)).toEqual(texts);
  const history = await bea.emitWithAck('room:history', { room: 'ロビー' });
  expect(history.ok && history.messages.map((m) => m.text)).toEqual(texts);
});

test('a repeated clientId is stored and broadcast once; the ack repeats the first id', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await ana.emitWithAck('room:join', 'lobby');
  await bea.emitWithAck('room:join', 'lobby');
  const got = collect<Message>(bea, 'message');
  const first = await ana.emitWithAck('message:send', { room: 'lobby', text: 'once', clientId: 'c-1' });
  const again = await ana.emitWithAck('message:send', { room: 'lobby', text: 'once', clientId: 'c-1' });
  expect(again).toEqual(first);
  await settle(bea);
  expect(got).toHaveLength(1);
  expect(got[0]).toMatchObject({ text: 'once', clientId: 'c-1' });
  const history = await ana.emitWithAck('room:history', { room: 'lobby' });
  expect(history.ok && history.messages).toHaveLength(1);
});

test('the same clientId from another nick is a different message', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await ana.emitWithAck('room:join', 'lobby');
  await bea.emitWithAck('room:join', 'lobby');
  const a = await ana.emitWithAck('message:send', { room: 'lobby', text: 'a', clientId: 'same' });
  const b = await bea.emitWithAck('message:send', { room: 'lobby', text: 'b', clientId: 'same' });
  expect(a.ok && b.ok && a.id !== b.id).toBe(true);
});

test('history: join gives the latest 50 oldest first; before/after page through the rest', async () => {
  // Three senders of 20 each stay within the per-socket burst of 20.
  const senders = await Promise.all(['ana', 'bob', 'cat'].map((nick) => chatAs(server.url, nick)));
  for (const sender of senders) await sender.emitWithAck('room:join', 'busy');
  const [ana] = senders as [ChatClient];
  await ana.emitWithAck('room:join', 'other');
  const ids: number[] = [];
  for (let i = 1; i <= 60; i++) {
    const ack = await senders[Math.floor((i - 1) / 20)]!.emitWithAck('message:send', { room: 'busy', text: `m${i}` });
    if (!ack.ok) throw new Error(ack.error.code);
    ids.push(ack.id);
  }
  await ana.emitWithAck('room:leave', 'busy');
  await ana.emitWithAck('message:send', { room: 'other', text: 'elsewhere' });
  const bea = await chatAs(server.url, 'bea');
  const joined = await bea.emitWithAck('room:join', 'busy');
  expect(joined.ok && joined.history.map((m) => m.text)).toEqual(ids.slice(10).map((_, i) => `m${i + 11}`));

  const older = await bea.emitWithAck('room:history', { room: 'busy', before: ids[10]!, limit: 100 });
  expect(older.ok && older.messages.map((m) => m.text)).toEqual(ids.slice(0, 10).map((_, i) => `m${i + 1}`));
  const page = await bea.emitWithAck('room:history', { room: 'busy', before: ids[10]!, limit: 3 });
  expect(page.ok && page.messages.map((m) => m.text)).toEqual(['m8', 'm9', 'm10']);
  const newer = await bea.emitWithAck('room:history', { room: 'busy', after: ids[55]!, limit: 10 });
  expect(newer.ok && newer.messages.map((m) => m.text)).toEqual(['m57', 'm58', 'm59', 'm60']);
});

test.each([
  ['limit 0', { room: 'lobby', limit: 0 }],
  ['limit 101', { room: 'lobby', limit: 101 }],
  ['a fractional limit', { room: 'lobby', limit: 1.5 }],
  ['a string id', { room: 'lobby', before: '5' }],
  ['before and after together', { room: 'lobby', before: 5, after: 1 }],
  ['no room', { before: 5 }],
])('room:history gives BAD_REQUEST for %s', async (_label, query) => {
  const ana = await chatAs(server.url, 'ana');
  // @ts-expect-error malformed on purpose
  expect(await ana.emitWithAck('room:history', query)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
});

test('typing is relayed to the others in the room, not to the sender or other rooms', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  const cid = await chatAs(server.url, 'cid');
  await ana.emitWithAck('room:join', 'lobby');
  await bea.emitWithAck('room:join', 'lobby');
  await cid.emitWithAck('room:join', 'elsewhere');
  const anaTyping = collect(ana, 'typing');
  const cidTyping = collect(cid, 'typing');
  const beaTyping = nextEvent(bea, 'typing');
  ana.emit('typing', { room: 'lobby' });
  expect(await beaTyping).toEqual({ room: 'lobby', nick: 'ana' });
  await Promise.all([settle(ana), settle(cid)]);
  expect(anaTyping).toEqual([]);
  expect(cidTyping).toEqual([]);
});

test('typing in a room you are not in is dropped', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const beaTyping = collect(bea, 'typing');
  ana.emit('typing', { room: 'lobby' });
  await settle(ana);
  await settle(bea);
  expect(beaTyping).toEqual([]);
});
