import { expect, test } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import { chatAs, collect, connectChat, settle, useFreshServer } from '../helpers.js';

const server = useFreshServer();

/**
 * Fault injection with Socket.IO's own per-packet middleware: the server handles every message:send, but
 * the first ack of each socket is lost on the way back, as with a connection that drops mid-reply.
 */
function loseFirstAckOfEverySocket(): void {
  server.app.io.of('/chat').on('connection', (socket) => {
    let lost = false;
    socket.use((packet, next) => {
      const reply = packet.at(-1);
      if (packet[0] === 'message:send' && typeof reply === 'function' && !lost) {
        lost = true;
        packet[packet.length - 1] = () => {};
      }
      next();
    });
  });
}

test('a send whose ack was lost is retried with the same clientId: stored once, shown once', async () => {
  loseFirstAckOfEverySocket();
  const sender = await connectChat(server.url, 'websocket', { ackTimeout: 300, retries: 3 });
  expect(await sender.emitWithAck('nick:register', 'retrier')).toMatchObject({ ok: true });
  const reader = await chatAs(server.url, 'reader');
  await sender.emitWithAck('room:join', 'lobby');
  await reader.emitWithAck('room:join', 'lobby');
  const shown = collect<Message>(reader, 'message');
  const seenBySender = collect<Message>(sender, 'message');

  const ack = await sender.emitWithAck('message:send', { room: 'lobby', text: 'only once', clientId: 'uuid-1' });
  expect(ack).toMatchObject({ ok: true });

  await settle(reader);
  expect(shown.map((m) => m.text)).toEqual(['only once']);
  expect(seenBySender.map((m) => m.text)).toEqual(['only once']);
  const history = await reader.emitWithAck('room:history', { room: 'lobby' });
  expect(history.ok && history.messages.map((m) => ({ id: m.id, clientId: m.clientId }))).toEqual([
    { id: ack.ok ? ack.id : -1, clientId: 'uuid-1' },
  ]);
});

test('without a clientId a retry after a lost ack would store twice: the contract asks clients to send one', async () => {
  loseFirstAckOfEverySocket();
  const sender = await connectChat(server.url, 'websocket', { ackTimeout: 300, retries: 3 });
  await sender.emitWithAck('nick:register', 'careless');
  await sender.emitWithAck('room:join', 'lobby');
  await sender.emitWithAck('message:send', { room: 'lobby', text: 'twice' });
  const history = await sender.emitWithAck('room:history', { room: 'lobby' });
  expect(history.ok && history.messages.map((m) => m.text)).toEqual(['twice', 'twice']);
});
