import { expect, test } from 'vitest';
import { useFreshServer } from '../helpers.js';
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
    /** GETs until `count` packets have come (a GET waits while the server has nothing to send). */
    async receive(count: number): Promise<string[]> {
      while (packets.length < count) {
        packets.push(...(await (await fetch(`${base}&sid=${sid}`)).text()).split(RECORD_SEPARATOR));
      }
      return packets;
    },
  };
}

test('150 namespace CONNECTs in one polling POST make one socket; the rest are refused with LIMIT_EXCEEDED', async () => {
  const engine = await pollingSession(server.url);
  expect(await engine.post(Array.from({ length: 150 }, () => '40/chat,'))).toBe('ok');
  const packets = await engine.receive(150);
  expect(packets.filter((p) => p.startsWith('40/chat,{"sid"'))).toHaveLength(1);
  const refusals = packets.filter((p) => p.startsWith('44/chat,'));
  expect(refusals).toHaveLength(149);
  expect(JSON.parse(refusals[0]!.slice('44/chat,'.length))).toMatchObject({ data: { code: 'LIMIT_EXCEEDED' } });
  expect(server.app.io.of('/chat').sockets.size).toBe(1);
});

test('over WebSocket, a second CONNECT while the first is pending is refused and the first socket works', async () => {
  const engine = await RawEngine.open(server.url);
  engine.ws.send('40/chat,');
  engine.ws.send('40/chat,');
  const refusal = await engine.next((f) => f.startsWith('44/chat,'));
  expect(JSON.parse(refusal.slice('44/chat,'.length))).toMatchObject({ data: { code: 'LIMIT_EXCEEDED' } });
  await engine.next((f) => f.startsWith('40/chat,{"sid"'));
  expect(await engine.request('/chat', 'nick:register', 'Solo')).toMatchObject({ ok: true, nick: 'Solo' });
  // The other namespace of the same connection is not affected.
  await engine.connect('/news');
  expect(server.app.io.of('/chat').sockets.size).toBe(1);
  engine.close();
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
