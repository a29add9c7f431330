import { afterEach, expect, test } from 'vitest';
import type { Ack } from '../../server/protocol/events.js';
import { chatAs, chatSigned, useFreshServer } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { RawEngine } from '../raw-engine.js';

// docs/protocol.md (Connection) lists the /chat events that carry the trailing recovery offset: every one the
// server sends without an ack, except the volatile `typing`. socket.io-client strips it, so these tests read the
// frames as any other client gets them.
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET });
const raws: RawEngine[] = [];
afterEach(() => raws.splice(0).forEach((raw) => raw.close()));

async function rawChat(auth?: object): Promise<RawEngine> {
  const raw = await RawEngine.open(server.url);
  raws.push(raw);
  await raw.connect('/chat', auth);
  return raw;
}

/** The arguments of the next `event` broadcast the raw client gets (`42/chat,["event", ...args]`). */
async function nextArgs(raw: RawEngine, event: string): Promise<unknown[]> {
  const frame = await raw.next((f) => f.startsWith(`42/chat,["${event}",`));
  return (JSON.parse(frame.slice('42/chat,'.length)) as unknown[]).slice(1);
}

const withOffset = (payload: object): unknown[] => [expect.objectContaining(payload), expect.any(String)];

async function ok<T extends object>(reply: Promise<Ack<T>>): Promise<T> {
  const res = await reply;
  if (!res.ok) throw new Error(res.error.code);
  return res;
}

test('message, message:updated, message:deleted, presence, notice and identity carry it; typing does not', async () => {
  const jwt = await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' });
  const mod = await rawChat({ jwt });
  // sent to this socket alone, yet kept for recovery like a broadcast (Socket.IO does so for every socket.emit)
  expect(await nextArgs(mod, 'identity')).toEqual(withOffset({ nick: 'Mod', role: 'moderator' }));
  await ok(mod.request('/chat', 'room:join', 'lobby'));

  const bea = await chatAs(server.url, 'bea');
  await ok(bea.emitWithAck('room:join', 'lobby'));
  expect(await nextArgs(mod, 'presence')).toEqual(withOffset({ room: 'lobby', joined: 'bea' }));
  bea.emit('typing', { room: 'lobby' });
  expect(await nextArgs(mod, 'typing')).toEqual([{ room: 'lobby', nick: 'bea' }]); // volatile: none

  const { id } = await ok(mod.request<Ack<{ id: number }>>('/chat', 'message:send', { room: 'lobby', text: 'hi' }));
  expect(await nextArgs(mod, 'message')).toEqual(withOffset({ id, text: 'hi' }));
  await ok(mod.request('/chat', 'message:edit', { room: 'lobby', id, text: 'hello' }));
  expect(await nextArgs(mod, 'message:updated')).toEqual(withOffset({ id, text: 'hello' }));
  await ok(mod.request('/chat', 'message:delete', { room: 'lobby', id }));
  expect(await nextArgs(mod, 'message:deleted')).toEqual(withOffset({ id, room: 'lobby' }));
  await ok(mod.request('/chat', 'room:ban', { room: 'lobby', nick: 'bea' }));
  expect(await nextArgs(mod, 'notice')).toEqual(withOffset({ type: 'ban', nick: 'bea' }));

  const guest = await rawChat();
  await ok(guest.request('/chat', 'nick:register', 'Carl'));
  await chatSigned(server.url, await signJwt({ sub: 'u-9', name: 'Carl' }));
  expect(await nextArgs(guest, 'identity')).toEqual(withOffset({ nick: 'Carl-2', role: 'guest' }));
});

test('presence:batch carries it', async () => {
  await server.restartWith({ authSecret: TEST_AUTH_SECRET, presenceCoalesceAbove: 0 });
  const ana = await rawChat();
  await ok(ana.request('/chat', 'nick:register', 'ana'));
  await ok(ana.request('/chat', 'room:join', 'lobby'));
  const bea = await chatAs(server.url, 'bea');
  await ok(bea.emitWithAck('room:join', 'lobby'));
  expect(await nextArgs(ana, 'presence:batch')).toEqual(
    withOffset({ room: 'lobby', joined: expect.arrayContaining(['bea']) }),
  );
});
