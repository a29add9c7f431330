import type { Socket } from 'socket.io-client';
import type { ErrorCode } from '../../server/protocol/events.js';

/** How long a request waits for its ack before it counts as unanswered. */
export const ACK_TIMEOUT_MS = 5000;

/** The server's error codes plus the client's own `TIMEOUT`: the server did not answer in time (or at all). */
export type ClientErrorCode = ErrorCode | 'TIMEOUT';
export interface ClientError {
  code: ClientErrorCode;
  message: string;
}
export const NO_ANSWER: ClientError = { code: 'TIMEOUT', message: 'no answer from the server' };

type EventMap = object;
/** The ack callback's argument of an acknowledged event: `(x, reply: (res: R) => void) => void` gives R. */
type ReplyOf<F> = F extends (...args: [...infer _, infer Reply]) => void
  ? Reply extends (res: infer R) => void
    ? R
    : never
  : never;
/** Everything before the ack callback. */
type ArgsOf<F> = F extends (...args: [...infer Args, infer Reply]) => void
  ? Reply extends (res: never) => void
    ? Args
    : never
  : never;

/** The subset of a socket that `request` uses, typed loosely on purpose (see `request`). */
interface Requester {
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
}

/**
 * `emitWithAck` with a timeout, typed by the event map. Resolves `undefined` instead of throwing when the
 * socket is missing, the ack timed out or the connection went away. socket.io-client 4.8 types
 * `socket.timeout(ms).emitWithAck()` as `any` (its `FirstArg` does not see past the prepended timeout
 * error), so without this every reply in the client was unchecked; here the reply type comes from the map.
 * @example const res = await request(socket, 'room:members', 'lobby'); // Ack<{ room; members }> | undefined
 */
export async function request<E extends EventMap, K extends keyof E & string>(
  socket: Socket<EventMap, E> | undefined,
  event: K,
  ...args: ArgsOf<E[K]>
): Promise<ReplyOf<E[K]> | undefined> {
  return requestWithin(ACK_TIMEOUT_MS, socket, event, ...args);
}

/** `request` with its own timeout (the outbox's tests use a short one). */
export async function requestWithin<E extends EventMap, K extends keyof E & string>(
  timeoutMs: number,
  socket: Socket<EventMap, E> | undefined,
  event: K,
  ...args: ArgsOf<E[K]>
): Promise<ReplyOf<E[K]> | undefined> {
  if (!socket) return undefined;
  try {
    const reply = await (socket as unknown as Requester).timeout(timeoutMs).emitWithAck(event, ...(args as unknown[]));
    return reply as ReplyOf<E[K]>;
  } catch {
    return undefined;
  }
}
