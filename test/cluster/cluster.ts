import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
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

/** One node of a test cluster, in this process: composed as main.ts composes it, on its file's Redis and PostgreSQL. */
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
 * The backing services of a cluster test file: a Redis of its own on a free port (a few milliseconds to start,
 * and the files run side by side: no file sees another's keys, channels or leases), and a fresh database on
 * the run's PostgreSQL (test/pg/global-setup.ts). A file that stops, freezes or restarts PostgreSQL gets a
 * private one instead (`privatePostgres`).
 */
export interface Backing {
  redis: RedisServer;
  pg: PgServer;
  destroy(): Promise<void>;
}

export interface BackingOptions {
  /** For a file that stops, freezes or restarts PostgreSQL: a server of its own instead of the run's. */
  privatePostgres?: boolean;
}

export async function startBacking(options: BackingOptions = {}): Promise<Backing> {
  const [redis, pg] = await Promise.all([startRedis(), options.privatePostgres ? startPostgres() : sharedPostgres()]);
  return {
    redis,
    pg,
    async destroy() {
      await Promise.all([redis.destroy(), pg.destroy()]);
    },
  };
}

/** Thrown by what the run's PostgreSQL cannot do: every other file of the run would see the damage. */
function shared(): never {
  throw new Error('PostgreSQL is shared by the test run: ask useNodes or startBacking for privatePostgres');
}

/** A fresh database on the run's PostgreSQL, dropped (WITH FORCE) when the file is done. */
async function sharedPostgres(): Promise<PgServer> {
  const database = await freshDatabase('cluster');
  return {
    url: database.url,
    pid: shared,
    stop: shared,
    start: shared,
    freeze: shared,
    thaw: shared,
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
export function useNodes(count: number, options: NodeOptions & BackingOptions = {}): NodesFixture {
  let backing: Backing | undefined;
  let nodes: TestNode[] = [];
  beforeAll(async () => {
    backing = await startBacking(options);
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
