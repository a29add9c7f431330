import { connect } from 'node:net';
import { expect, test } from 'vitest';
import { useFreshServer } from '../helpers.js';

// Hardening round 2 (low): a WebSocket whose peer went silent is closed at Engine.IO's ping timeout, and its TCP
// connection with it, instead of `ws` waiting 30 s more for a closing frame that never comes.
const server = useFreshServer({ http: { pingIntervalMs: 200, pingTimeoutMs: 200 } });

const openConnections = () =>
  new Promise<number>((resolve, reject) =>
    server.app.httpServer.getConnections((err, count) => (err ? reject(err) : resolve(count))),
  );

test('an upgraded WebSocket that stops answering gives its descriptor back at the ping timeout', async () => {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n' +
      'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise((resolve) => socket.once('data', resolve)); // 101 and the Engine.IO open packet
  socket.pause(); // from now on it reads nothing and answers no ping, as a peer that vanished
  expect(await openConnections()).toBe(1);
  const silentAt = Date.now();
  await expect.poll(openConnections, { timeout: 10_000, interval: 100 }).toBe(0);
  expect(Date.now() - silentAt).toBeLessThan(5000); // ping interval and timeout are 0.4 s here; ws would wait 30 s
  socket.destroy();
});
