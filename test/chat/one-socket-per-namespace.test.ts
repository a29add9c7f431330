import { expect, test } from 'vitest';
import { connectChat, useFreshServer } from '../helpers.js';
import { RawEngine } from '../raw-engine.js';

// Hardening round 2, item 1: a connection holds at most one socket per namespace, pending ones included.
const server = useFreshServer();
const RECORD_SEPARATOR = '\x1e';

/** An Engine.IO long-polling session spoken by hand. */
async function pollingSession(url: string) {
  const base = `${url}/socket.io/?EIO=4&transport=polling`;
  const open = await (await fetch(base)).text();
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  const packets: string[] = [];
  return {
    post: (payload: string[]) =>
      fetch(`${base}&sid=${sid}`, { method: 'POST', body: payload.join(RECORD_SEPARATOR) }).then((r) => r.text()),
    received: () => packets.length,
    /** GETs until `count` packets have come (a GET waits while the server has nothing to send). */
    async receive(count: number): Promise<string[]> {
      while (packets.length < count) {
        packets.push(...(await (await fetch(`${base}&sid=${sid}`)).text()).split(RECORD_SEPARATOR));
      }
      return packets;
    },
  };
}

test('150 namespace CONNECTs in one polling POST make one socket; the rest are dropped', async () => {
  const engine = await pollingSession(server.url);
  expect(await engine.post(Array.from({ length: 150 }, () => '40/chat,'))).toBe('ok');
  const first = await engine.receive(1);
  expect(first.filter((p) => p.startsWith('40/chat,{"sid"'))).toHaveLength(1);
  expect(first.filter((p) => p.startsWith('4'))).toHaveLength(1); // no refusal either: nothing else came
  expect(server.app.io.of('/chat').sockets.size).toBe(1);
  // The connection is still usable: its /chat socket answers.
  expect(await engine.post(['42/chat,0["nick:register","Solo"]'])).toBe('ok');
  // GETs until the reply came (the server may send a noop first); a GET that waits too long fails the test.
  let packets = await engine.receive(engine.received() + 1);
  while (!packets.some((p) => p.startsWith('43/chat,0[{"ok":true,"nick":"Solo"'))) {
    packets = await engine.receive(engine.received() + 1);
  }
  expect(server.app.io.of('/chat').sockets.size).toBe(1);
});

test('over WebSocket, a second CONNECT while the first is pending is dropped and the first socket works', async () => {
  const engine = await RawEngine.open(server.url);
  engine.ws.send('40/chat,');
  engine.ws.send('40/chat,');
  await engine.next((f) => f.startsWith('40/chat,{"sid"'));
  expect(await engine.request('/chat', 'nick:register', 'Solo')).toMatchObject({ ok: true, nick: 'Solo' });
  await expect(engine.next((f) => f.startsWith('40/chat,') || f.startsWith('44/chat,'), 300)).rejects.toThrow();
  // The other namespace of the same connection is not affected.
  await engine.connect('/news');
  expect(server.app.io.of('/chat').sockets.size).toBe(1);
  engine.close();
});

test('socket.io-client connecting a namespace twice (manager.socket, then connect()) gets it connected once', async () => {
  const chat = await connectChat(server.url);
  const news = chat.io.socket('/news'); // connects by itself (autoConnect)
  news.connect(); // and sends a second CONNECT while the first is pending
  await new Promise<void>((resolve) => news.once('connect', () => resolve()));
  expect(news.connected).toBe(true);
  expect(server.app.io.of('/news').sockets.size).toBe(1);
  news.disconnect();
});

test('once a socket is gone, or its CONNECT was refused, the namespace can be connected again', async () => {
  const engine = await RawEngine.open(server.url);
  await engine.connect('/chat');
  engine.disconnect('/chat');
  await expect.poll(() => server.app.io.of('/chat').sockets.size).toBe(0);
  await engine.connect('/chat'); // the claim ended with the DISCONNECT
  engine.disconnect('/chat');
  await expect.poll(() => server.app.io.of('/chat').sockets.size).toBe(0);
  // A handshake the middleware refuses (a jwt while signed identity is off) ends its claim too.
  engine.ws.send(`40/chat,${JSON.stringify({ jwt: 'not.a.token' })}`);
  await engine.next((f) => f.startsWith('44/chat,') && f.includes('AUTH_INVALID'));
  await engine.connect('/chat');
  expect(server.app.io.of('/chat').sockets.size).toBe(1);
  engine.close();
});
