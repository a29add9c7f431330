import { Writable } from 'node:stream';
import { type Logger, createLogger } from '../server/lib/log.js';

export interface CapturedLog {
  /** A logger writing JSON lines here instead of stdout (pass it as `log` to startServer / createApp). */
  log: Logger;
  /** Every line so far, parsed. */
  lines: Record<string, unknown>[];
  /** Every line so far, as written: to assert that a secret appears nowhere. */
  text(): string;
  /** The lines with this `msg`. */
  withMessage(msg: string | RegExp): Record<string, unknown>[];
  clear(): void;
}

/** The server's own pino logger (server/lib/log.ts, its serializers included) writing to memory. */
export function captureLog(level = 'info'): CapturedLog {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const written = chunk.toString();
      raw.push(written);
      for (const line of written.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return {
    log: createLogger(level, stream),
    lines,
    text: () => raw.join(''),
    withMessage: (msg) =>
      lines.filter((line) => (typeof msg === 'string' ? line.msg === msg : msg.test(String(line.msg)))),
    clear() {
      raw.length = 0;
      lines.length = 0;
    },
  };
}
