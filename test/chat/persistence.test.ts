import { expect, test } from 'vitest';
import { chatAs, useFreshServer } from '../helpers.js';

const server = useFreshServer();

test('history survives a restart on the same DATA_DIR', async () => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'Комната');
  const sent = ['first 🦊', 'second <b>bold</b>', 'third'];
  const acks: { id: number; ts: number }[] = [];
  for (const text of sent) {
    const ack = await ana.emitWithAck('message:send', { room: 'Комната', text, clientId: text });
    if (!ack.ok) throw new Error(ack.error.code);
    acks.push(ack);
  }
  await server.restart();
  const bea = await chatAs(server.url, 'bea');
  const joined = await bea.emitWithAck('room:join', 'Комната');
  expect(joined.ok && joined.history).toEqual(
    sent.map((text, i) => ({
      id: acks[i]!.id,
      room: 'Комната',
      nick: 'ana',
      text,
      ts: acks[i]!.ts,
      clientId: text,
    })),
  );
  // ids keep rising after a restart
  const next = await bea.emitWithAck('message:send', { room: 'Комната', text: 'after restart' });
  expect(next.ok && acks.every((a) => a.id < next.id)).toBe(true);
});
