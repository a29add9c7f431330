import { afterEach, expect, test } from 'vitest';
import type { Ack, Message } from '../../server/protocol/events.js';
import { type ChatClient, chatAs, disconnectAll, tempDataDir } from '../helpers.js';
import { type ServerProcess, spawnServer } from '../server-process.js';

const SENDERS = 6;
const PER_SENDER = 20; // one burst each, within the per-socket rate limit
const KILL_AFTER_ACKS = 40;

let server: ServerProcess | undefined;
afterEach(() => {
  disconnectAll();
  server?.child.kill('SIGKILL');
});

async function readWholeRoom(client: ChatClient, room: string): Promise<Message[]> {
  const all: Message[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await client.emitWithAck(
      'room:history',
      before === undefined ? { room, limit: 100 } : { room, before, limit: 100 },
    );
    if (!page.ok) throw new Error(page.error.code);
    all.unshift(...page.messages);
    if (page.messages.length < 100) return all;
    before = page.messages[0]!.id;
  }
}

test('kill -9 during a burst of sends: every acknowledged message is in history after restart, none twice', async () => {
  const dataDir = tempDataDir();
  server = await spawnServer({ DATA_DIR: dataDir });
  const victim = server;
  const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => chatAs(victim.url, `sender${i}`)));
  await Promise.all(senders.map((s) => s.emitWithAck('room:join', 'burst')));

  const acked = new Map<string, number>(); // clientId → id
  let killed = false;
  const sends = senders.flatMap((sender, s) =>
    Array.from({ length: PER_SENDER }, async (_, i) => {
      const clientId = `s${s}-m${i}`;
      try {
        // socket.io-client types the reply of a timeout() emit as any
        const ack: Ack<{ id: number }> = await sender
          .timeout(3000)
          .emitWithAck('message:send', { room: 'burst', text: `message ${clientId}`, clientId });
        if (ack.ok) acked.set(clientId, ack.id);
      } catch {
        return; // no ack: the process died first, so nothing was promised
      }
      if (!killed && acked.size >= KILL_AFTER_ACKS) {
        killed = true;
        victim.child.kill('SIGKILL');
      }
    }),
  );
  await Promise.all(sends);
  expect(killed).toBe(true);
  expect(await victim.exited).toMatchObject({ signal: 'SIGKILL' });
  disconnectAll();

  server = await spawnServer({ DATA_DIR: dataDir });
  const reader = await chatAs(server.url, 'reader');
  const history = await readWholeRoom(reader, 'burst');
  const byClientId = new Map(history.map((m) => [m.clientId, m.id]));
  for (const [clientId, id] of acked) expect(byClientId.get(clientId), clientId).toBe(id);
  expect(byClientId.size).toBe(history.length); // no clientId twice
  expect(history.map((m) => m.id)).toEqual([...history.map((m) => m.id)].sort((a, b) => a - b));
});
