import type { ErrorCode } from '../protocol/errors.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

/** What every acknowledged handler reports to: the log for faults, the metrics for every reply. */
export interface AckEnv {
  log: Logger;
  metrics: Pick<Metrics, 'replies'>;
}

/** An error the client is told about, with a contract code. Anything else thrown becomes `INTERNAL`. */
export class ChatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type AckHandler<T extends object> = (payload: unknown) => T | Promise<T>;

/**
 * Wraps a handler of an acknowledged event. Socket.IO neither validates payloads nor catches listener
 * errors, so this is where both happen: no ack function → the event is ignored; otherwise exactly one
 * reply, and internal error details are logged, never sent.
 *
 * @example socket.on('room:join', withAck(env, 'room:join', (raw) => joinRoom(socket, parseRoom(raw))));
 */
export function withAck<T extends object>(env: AckEnv, event: string, handle: AckHandler<T>) {
  return (...args: unknown[]): Promise<void> => replyOnce(env, event, args, handle);
}

/**
 * `withAck` for one listener shared by every socket of a namespace: Node calls a listener with its emitter as
 * `this` (https://nodejs.org/api/events.html#passing-arguments-and-this-to-listeners), so the handler gets the
 * socket from there and a connection costs no closure per event (issue 24: they were most of the product's
 * memory per client).
 */
export function sharedAckListener<S, T extends object>(
  env: AckEnv,
  event: string,
  handle: (socket: S, payload: unknown) => T | Promise<T>,
) {
  return function (this: S, ...args: unknown[]): Promise<void> {
    return replyOnce(env, event, args, (payload) => handle(this, payload));
  };
}

async function replyOnce<T extends object>(
  env: AckEnv,
  event: string,
  args: unknown[],
  handle: AckHandler<T>,
): Promise<void> {
  const last = args.at(-1);
  if (typeof last !== 'function') return;
  const reply = last as (response: unknown) => void;
  try {
    const body = await handle(args.length > 1 ? args[0] : undefined);
    reply({ ok: true, ...body });
    env.metrics.replies.inc({ event, result: 'ok' });
  } catch (err) {
    if (err instanceof ChatError) {
      reply({ ok: false, error: { code: err.code, message: err.message } });
      env.metrics.replies.inc({ event, result: err.code });
      return;
    }
    env.log.error({ err, event }, 'handler failed');
    env.metrics.replies.inc({ event, result: 'INTERNAL' });
    reply({ ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
  }
}
