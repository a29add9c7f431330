import { Redis } from 'ioredis';
import { afterEach, expect, test } from 'vitest';
import { connectChat } from '../helpers.js';
import { useNodes } from '../cluster/cluster.js';
import { captureLog } from '../log-capture.js';

// A cluster node whose Redis refuses writes (out of memory): the failed commands carry session tokens in their
// arguments (ioredis puts `command: { name, args }` on its errors), and those must not reach the log.
const captured = captureLog('info');
const cluster = useNodes(1, { log: captured.log });
let admin: Redis | undefined;
afterEach(async () => {
  await admin?.config('SET', 'maxmemory', '0');
  admin?.disconnect();
});

test('a failed Redis command is logged with its name but not its arguments (session tokens)', async () => {
  const [node] = cluster.nodes;
  const ana = await connectChat(node!.url);
  const registered = await ana.emitWithAck('nick:register', 'ana');
  if (!registered.ok) throw new Error(registered.error.code);
  ana.disconnect();

  admin = new Redis(cluster.backing.redis.url);
  await admin.config('SET', 'maxmemory', '1'); // every write now answers OOM
  captured.clear();
  await connectChat(node!.url, 'websocket', { auth: { token: registered.token } }).catch(() => undefined);

  await expect.poll(() => captured.lines.filter((line) => line.err !== undefined).length).toBeGreaterThan(0);
  const failed = captured.lines.find((line) => (line.err as { command?: unknown } | undefined)?.command);
  expect(failed?.err).toMatchObject({ message: expect.stringContaining('OOM'), command: { args: '[redacted]' } });
  expect(captured.text()).not.toContain(registered.token);
});
