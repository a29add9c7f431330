import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON logs on stdout; `LOG_LEVEL=silent` in tests. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'chat' } });
}
