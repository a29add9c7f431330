import { hostname } from 'node:os';
import { z } from 'zod';
import {
  MAX_HISTORY_PAGE,
  MAX_RETENTION_DAYS,
  PRESENCE_COALESCE_ABOVE,
  PRESENCE_DELIVERIES_PER_SECOND,
  PRESENCE_PROCESS_DELIVERIES_PER_SECOND,
  PRESENCE_GRACE_MS,
  RECOVERY_WINDOW_MS,
} from './protocol/limits.js';
import { HTTP_DEFAULTS } from './http/settings.js';
import { MIN_AUTH_SECRET_BYTES } from './chat/signed-identity.js';
import { CLIENT_LIMIT_DEFAULTS, type ClientLimits } from './lib/client-limits.js';
import {
  ADDRESS_HISTORY_LIMIT,
  ADDRESS_MESSAGE_LIMIT,
  ADDRESS_REQUEST_LIMIT,
  type Budgets,
  addressBudgets,
} from './lib/rate-limit.js';
import { SQLITE_DEFAULTS } from './stores/sqlite-settings.js';
import { RECOVERY_BUFFER_BYTES } from './lib/chat-recovery-adapter.js';
import { RETENTION_SWEEP_DEFAULTS, type RetentionSweepSettings } from './chat/retention-sweep.js';
import { LEASE_TTL_FLOOR_MS, LEASE_TTL_MS, RECOVERY_STREAM_MAX_LEN } from './cluster/defaults.js';

const DEFAULT_TOPICS = 'markets,sports,tech';

const commaList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    );

/** `'self'`, `'none'` (quotes optional) or an http(s) origin, as CSP source expressions. */
const frameSource = z.union([
  z.enum(['self', 'none', "'self'", "'none'"]).transform((k) => `'${k.replaceAll("'", '')}'`),
  z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin),
]);

/** A positive whole number: a cap or budget. */
const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

const milliseconds = (fallback: number) => z.coerce.number().int().min(1000).max(600_000).default(fallback);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  CORS_ORIGINS: commaList('').pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin))),
  NEWS_RATE: z.coerce.number().min(0).max(1000).default(1),
  NEWS_TOPICS: commaList(DEFAULT_TOPICS).pipe(z.array(z.string().regex(/^[a-z0-9-]{1,32}$/)).min(1)),
  NEWS_TOKEN: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PostgreSQL for the message history; unset = SQLite in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** How long one SQLite write blocks the event loop waiting for a lock held by another process. */
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(5000).default(SQLITE_DEFAULTS.busyTimeoutMs),
  /** How long a send waits in all for that lock before it is answered INTERNAL. */
  SQLITE_WRITE_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(SQLITE_DEFAULTS.writeTimeoutMs),
  /** Redis for cluster mode (nicks, sessions, presence, news seq, the /chat adapter); needs DATABASE_URL too. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  RECOVERY_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60 * 60 * 1000)
    .default(RECOVERY_WINDOW_MS),
  /** What the /chat broadcasts kept for recovery may take in one process (oldest dropped first). */
  RECOVERY_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(2 ** 40)
    .default(RECOVERY_BUFFER_BYTES),
  /** Cluster mode: broadcasts the Redis stream keeps for recovery (the streams adapter's maxLen, approximate). */
  RECOVERY_STREAM_MAX_LEN: z.coerce.number().int().min(100).max(10_000_000).default(RECOVERY_STREAM_MAX_LEN),
  /** How long a socket that went away stays in presence (and a clean disconnect keeps its session); 0 = none. */
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(PRESENCE_GRACE_MS),
  /** Rooms with more members hear of joins, leaves and renames as one `presence:batch` a second. */
  PRESENCE_COALESCE_ABOVE: z.coerce.number().int().min(0).max(1_000_000).default(PRESENCE_COALESCE_ABOVE),
  /** Presence deliveries a room may cause in one second before it is batched for the rest of the second. */
  PRESENCE_DELIVERIES_PER_SECOND: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000_000)
    .default(PRESENCE_DELIVERIES_PER_SECOND),
  /** Presence deliveries all rooms of this process may cause in a second before every change is batched. */
  PRESENCE_PROCESS_DELIVERIES_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000_000)
    .default(PRESENCE_PROCESS_DELIVERIES_PER_SECOND),
  /** Names this process in the owners of shared entries; unique per running process. */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, '1-64 letters, digits, ".", "_" or "-"')
    .default(() => defaultNodeId()),
  /** HS256 key of the host site's identity tokens; unset = signed identity off. */
  AUTH_SECRET: z
    .string()
    .refine((s) => Buffer.byteLength(s) >= MIN_AUTH_SECRET_BYTES, `must be at least ${MIN_AUTH_SECRET_BYTES} bytes`)
    .optional(),
  /** `off`: only signed users may chat. */
  GUESTS: z.enum(['on', 'off']).default('on'),
  /** Bearer token of the HTTP admin API; empty = the API answers 404. */
  ADMIN_TOKEN: z.string().default(''),
  METRICS_TOKEN: z.string().default(HTTP_DEFAULTS.metricsToken),
  FRAME_ANCESTORS: commaList(HTTP_DEFAULTS.frameAncestors.join(',')).pipe(
    z
      .array(frameSource)
      .min(1)
      .refine((list) => !list.includes("'none'") || list.length === 1, "'none' must stand alone"),
  ),
  SOURCE_MAPS: z.stringbool().default(HTTP_DEFAULTS.sourceMaps),
  HTTP_HEADERS_TIMEOUT_MS: milliseconds(HTTP_DEFAULTS.headersTimeoutMs),
  HTTP_REQUEST_TIMEOUT_MS: milliseconds(HTTP_DEFAULTS.requestTimeoutMs),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(HTTP_DEFAULTS.maxConnections),
  /** Distinct origins missing from CORS_ORIGINS logged per minute (each at most once a minute). */
  REFUSED_ORIGIN_LOGS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(HTTP_DEFAULTS.refusedOriginLogsPerMinute),
  MAX_SOCKETS_PER_SESSION: count(CLIENT_LIMIT_DEFAULTS.maxSocketsPerSession),
  MAX_CONNECTIONS_PER_IP: count(CLIENT_LIMIT_DEFAULTS.maxConnectionsPerAddress),
  MAX_ROOMS_PER_SESSION: count(CLIENT_LIMIT_DEFAULTS.maxRoomsPerSession),
  MAX_CONVERSATIONS_PER_PERSON: count(CLIENT_LIMIT_DEFAULTS.maxConversationsPerPerson),
  MAX_PACKETS_PER_SECOND: count(CLIENT_LIMIT_DEFAULTS.packetsPerSecond),
  MAX_PACKET_BURST: count(CLIENT_LIMIT_DEFAULTS.packetBurst),
  /** Requests per 2 s of sockets without a session (and of /news), per client address. */
  REQUESTS_PER_ADDRESS: count(ADDRESS_REQUEST_LIMIT.points),
  /** Sends, edits and deletes per 2 s of all the sessions of one client address. */
  MESSAGES_PER_ADDRESS: count(ADDRESS_MESSAGE_LIMIT.points),
  /** History rows per second returned to all the sockets of one client address; a page reserves its whole limit. */
  HISTORY_ROWS_PER_ADDRESS: z.coerce
    .number()
    .int()
    .min(MAX_HISTORY_PAGE)
    .max(1_000_000)
    .default(ADDRESS_HISTORY_LIMIT.points),
  /** Cluster mode: how long a node's lease lasts without renewal; at least 3 heartbeats plus the command timeout. */
  NODE_LEASE_MS: z.coerce.number().int().min(LEASE_TTL_FLOOR_MS).max(600_000).default(LEASE_TTL_MS),
  /** Live guest sessions one client address may have created. */
  MAX_SESSIONS_PER_ADDRESS: count(CLIENT_LIMIT_DEFAULTS.maxSessionsPerAddress),
  /** Days a room's messages are kept before the sweep purges them (a room's override wins); 0 = forever. */
  RETENTION_DAYS: z.coerce.number().int().min(0).max(MAX_RETENTION_DAYS).default(0),
  /** How often the retention sweep runs (fractions allowed, for tests). */
  RETENTION_SWEEP_SECONDS: z.coerce
    .number()
    .min(0.01)
    .max(86_400)
    .default(RETENTION_SWEEP_DEFAULTS.everyMs / 1000),
  /** Messages the sweep deletes per statement; on SQLite a batch blocks the event loop while it runs. */
  RETENTION_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).default(RETENTION_SWEEP_DEFAULTS.batchRows),
  /** The sweep's pause after each full batch, so sends run between batches. */
  RETENTION_BATCH_PAUSE_MS: z.coerce.number().int().min(0).max(10_000).default(RETENTION_SWEEP_DEFAULTS.pauseMs),
  /** Proxies in front that append to X-Forwarded-For: `false` (0), `true` (1) or a hop count. */
  TRUST_PROXY: z
    .union([z.enum(['true', 'false']).transform((v) => (v === 'true' ? 1 : 0)), z.coerce.number().int().min(0).max(10)])
    .default(0),
});

/** Host name and pid: unique among the processes of a deployment, and readable in logs. */
export function defaultNodeId(): string {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 40) || 'node';
  return `${host}-${process.pid}`;
}

export type Config = z.infer<typeof envSchema>;

/** Cluster mode shares history through PostgreSQL: a Redis without it would give every node its own SQLite. */
const clusterSchema = envSchema.refine(
  (config) => config.REDIS_URL === undefined || config.DATABASE_URL !== undefined,
  {
    path: ['REDIS_URL'],
    message: 'cluster mode (REDIS_URL) needs DATABASE_URL too: the nodes share the history in PostgreSQL',
  },
);

/** Reads the environment; an invalid value throws one message that names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = clusterSchema
    .refine((c) => c.HTTP_HEADERS_TIMEOUT_MS <= c.HTTP_REQUEST_TIMEOUT_MS, {
      path: ['HTTP_HEADERS_TIMEOUT_MS'],
      message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS',
    })
    .safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`invalid configuration: ${problems.join('; ')}`);
}

/** The client limits of a configuration, as createApp takes them. */
export function clientLimitsOf(config: Config): ClientLimits {
  return {
    maxSocketsPerSession: config.MAX_SOCKETS_PER_SESSION,
    maxConnectionsPerAddress: config.MAX_CONNECTIONS_PER_IP,
    maxRoomsPerSession: config.MAX_ROOMS_PER_SESSION,
    maxConversationsPerPerson: config.MAX_CONVERSATIONS_PER_PERSON,
    maxSessionsPerAddress: config.MAX_SESSIONS_PER_ADDRESS,
    packetsPerSecond: config.MAX_PACKETS_PER_SECOND,
    packetBurst: config.MAX_PACKET_BURST,
    trustedProxies: config.TRUST_PROXY,
  };
}

/** The retention sweep's settings of a configuration (RETENTION_SWEEP_SECONDS, _BATCH_ROWS, _BATCH_PAUSE_MS). */
export function retentionSweepOf(config: Config): RetentionSweepSettings {
  return {
    everyMs: Math.round(config.RETENTION_SWEEP_SECONDS * 1000),
    batchRows: config.RETENTION_BATCH_ROWS,
    pauseMs: config.RETENTION_BATCH_PAUSE_MS,
  };
}

/** The per-address budgets of a configuration (REQUESTS_, MESSAGES_ and HISTORY_ROWS_PER_ADDRESS). */
export function addressBudgetsOf(config: Config): Budgets {
  return addressBudgets({
    requests: config.REQUESTS_PER_ADDRESS,
    messages: config.MESSAGES_PER_ADDRESS,
    historyRows: config.HISTORY_ROWS_PER_ADDRESS,
  });
}
