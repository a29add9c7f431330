import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { type App, createApp } from '../../server/app.js';
import { LEASE_TTL_FLOOR_MS } from '../../server/cluster/defaults.js';
import type { LeasedNodes } from '../../server/cluster/leased-nodes.js';
import { appDeps } from '../../server/compose.js';
import type { ClientLimits } from '../../server/lib/client-limits.js';
import type { Logger } from '../../server/lib/log.js';
import { LOOPBACK_CLIENT_LIMITS, disconnectAll, testConfig } from '../helpers.js';
import { freshDatabase } from '../pg/databases.js';
import { type PgServer, startPostgres } from '../pg/postgres.js';
import { type RedisServer, startRedis } from '../redis/redis.js';

/** /healthz shows its details (node id, Redis and PostgreSQL status) only with this bearer token. */
export const CLUSTER_METRICS_TOKEN = 'cluster-test-metrics';

/** One node of a test cluster, in this process: composed as main.ts composes it, on the shared Redis and PostgreSQL. */
export interface TestNode {
  id: string;
  app: App;
  /** Its membership (leases in Redis): beats, fencing, the leases it holds. */
  membership: LeasedNodes;
  url: string;
  close(): Promise<void>;
}

export interface NodeOptions {
  /** On top of LOOPBACK_CLIENT_LIMITS. */
  clientLimits?: Partial<ClientLimits>;
  recoveryWindowMs?: number;
  newsRate?: number;
  newsToken?: string;
  authSecret?: string;
  adminToken?: string;
  /** NODE_LEASE_MS; default the shortest allowed, so the tests see dead nodes reaped within seconds. */
  leaseMs?: number;
  /** The nodes' logger (test/log-capture.ts); default: LOG_LEVEL, silent in tests. */
  log?: Logger;
  /** More settings, as environment variables (e.g. RETENTION_DAYS). */
  env?: Record<string, string>;
}

/**
 * The backing services of a cluster test file: by default the run's Redis, emptied for the file, and a fresh
 * database on the run's PostgreSQL (test/redis/global-setup.ts, test/pg/global-setup.ts; the cluster project runs
 * its files one at a time). A file that kills, pauses or restarts one of them gets a private one on a free port
 * instead: usePrivateRedis(), usePrivatePostgres().
 */
export interface Backing {
  redis: RedisServer;
  pg: PgServer;
  destroy(): Promise<void>;
}

const privateBacking = { redis: false, postgres: false };

/** For a file that kills, pauses or restarts Redis: call at its top level, so startBacking starts its own. */
export function usePrivateRedis(): void {
  privateBacking.redis = true;
}

/** For a file that stops, freezes or restarts PostgreSQL: call at its top level, so startBacking starts its own. */
export function usePrivatePostgres(): void {
  privateBacking.postgres = true;
}

export async function startBacking(): Promise<Backing> {
  const [redis, pg] = await Promise.all([
    privateBacking.redis ? startRedis() : sharedRedis(),
    privateBacking.postgres ? startPostgres() : sharedPostgres(),
  ]);
  return {
    redis,
    pg,
    async destroy() {
      await Promise.all([redis.destroy(), pg.destroy()]);
    },
  };
}

/** Thrown by what a shared server cannot do: every later file of the run would see the damage. */
function shared(what: string, instead: string): never {
  throw new Error(`${what} is shared by the test run: call ${instead}() at the top of the file`);
}

/** The run's Redis, empty: no keys and no cached scripts, as a Redis of its own would start. */
async function sharedRedis(): Promise<RedisServer> {
  const url = inject('redisUrl');
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await admin.flushall();
    await admin.script('FLUSH');
  } finally {
    admin.disconnect();
  }
  return {
    url,
    port: Number(new URL(url).port),
    pid: () => shared('Redis', 'usePrivateRedis'),
    kill: () => shared('Redis', 'usePrivateRedis'),
    start: () => shared('Redis', 'usePrivateRedis'),
    destroy: () => Promise.resolve(),
  };
}

/** A fresh database on the run's PostgreSQL, dropped (WITH FORCE) when the file is done. */
async function sharedPostgres(): Promise<PgServer> {
  const database = await freshDatabase('cluster');
  return {
    url: database.url,
    pid: () => shared('PostgreSQL', 'usePrivatePostgres'),
    stop: () => shared('PostgreSQL', 'usePrivatePostgres'),
    start: () => shared('PostgreSQL', 'usePrivatePostgres'),
    freeze: () => shared('PostgreSQL', 'usePrivatePostgres'),
    thaw: () => shared('PostgreSQL', 'usePrivatePostgres'),
    destroy: database.drop,
  };
}

export async function startNode(backing: Backing, id: string, options: NodeOptions = {}): Promise<TestNode> {
  const env = {
    REDIS_URL: backing.redis.url,
    DATABASE_URL: backing.pg.url,
    NODE_ID: id,
    // The shortest lease allowed, so the tests see dead nodes reaped within seconds.
    NODE_LEASE_MS: String(options.leaseMs ?? LEASE_TTL_FLOOR_MS),
    NEWS_RATE: String(options.newsRate ?? 0),
    NEWS_TOKEN: options.newsToken ?? '',
    ADMIN_TOKEN: options.adminToken ?? '',
    METRICS_TOKEN: CLUSTER_METRICS_TOKEN,
    ...(options.recoveryWindowMs === undefined ? {} : { RECOVERY_WINDOW_MS: String(options.recoveryWindowMs) }),
    ...(options.authSecret === undefined ? {} : { AUTH_SECRET: options.authSecret }),
    ...options.env,
  };
  const overrides = {
    clientLimits: { ...LOOPBACK_CLIENT_LIMITS, ...options.clientLimits },
    ...(options.log ? { log: options.log } : {}),
  };
  const deps = await appDeps(await testConfig(tmpdir(), env), overrides); // DATA_DIR: unused by a cluster node
  const app = createApp(deps);
  await app.ready;
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  const membership = deps.membership as LeasedNodes;
  let closed: Promise<void> | undefined;
  return { id, app, membership, url: `http://127.0.0.1:${port}`, close: () => (closed ??= app.close()) };
}

export async function startNodes(backing: Backing, count: number, options: NodeOptions = {}): Promise<TestNode[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => startNode(backing, `node-${i + 1}`, options)));
}

export interface NodesFixture {
  /** The file's Redis and PostgreSQL. */
  readonly backing: Backing;
  /** This test's nodes, started fresh for every test. */
  readonly nodes: TestNode[];
}

/** One Redis and PostgreSQL for the file, `count` in-process nodes on them for every test; clients go after each. */
export function useNodes(count: number, options: NodeOptions = {}): NodesFixture {
  let backing: Backing | undefined;
  let nodes: TestNode[] = [];
  beforeAll(async () => {
    backing = await startBacking();
  });
  afterAll(() => backing?.destroy());
  beforeEach(async () => {
    nodes = await startNodes(backing!, count, options);
  });
  afterEach(async () => {
    disconnectAll();
    await Promise.all(nodes.map((node) => node.close()));
  });
  return {
    get backing() {
      if (!backing) throw new Error('the cluster exists only inside a test');
      return backing;
    },
    get nodes() {
      return nodes;
    },
  };
}
