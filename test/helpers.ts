import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { type App, type AppDeps, createApp } from '../server/app.js';
import { appDeps } from '../server/compose.js';
import { type Config, loadConfig } from '../server/config.js';
import type {
  ChatClientToServer,
  ChatServerToClient,
  Identity,
  NewsClientToServer,
  NewsServerToClient,
} from '../server/protocol/events.js';
import { addressBudgets } from '../server/lib/rate-limit.js';
import type { BanStore } from '../server/stores/bans.js';
import type { HistoryStore } from '../server/stores/history.js';
import { PgBans } from '../server/stores/pg-bans.js';
import { PgDatabase } from '../server/stores/pg-database.js';
import { SqliteBans } from '../server/stores/sqlite-bans.js';
import { PgHistory } from '../server/stores/pg-history.js';
import { SqliteDatabase } from '../server/stores/sqlite-database.js';
import { SqliteHistory } from '../server/stores/sqlite-history.js';
import { databaseFor, dropDatabaseFor, usePostgres } from './pg/databases.js';
import { tempDataDir } from './temp-dirs.js';

export type ChatClient = Socket<ChatServerToClient, ChatClientToServer>;
export type NewsClient = Socket<NewsServerToClient, NewsClientToServer>;
export type Transport = 'websocket' | 'polling';

export interface TestServer {
  app: App;
  url: string;
  dataDir: string;
  /** Closes the server; the data directory stays for a restart. */
  stop(): Promise<void>;
  /** Closes the server and removes its data directory. */
  close(): Promise<void>;
}

export { tempDataDir };

/**
 * The history of a test server's data directory: SQLite in it, or in the postgres test project
 * (TEST_HISTORY=postgres) a PostgreSQL database named after it, so a restart on the same directory sees the same.
 */
export async function openTestHistory(dataDir: string): Promise<HistoryStore> {
  if (usePostgres) return new PgHistory(await PgDatabase.open(await databaseFor(dataDir)));
  return new SqliteHistory(SqliteDatabase.open(dataDir));
}

/** The bans of a test server's data directory, where its history is (see openTestHistory). */
export async function openTestBans(dataDir: string): Promise<BanStore> {
  if (usePostgres) return new PgBans(await PgDatabase.open(await databaseFor(dataDir)));
  return new SqliteBans(SqliteDatabase.open(dataDir));
}

/**
 * Every test client connects from 127.0.0.1, so the per-address caps (connections, guest and /news requests) and
 * the per-connection packet budget are raised out of the way; the tests of those caps set their own.
 */
export const LOOPBACK_CLIENT_LIMITS = {
  maxConnectionsPerAddress: 1_000_000,
  maxSessionsPerAddress: 1_000_000,
  packetsPerSecond: 1_000_000,
  packetBurst: 1_000_000,
};
export const LOOPBACK_BUDGETS = addressBudgets({ requests: 1_000_000, messages: 1_000_000, historyRows: 1_000_000 });

/** The environment that raises the per-address caps and budgets above out of the way (see LOOPBACK_*). */
const LOOPBACK_ENV = {
  MAX_CONNECTIONS_PER_IP: '1000000',
  MAX_SESSIONS_PER_ADDRESS: '1000000',
  MAX_PACKETS_PER_SECOND: '1000000',
  MAX_PACKET_BURST: '1000000',
  REQUESTS_PER_ADDRESS: '1000000',
  MESSAGES_PER_ADDRESS: '1000000',
  HISTORY_ROWS_PER_ADDRESS: '1000000',
};

/**
 * A test server's configuration, read as main.ts reads it but from `env` (never the process's): its data
 * directory, in the postgres project a PostgreSQL database named after it (see openTestHistory), the loopback
 * caps, no demo feed, and leaves announced at once unless a test asks for the grace
 * (test/delivery/presence-grace.test.ts).
 */
export async function testConfig(dataDir: string, env: Record<string, string> = {}): Promise<Config> {
  return loadConfig({
    DATA_DIR: dataDir,
    NODE_ID: 'test-node',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    NEWS_RATE: '0',
    PRESENCE_GRACE_MS: '0',
    ...(usePostgres ? { DATABASE_URL: await databaseFor(dataDir) } : {}),
    ...LOOPBACK_ENV,
    ...env,
  });
}

/** A real server on an ephemeral loopback port, composed as main.ts composes it (appDeps), with `options` on top. */
export async function startServer(
  options: Partial<AppDeps> & { dataDir?: string; port?: number } = {},
): Promise<TestServer> {
  const { dataDir = tempDataDir(), port: listenPort, ...overrides } = options;
  const app = createApp(await appDeps(await testConfig(dataDir), overrides));
  await new Promise<void>((resolve) => app.httpServer.listen(listenPort ?? 0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    stop,
    async close() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (usePostgres) await dropDatabaseFor(dataDir);
    },
  };
}

export interface ServerFixture {
  readonly url: string;
  readonly app: App;
  /** Where its history lives (the SQLite file, or the name of its PostgreSQL database). */
  readonly dataDir: string;
  /** Replaces the server with one started with other options (and fresh data). */
  restartWith(options: Partial<AppDeps>): Promise<void>;
  /** Stops the server as a deploy would and starts it again on the same data. */
  restart(): Promise<void>;
}

type ServerScope = 'test' | 'file';

/** The lifecycle behind useFreshServer and useSharedServer: clients are always disconnected after each test. */
function useServer(scope: ServerScope, options: Partial<AppDeps>): ServerFixture {
  let current: TestServer | undefined;
  const active = (): TestServer => {
    if (!current) throw new Error('the test server exists only inside a test');
    return current;
  };
  const start = async () => {
    current = await startServer(options);
  };
  const close = async () => {
    disconnectAll();
    await current?.close();
    current = undefined;
  };
  if (scope === 'test') {
    beforeEach(start);
    afterEach(close);
  } else {
    beforeAll(start);
    afterEach(() => disconnectAll());
    afterAll(close);
  }
  return {
    get url() {
      return active().url;
    },
    get app() {
      return active().app;
    },
    get dataDir() {
      return active().dataDir;
    },
    async restartWith(other) {
      await active().close();
      current = await startServer({ ...options, ...other });
    },
    async restart() {
      const { dataDir } = active();
      disconnectAll();
      await active().stop();
      current = await startServer({ ...options, dataDir });
    },
  };
}

/**
 * A fresh server for every test of the file; after each test its clients are disconnected and it is closed
 * with its data. Read `url` and `app` inside tests, where they are the current test's server.
 */
export function useFreshServer(options: Partial<AppDeps> = {}): ServerFixture {
  return useServer('test', options);
}

/** One server for the whole file (many cheap tests that leave no state behind); clients go after each test. */
export function useSharedServer(options: Partial<AppDeps> = {}): ServerFixture {
  return useServer('file', options);
}

const openClients = new Set<Socket>();

/** A connected socket.io-client; no reconnection, so a test sees exactly what happened. */
export async function connect<S extends Socket>(
  url: string,
  namespace: '/chat' | '/news',
  transport: Transport = 'websocket',
  extra: Parameters<typeof io>[1] = {},
): Promise<S> {
  const socket = io(`${url}${namespace}`, {
    forceNew: true,
    reconnection: false,
    transports: transport === 'polling' ? ['polling'] : ['websocket'],
    ...extra,
  });
  openClients.add(socket);
  // `identity` may come in the same read as the connection itself: record it from the start.
  const identities: Identity[] = [];
  identityLog.set(socket, identities);
  socket.on('identity', (identity: Identity) => identities.push(identity));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket as S;
}

export const connectChat = (url: string, transport?: Transport, extra?: Parameters<typeof io>[1]) =>
  connect<ChatClient>(url, '/chat', transport, extra);
export const connectNews = (url: string, transport?: Transport) => connect<NewsClient>(url, '/news', transport);

const identityLog = new WeakMap<Socket, Identity[]>();

/** Every `identity` event a client opened by these helpers received, oldest first. */
export function identitiesOf(socket: Socket): Identity[] {
  return identityLog.get(socket) ?? [];
}

/** A chat client signed in with `jwt`; resolves once its `identity` has arrived. */
export async function chatSigned(url: string, jwt: string, transport?: Transport): Promise<ChatClient> {
  const socket = await connectChat(url, transport, { auth: { jwt } });
  await expect.poll(() => identitiesOf(socket).length).toBeGreaterThan(0);
  return socket;
}

/** A chat client with a registered nick. */
export async function chatAs(url: string, nick: string, transport?: Transport): Promise<ChatClient> {
  const socket = await connectChat(url, transport);
  const res = await socket.emitWithAck('nick:register', nick);
  if (!res.ok) throw new Error(`could not register ${nick}: ${res.error.code}`);
  return socket;
}

/** The client, joined to `room` (a refusal throws its code). */
export async function inRoom(client: ChatClient, room = 'lobby'): Promise<ChatClient> {
  const res = await client.emitWithAck('room:join', room);
  if (!res.ok) throw new Error(res.error.code);
  return client;
}

/** Sends `text` to `room` and resolves with the stored message's id (a refusal throws its code). */
export async function sendText(client: ChatClient, text: string, room = 'lobby'): Promise<number> {
  const res = await client.emitWithAck('message:send', { room, text });
  if (!res.ok) throw new Error(res.error.code);
  return res.id;
}

/** Disconnects every client the helpers opened (call in afterEach). */
export function disconnectAll(): void {
  for (const socket of openClients) socket.disconnect();
  openClients.clear();
}

/** Resolves with the next `event` on `socket`, or rejects after `ms`. */
export function nextEvent<T>(socket: Socket, event: string, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, onEvent);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const onEvent = (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, onEvent);
  });
}

/** Collects every `event` on `socket` into an array, from now on. */
export function collect<T>(socket: Socket, event: string): T[] {
  const items: T[] = [];
  socket.on(event, (payload: T) => items.push(payload));
  return items;
}

/**
 * Shows that something did NOT arrive: a round trip on the same connection, so anything the server emitted
 * to this socket before handling the request has arrived by the time the reply does.
 */
export async function settle(socket: ChatClient): Promise<void> {
  await socket.emitWithAck('rooms:list');
}
