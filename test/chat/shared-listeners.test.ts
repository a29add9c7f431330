import { expect, test } from 'vitest';
import { chatAs, connectChat, inRoom, useSharedServer } from '../helpers.js';

// Issue 24: a /chat connection must not build a closure per event; every socket shares one listener per event.
const server = useSharedServer();

const serverSockets = () => [...server.app.io.of('/chat').sockets.values()];

test('every /chat socket holds the same listener functions', async () => {
  await connectChat(server.url);
  await connectChat(server.url);
  const [a, b] = serverSockets();
  expect(a && b).toBeTruthy();
  // eventNames() lists own entries only: the shared ones are inherited (server/lib/shared-listeners.ts).
  const events = ['nick:register', 'room:join', 'message:send', 'auth:refresh', 'typing', 'disconnecting'];
  for (const event of events) {
    const [mine, theirs] = [a!.listeners(event), b!.listeners(event)];
    expect(mine, event).toHaveLength(1);
    expect(theirs).toHaveLength(1);
    mine.forEach((listener, i) => expect(theirs[i], event).toBe(listener));
  }
});

test('a shared listener acts for the socket that received the event', async () => {
  const ada = await inRoom(await chatAs(server.url, 'Ada'), 'shared');
  const bob = await chatAs(server.url, 'Bob');
  expect(await bob.emitWithAck('room:join', 'other')).toMatchObject({ ok: true });
  const rooms = Object.fromEntries(serverSockets().map((s) => [s.id, [...s.rooms]]));
  expect(rooms[ada.id!]).toContain('room:shared');
  expect(rooms[ada.id!]).not.toContain('room:other');
  expect(rooms[bob.id!]).toContain('room:other');
  expect(rooms[bob.id!]).not.toContain('room:shared');
});
