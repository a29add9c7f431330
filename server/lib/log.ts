import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** What replaces the arguments of a failed Redis command in a log line: they hold session tokens and nick keys. */
export const REDACTED = '[redacted]';

/** Plain data (what JSON.stringify shows as data), as opposed to an instance of some class. */
const isPlainObject = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || (value as { constructor?: unknown }).constructor === Object;
};

/** Fields of a serialized error: plain data kept (nested errors included), class instances by name only. */
function scrub(fields: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'command' && value !== null && typeof value === 'object') {
      out.command = { name: (value as { name?: unknown }).name, args: REDACTED };
    } else if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      out[key] = value;
    } else if (isPlainObject(value) && depth < 4) {
      out[key] = scrub(value as Record<string, unknown>, depth + 1);
    } else {
      out[key] = `[${value.constructor?.name ?? 'object'}]`;
    }
  }
  return out;
}

/**
 * pino's error serializer (type, message, stack, code, cause and the other own fields), minus what must not be
 * logged:
 * - objects of a class: `pg` puts the whole idle Client (type tables, `secretKey`) on a pool error as `client`;
 *   such a field becomes its class name (`"[Client]"`);
 * - the arguments of a failed Redis command (ioredis puts `command: { name, args }` on its errors, and they
 *   hold session tokens): only the command's name stays.
 */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return scrub(pino.stdSerializers.err(err), 0);
}

/** JSON logs on stdout (or `destination`, for tests that read them); `LOG_LEVEL=silent` in tests. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'chat' }, serializers: { err: serializeError } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
