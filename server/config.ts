import { hostname } from 'node:os';
import { z } from 'zod';
import { PRESENCE_GRACE_MS, RECOVERY_WINDOW_MS } from './protocol/limits.js';
import { HTTP_DEFAULTS } from './http/settings.js';
import { MIN_AUTH_SECRET_BYTES } from './chat/signed-identity.js';

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
  /** How long a socket that went away stays in presence (and a clean disconnect keeps its session); 0 = none. */
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(PRESENCE_GRACE_MS),
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
