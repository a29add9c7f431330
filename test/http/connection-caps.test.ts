import { expect, test } from 'vitest';
import { LIMIT_EXCEEDED_BODY } from '../../server/lib/address-connections.js';
import { LOOPBACK_CLIENT_LIMITS, connectChat, connectNews, useFreshServer } from '../helpers.js';
import { pollingHandshake, webSocketHandshake } from '../handshakes.js';

const CAP = 3;
const server = useFreshServer({ clientLimits: { ...LOOPBACK_CLIENT_LIMITS, maxConnectionsPerAddress: CAP } });

test('past MAX_CONNECTIONS_PER_IP a handshake gets 403 LIMIT_EXCEEDED on both transports', async () => {
  const held = [await connectChat(server.url), await connectNews(server.url)];
  const upgrading = await connectChat(server.url, 'polling', { transports: ['polling', 'websocket'] }); // the 3rd
  expect(await pollingHandshake(server.url)).toEqual({ status: 403, body: LIMIT_EXCEEDED_BODY });
  expect(await webSocketHandshake(server.url)).toEqual({ status: 403, body: LIMIT_EXCEEDED_BODY });
  await expect(connectChat(server.url)).rejects.toThrow();
  // Upgrading a connection it holds (the request carries its `sid`) is not a new connection.
  await expect.poll(() => upgrading.io.engine.transport.name).toBe('websocket');
  held[0]!.disconnect();
  await expect
    .poll(() =>
      connectChat(server.url).then(
        () => true,
        () => false,
      ),
    )
    .toBe(true);
});

test('two namespaces over one connection count once', async () => {
  const chat = await connectChat(server.url);
  const news = chat.io.socket('/news');
  news.connect();
  await new Promise<void>((resolve) => news.once('connect', () => resolve()));
  await connectChat(server.url);
  await connectChat(server.url);
  news.disconnect();
});

test('with TRUST_PROXY the address is the rightmost X-Forwarded-For entry; entries left of it are ignored', async () => {
  await server.restartWith({
    clientLimits: { ...LOOPBACK_CLIENT_LIMITS, maxConnectionsPerAddress: 1, trustedProxies: 1 },
  });
  const from = (xff: string) => connectChat(server.url, 'websocket', { extraHeaders: { 'x-forwarded-for': xff } });
  await from('10.0.0.1');
  await from('10.0.0.2');
  await expect(from('10.0.0.1')).rejects.toThrow();
  await expect(from('10.0.0.3, 10.0.0.1')).rejects.toThrow(); // a client cannot pick its address by prepending
  expect((await pollingHandshake(server.url, { 'x-forwarded-for': '10.0.0.2' })).status).toBe(403);
  expect((await pollingHandshake(server.url, { 'x-forwarded-for': '10.0.0.9' })).status).toBe(200);
});

test('without TRUST_PROXY X-Forwarded-For is ignored', async () => {
  await server.restartWith({ clientLimits: { ...LOOPBACK_CLIENT_LIMITS, maxConnectionsPerAddress: 1 } });
  await connectChat(server.url, 'websocket', { extraHeaders: { 'x-forwarded-for': '10.0.0.1' } });
  await expect(
    connectChat(server.url, 'websocket', { extraHeaders: { 'x-forwarded-for': '10.0.0.2' } }),
  ).rejects.toThrow();
});
