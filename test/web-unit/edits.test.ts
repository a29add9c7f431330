// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import type { ChatController } from '../../web/chat/chat-controller.js';
import { ACK_TIMEOUT_MS } from '../../web/connection/request.js';
import { FakeChatServer, refuse } from './fake-chat-server.js';
import { messages, registered, texts } from './harness.js';

// Editing and deleting your own messages (web/chat/edits.ts), and the `message:updated` / `message:deleted`
// broadcasts applied to the list (web/chat/server-events.ts).

let server: FakeChatServer;
beforeEach(() => {
  server = new FakeChatServer();
});
afterEach(() => {
  vi.useRealTimers();
});

/** ana, registered, with her messages `said` stored in the lobby (and returned as shown). */
async function anaSaid(...said: string[]): Promise<{ chat: ChatController; mine: Message[] }> {
  const { chat } = await registered(server, 'ana');
  for (const text of said) chat.send('lobby', text);
  await server.settle();
  return { chat, mine: messages(chat.activeRoom).filter((m) => m.nick === 'ana') };
}

test('editing your message: the composer takes your last one, the new text shows at once, the broadcast agrees', async () => {
  const { chat, mine } = await anaSaid('first', 'frist try');
  const [, last] = mine;
  chat.edits.start('lobby');
  expect(chat.activeRoom?.editing).toBe(last!.id);

  server.holdBroadcasts = true; // so what is shown comes from the ack
  const editing = chat.edit('lobby', last!.id, 'first try');
  expect(chat.activeRoom?.editing).toBeUndefined(); // the composer is free again
  await editing;
  expect(server.sent('message:edit')).toEqual([[{ room: 'lobby', id: last!.id, text: 'first try' }]]);
  expect(messages(chat.activeRoom)[1]).toEqual({ ...last, text: 'first try', editedAt: expect.any(Number) });
  server.releaseBroadcasts();
  await server.settle();
  expect(texts(chat.activeRoom)).toEqual(['first', 'first try']);
  expect(chat.edits.errors.size).toBe(0);

  await chat.edit('lobby', last!.id, 'first try'); // unchanged: nothing to send
  expect(server.sent('message:edit')).toHaveLength(1);
});

test('deleting your message leaves a placeholder, and the composer no longer offers it', async () => {
  const { chat, mine } = await anaSaid('keep this', 'oops, wrong room');
  const [kept, oops] = mine;
  server.holdBroadcasts = true;
  await chat.remove('lobby', oops!.id);
  expect(server.sent('message:delete')).toEqual([[{ room: 'lobby', id: oops!.id }]]);
  expect(messages(chat.activeRoom)).toEqual([
    kept,
    { id: oops!.id, room: 'lobby', nick: 'ana', ts: oops!.ts, text: '', deleted: true },
  ]);
  server.releaseBroadcasts();
  await server.settle(); // the broadcast changes nothing more
  expect(texts(chat.activeRoom)).toEqual(['keep this', '']);
  chat.edits.start('lobby');
  expect(chat.activeRoom?.editing).toBe(kept!.id);
});

test('a refused edit says why under the message; a broadcast of that message settles it', async () => {
  const { chat, mine } = await anaSaid('hello');
  const id = mine[0]!.id;
  server.on('message:edit', () => refuse('MESSAGE_INVALID'));
  await chat.edit('lobby', id, 'bad\u202Etext');
  expect(chat.edits.errors.get(id)).toMatchObject({ code: 'MESSAGE_INVALID' });
  expect(texts(chat.activeRoom)).toEqual(['hello']);

  server.editBy('lobby', id, 'hello, from my other tab');
  await server.settle();
  expect(chat.edits.errors.has(id)).toBe(false);
  expect(texts(chat.activeRoom)).toEqual(['hello, from my other tab']);
});

test('an edit the server does not answer says TIMEOUT; it is not sent later, and trying again works', async () => {
  const { chat, mine } = await anaSaid('hello');
  const id = mine[0]!.id;
  server.drop();
  await server.settle();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const editing = chat.edit('lobby', id, 'hello!');
  await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS);
  await editing;
  expect(chat.edits.errors.get(id)).toMatchObject({ code: 'TIMEOUT' });
  vi.useRealTimers();

  server.restore();
  await server.settle();
  // Socket.IO dropped the buffered request with its timeout, so nothing changed on the server
  expect(server.sent('message:edit')).toEqual([]);
  expect(texts(chat.activeRoom)).toEqual(['hello']);
  await chat.edit('lobby', id, 'hello!');
  expect(chat.edits.errors.has(id)).toBe(false);
  expect(texts(chat.activeRoom)).toEqual(['hello!']);
});

test("others' edits and deletions change the list; unknown ids are ignored; a deletion ends its editing", async () => {
  const theirs = server.say('lobby', 'bea', 'theirs');
  const { chat, mine } = await anaSaid('mine');
  const id = mine[0]!.id;
  chat.edits.start('lobby', id);
  server.editBy('lobby', theirs.id, 'theirs, edited');
  server.emit('message:updated', { id: 999, room: 'lobby', text: 'ghost', editedAt: 1 });
  server.emit('message:deleted', { id: 998, room: 'lobby' });
  server.emit('message:updated', { id, room: 'elsewhere', text: 'wrong room', editedAt: 1 });
  server.deleteBy('lobby', id); // a moderator
  await server.settle();
  expect(messages(chat.activeRoom)).toEqual([
    { ...theirs, text: 'theirs, edited', editedAt: expect.any(Number) },
    { id, room: 'lobby', nick: 'ana', ts: mine[0]!.ts, text: '', deleted: true },
  ]);
  expect(chat.activeRoom?.editing).toBeUndefined();
});
