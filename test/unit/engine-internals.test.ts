// The private engine.io / ws / socket.io-adapter members the server relies on (server/lib/engine-internals.ts).
// An upgrade that renames one makes write batching, the slow-client guard or request dropping a silent
// no-op; these tests turn that into a red build instead.
import { Socket as NetSocket } from 'node:net';
import { Adapter } from 'socket.io-adapter';
import { expect, test } from 'vitest';
import { ChatRecoveryAdapter } from '../../server/lib/chat-recovery-adapter.js';
import { RECOVERY_WINDOW_MS } from '../../server/protocol/limits.js';
import {
  type EngineConnection,
  type EngineRequest,
  missingInternals,
  transportOf,
  webSocketOf,
  writeBufferOf,
} from '../../server/lib/engine-internals.js';
import { bufferedBytes } from '../../server/lib/backpressure.js';
import { type Transport, chatAs, useFreshServer } from '../helpers.js';

const server = useFreshServer();

/** The engine connection of the next client, with its handshake request as engine.io passed it. */
function nextConnection(): Promise<{ conn: EngineConnection; request: EngineRequest | null }> {
  return new Promise((resolve) => {
    // prepend: the app's own listeners clear conn.request (lean-connections.ts)
    server.app.io.engine.prependOnceListener('connection', (conn: EngineConnection) =>
      resolve({ conn, request: conn.request }),
    );
  });
}

test.each<Transport>(['websocket', 'polling'])(
  'a %s connection has every private field the server reads',
  async (transport) => {
    const connected = nextConnection();
    await chatAs(server.url, 'probe', transport);
    const { conn, request } = await connected;
    expect(missingInternals(conn, request)).toEqual([]);
    expect(Array.isArray(writeBufferOf(conn))).toBe(true);
    if (transport === 'websocket') {
      expect(webSocketOf(conn)?._socket).toBeInstanceOf(NetSocket);
      expect(typeof bufferedBytes(conn)).toBe('number');
    }
  },
);

test('a polling client that upgrades gets a websocket transport with the fields, and its send is corked', async () => {
  const connected = nextConnection();
  const { io } = await import('socket.io-client');
  const socket = io(`${server.url}/chat`, { forceNew: true, reconnection: false });
  try {
    const { conn } = await connected;
    await new Promise<void>((resolve) => conn.once('upgrade', () => resolve()));
    expect(missingInternals(conn)).toEqual([]);
    const send = (Object.getPrototypeOf(transportOf(conn)) as { send: { name: string } }).send;
    expect(send.name).toBe('corkedSend'); // write-batching.ts wrapped engine.io's WebSocket#send
  } finally {
    socket.disconnect();
  }
});

test('the handshake request is dropped once Socket.IO has read it', async () => {
  const connected = nextConnection();
  await chatAs(server.url, 'lean');
  const { conn, request } = await connected;
  expect(request).not.toBeNull();
  expect(conn.request).toBeNull();
  expect(request?.headers).toEqual({});
  expect(request?._query).toBeUndefined();
});

test('missingInternals names what a connection lacks (so the checks above can fail)', () => {
  const conn = { transport: { name: 'websocket', socket: {} } } as unknown as EngineConnection;
  expect(missingInternals(conn, {} as EngineRequest)).toEqual([
    'engine.io Socket#writeBuffer',
    'engine.io request._query',
    'engine.io WebSocket transport#send',
    'ws WebSocket#bufferedAmount',
    'ws WebSocket#terminate',
    'ws WebSocket#_socket',
  ]);
});

test('the recovery adapter overrides the socket.io-adapter members Socket.IO calls, and reads its window', () => {
  const adapter = server.app.io.of('/chat').adapter;
  expect(adapter).toBeInstanceOf(ChatRecoveryAdapter);
  // Socket.IO calls these on the adapter; were one renamed, our override would silently never run
  for (const method of ['broadcast', 'persistSession', 'restoreSession'] as const) {
    expect(typeof Adapter.prototype[method]).toBe('function');
    expect(Object.hasOwn(ChatRecoveryAdapter.prototype, method)).toBe(true);
  }
  // the window comes from Server#_opts, which socket.io types as public but names as private
  const window = server.app.io._opts.connectionStateRecovery?.maxDisconnectionDuration;
  expect(window).toBe(RECOVERY_WINDOW_MS);
});

test("engine.io's server emits `drain` with the connection after each flush (the slow-client guard listens)", async () => {
  const connected = nextConnection();
  const client = await chatAs(server.url, 'drained');
  const { conn } = await connected;
  const drained = new Promise<unknown>((resolve) => server.app.io.engine.once('drain', resolve));
  await client.emitWithAck('room:join', 'drain');
  expect(await drained).toBe(conn);
});
