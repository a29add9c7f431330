import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { type Socket, connect as tcpConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { connectChat, useFreshServer } from '../helpers.js';

// Issue 11 (HTTP) and issue 13 (HTTP hardening). Needs `npm run build` (the served bundle and pages).
const root = fileURLToPath(new URL('../..', import.meta.url));
const webDirs = [`${root}dist/web`, `${root}web/public`];
const hashed = (JSON.parse(readFileSync(`${root}dist/web/.assets.json`, 'utf8')) as { 'chat.js': string })['chat.js'];
const server = useFreshServer({ webDirs, newsToken: 'n3ws', http: { metricsToken: 'm3trics' } });

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
/** A plain GET: fetch() turns a conditional request into `Cache-Control: no-cache`, which no server answers 304. */
const rawGet = (path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    request(`${server.url}${path}`, { headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    })
      .on('error', reject)
      .end();
  });
/** The contract's HTTP error body: `{ error: string }` and nothing else. */
async function expectJsonError(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error).toBe('string');
  return body.error as string;
}

const postNews = (authorization: string) =>
  fetch(`${server.url}/api/news`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ topic: 'tech', headline: 'Hello' }),
  });

describe('the bundle', () => {
  test.each(['br', 'gzip'])('/chat.js is served with Content-Encoding %s to clients that accept it', async (enc) => {
    const res = await get('/chat.js', { 'accept-encoding': enc });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe(enc);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(await res.text()).toBe(readFileSync(`${root}dist/web/chat.js`, 'utf8'));
  });

  test('the pages load the content-hashed bundle, which is immutable', async () => {
    const page = await (await get('/')).text();
    expect(page).toContain(`<script type="module" src="/${hashed}"></script>`);
    const res = await get(`/${hashed}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  test('/chat.js, the stable URL for embedders, is revalidated by its content hash (304 when unchanged)', async () => {
    const res = await get('/chat.js');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const etag = res.headers.get('etag');
    expect(etag).toBe(`"${hashed}"`);
    const again = await rawGet('/chat.js', { 'if-none-match': etag!, 'accept-encoding': 'br' });
    expect(again.status).toBe(304);
    expect((await rawGet('/chat.js', { 'if-none-match': '"older"' })).status).toBe(200);
  });

  test('source maps are neither referenced nor served by default', async () => {
    const res = await get(`/${hashed}`);
    expect(res.headers.get('sourcemap')).toBeNull();
    expect(await res.text()).not.toContain('sourceMappingURL');
    expect((await get(`/${hashed}.map`)).status).toBe(404);
  });

  test('with sourceMaps on, the bundle points to its map and the map is served', async () => {
    await server.restartWith({ http: { sourceMaps: true } });
    expect((await get('/chat.js')).headers.get('sourcemap')).toBe(`/${hashed}.map`);
    const map = await get(`/${hashed}.map`);
    expect(map.status).toBe(200);
    expect(await map.json()).toMatchObject({ version: 3 });
  });
});

describe('API errors are JSON { error }', () => {
  test('an unknown /api route is 404', async () => {
    expect(await expectJsonError(await get('/api/nothing-here'), 404)).toContain('/api/nothing-here');
  });

  test('a known /api route with another method is 405 with Allow', async () => {
    const res = await get('/api/news');
    expect(res.headers.get('allow')).toContain('POST');
    await expectJsonError(res, 405);
  });

  test('a headline with a lone surrogate or a control character is 400', async () => {
    for (const headline of ['bad \uD800', 'ding\u0007']) {
      const res = await fetch(`${server.url}/api/news`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer n3ws' },
        body: JSON.stringify({ topic: 'tech', headline }),
      });
      await expectJsonError(res, 400);
    }
  });
});

describe('security headers', () => {
  test('pages get a CSP, nosniff and a referrer policy; frames only from the own origin by default', async () => {
    const res = await get('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  test('frame-ancestors follows the setting', async () => {
    await server.restartWith({ http: { frameAncestors: ["'self'", 'https://blog.example'] } });
    expect((await get('/embed.html')).headers.get('content-security-policy')).toContain(
      "frame-ancestors 'self' https://blog.example",
    );
  });

  test('CORS-able responses vary by Origin, whether or not the request had one', async () => {
    await server.restartWith({ corsOrigins: ['http://allowed.example'] });
    const requests: Record<string, string>[] = [
      {},
      { origin: 'http://allowed.example' },
      { origin: 'http://x.example' },
    ];
    for (const headers of requests) {
      expect((await get('/chat.js', headers)).headers.get('vary')).toMatch(/Origin/);
      expect((await get('/socket.io/?EIO=4&transport=polling', headers)).headers.get('vary')).toMatch(/Origin/);
    }
  });
});

describe('bearer tokens', () => {
  test('the scheme is case-insensitive, the token is not', async () => {
    expect((await postNews('bearer n3ws')).status).toBe(201);
    expect((await postNews('BEARER n3ws')).status).toBe(201);
    expect((await postNews('Bearer N3WS')).status).toBe(401);
    expect((await postNews('Basic n3ws')).status).toBe(401);
  });

  test('after 10 failures an address gets 429 with Retry-After, even with the right token', async () => {
    for (let i = 0; i < 10; i++) expect((await postNews(`Bearer guess-${i}`)).status).toBe(401);
    const refused = await postNews('Bearer n3ws');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectJsonError(refused, 429);
    expect((await get('/metrics', { authorization: 'Bearer m3trics' })).status).toBe(429); // one budget
  });

  test('/metrics needs the metrics token', async () => {
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/metrics', { authorization: 'Bearer n3ws' })).status).toBe(401);
    const res = await get('/metrics', { authorization: 'Bearer m3trics' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('chat_connected_sockets');
  });

  test('/metrics is off without METRICS_TOKEN; /healthz then tells the status only', async () => {
    await server.restartWith({ http: { metricsToken: '' } });
    expect((await get('/metrics')).status).toBe(404);
    expect(await (await get('/healthz', { authorization: 'Bearer anything' })).json()).toEqual({ status: 'ok' });
  });

  test('/healthz tells the status to anyone and the details with the metrics token', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await get('/healthz', { authorization: 'Bearer m3trics' })).json()).toMatchObject({
      status: 'ok',
      sockets: { chat: 0 },
    });
    expect((await get('/healthz', { authorization: 'Bearer wrong' })).status).toBe(401);
  });
});

/** The status line the server answers a WebSocket upgrade with, or 101. */
function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/socket.io/?EIO=4&transport=websocket`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        origin,
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('a WebSocket upgrade from a foreign origin is refused with 403, as polling is', async () => {
  await server.restartWith({ corsOrigins: ['http://allowed.example'] });
  expect(await upgradeStatus(server.url, 'http://evil.example')).toBe(403);
  expect(await upgradeStatus(server.url, 'http://allowed.example')).toBe(101);
});

/** A raw TCP connection to the test server; resolves once connected. */
function openTcp(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with what the server sent once it closes the connection. */
function closed(socket: Socket): Promise<string> {
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => {}); // a reset is a close too
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

describe('connection limits', () => {
  test('a client that sends headers a byte at a time (slowloris) is cut at the header timeout', async () => {
    await server.restartWith({ http: { headersTimeoutMs: 1000, requestTimeoutMs: 1000 } });
    const chat = await connectChat(server.url); // an upgraded WebSocket is not a request in progress
    const slow = await openTcp(server.url);
    const done = closed(slow);
    slow.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => slow.writable && slow.write('X-a: b\r\n'), 100);
    try {
      expect(await done).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
    expect(chat.connected).toBe(true);
    expect(await chat.emitWithAck('rooms:list')).toMatchObject({ ok: true });
  });

  test('connections over maxConnections are closed at once', async () => {
    await server.restartWith({ http: { maxConnections: 2 } });
    const held = [await openTcp(server.url), await openTcp(server.url)];
    const extra = await openTcp(server.url);
    expect(await closed(extra)).toBe('');
    for (const socket of held) socket.destroy();
  });
});
