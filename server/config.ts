import { hostname } from 'node:os';
import { z } from 'zod';
import { PRESENCE_COALESCE_ABOVE, PRESENCE_GRACE_MS, RECOVERY_WINDOW_MS } from './protocol/limits.js';
import { HTTP_DEFAULTS } from './http/settings.js';
import { SQLITE_DEFAULTS } from './stores/sqlite-settings.js';
import { RECOVERY_BUFFER_BYTES } from './lib/chat-recovery-adapter.js';
import { RECOVERY_STREAM_MAX_LEN } from './cluster/compose-cluster.js';

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
  /** Names this process in the owners of shared entries; unique per running process. */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, '1-64 letters, digits, ".", "_" or "-"')
    .default(() => defaultNodeId()),
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
