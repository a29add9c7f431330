// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { TYPING_TTL_MS } from '../../server/protocol/limits.js';
import { FakeChatServer } from './fake-chat-server.js';
import { openChat, registered } from './harness.js';

// Both directions of the typing indicator (web/chat/typing.ts): what we announce, throttled and volatile,
// and what others announce, which expires by itself.

let server: FakeChatServer;
beforeEach(() => {
  server = new FakeChatServer();
});
afterEach(() => {
  vi.useRealTimers();
});

test('typing is announced at most once per half TTL, and at once again after a message is sent', async () => {
  const { chat } = await registered(server, 'ana');
  vi.useFakeTimers({ toFake: ['Date'] });
  chat.setDraft('lobby', 'h');
  chat.setDraft('lobby', 'he');
  await server.settle();
  expect(server.sent('typing')).toEqual([[{ room: 'lobby' }]]);
  vi.advanceTimersByTime(TYPING_TTL_MS / 2);
  chat.setDraft('lobby', 'hel');
  chat.setDraft('lobby', '   '); // blank is not typing
  await server.settle();
  expect(server.sent('typing')).toHaveLength(1);
  vi.advanceTimersByTime(1);
  chat.setDraft('lobby', 'hell');
  await server.settle();
  expect(server.sent('typing')).toHaveLength(2);

  chat.send('lobby', 'hello');
  expect(chat.activeRoom?.draft).toBe('');
  chat.setDraft('lobby', 'n');
  await server.settle();
  expect(server.sent('typing')).toHaveLength(3);
});

test('nothing is announced before the chat is ready, nor offline, and nothing typed offline is sent later', async () => {
  const { chat } = openChat(server);
  await server.settle();
  chat.setDraft('lobby', 'before a nick');
  await chat.submitNick('ana');
  server.drop();
  await server.settle();
  chat.setDraft('lobby', 'in the tunnel');
  server.restore();
  await server.settle();
  expect(chat.ready).toBe(true);
  expect(server.sent('typing')).toEqual([]);
});

test("others' typing shows until TYPING_TTL_MS passes without news, and the view is told when it ends", async () => {
  const { chat, host } = await registered(server, 'ana');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  server.emit('typing', { room: 'lobby', nick: 'bea' });
  server.emit('typing', { room: 'lobby', nick: 'ana' }); // our own, from another tab: not shown
  server.emit('typing', { room: 'elsewhere', nick: 'cid' });
  await server.settle();
  const lobby = chat.activeRoom;
  expect([...(lobby?.typing.keys() ?? [])]).toEqual(['bea']);

  await vi.advanceTimersByTimeAsync(TYPING_TTL_MS - 1000);
  server.emit('typing', { room: 'lobby', nick: 'bea' }); // still typing: renewed
  await server.settle();
  await vi.advanceTimersByTimeAsync(TYPING_TTL_MS - 1);
  expect(lobby?.typing.has('bea')).toBe(true);
  const updates = host.updates;
  await vi.advanceTimersByTimeAsync(100);
  expect(lobby?.typing.has('bea')).toBe(false); // dropped by the timer, not by a render
  expect(host.updates).toBeGreaterThan(updates);
});

test("someone's message ends their typing; so does a lost connection", async () => {
  const { chat } = await registered(server, 'ana');
  server.emit('typing', { room: 'lobby', nick: 'bea' });
  server.emit('typing', { room: 'lobby', nick: 'cid' });
  await server.settle();
  server.say('lobby', 'bea', 'done typing');
  await server.settle();
  expect([...(chat.activeRoom?.typing.keys() ?? [])]).toEqual(['cid']);
  server.drop();
  await server.settle();
  expect(chat.activeRoom?.typing.size).toBe(0);
});
