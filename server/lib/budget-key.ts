import type { ChatLimits, SocketRateLimiter } from './rate-limit.js';
import type { EngineConnection } from './engine-internals.js';
import { addressOf } from './client-address.js';

/** What budget-key needs of a socket of either namespace. */
export interface BudgetHolder {
  conn: EngineConnection;
  data: { sessionToken?: string };
}

/**
 * Whose budget a socket's events draw on: its session's, shared by every socket that presents the session's
 * token (tabs, reconnects, a namespace reconnected in a loop), or before it has a session, its client
 * address's. Never the socket's own id, which a client renews at will. The one place that decides who a
 * client is for rate limiting; an identity more durable than the session (a signed user) belongs here.
 */
export function budgetKey(socket: BudgetHolder): string {
  const token = socket.data.sessionToken;
  return token === undefined ? addressKey(socket) : `session:${token}`;
}

/** The key of the budgets that hold across every session of one client address (a new session is cheap). */
export function addressKey(socket: Pick<BudgetHolder, 'conn'>): string {
  return `address:${addressOf(socket.conn)}`;
}

/**
 * Takes one send, edit or delete from the session's budget and from its address's, both at once (in a cluster each
 * is a Redis round trip on a send's path); when one budget refuses, the point taken from the other goes back.
 */
export async function takeMessage(limits: ChatLimits, socket: BudgetHolder): Promise<void> {
  const budgets = [
    { limiter: limits.messages, key: budgetKey(socket) },
    { limiter: limits.addressMessages, key: addressKey(socket) },
  ];
  const taken = await Promise.allSettled(budgets.map(({ limiter, key }) => limiter.take(key)));
  const refused = taken.find((result) => result.status === 'rejected');
  if (!refused) return;
  await Promise.all(
    budgets.filter((_, i) => taken[i]!.status === 'fulfilled').map(({ limiter, key }) => limiter.refund(key, 1)),
  );
  throw refused.reason;
}

/**
 * Runs `read`, which returns at most `limit` history rows (`rows` counts them), charged to the address's row
 * budget by what it returns: the whole `limit` is taken first (an exhausted budget costs no read and changes
 * nothing), and what was not returned, or everything if `read` failed, is given back.
 */
export async function chargeRows<T>(
  limits: ChatLimits,
  socket: BudgetHolder,
  limit: number,
  read: () => Promise<T>,
  rows: (result: T) => number,
): Promise<T> {
  const key = addressKey(socket);
  await limits.addressHistory.take(key, limit);
  let used = 0;
  try {
    const result = await read();
    used = rows(result);
    return result;
  } finally {
    await limits.addressHistory.refund(key, limit - used);
  }
}

/** The request budget of a /chat socket: the session's, or the guests' budget of its address. */
export function requestBudget(limits: ChatLimits, socket: BudgetHolder): SocketRateLimiter {
  return socket.data.sessionToken === undefined ? limits.guests : limits.requests;
}

/** Takes one request from the socket's budget; throws `RATE_LIMITED` when it is spent. */
export function takeRequest(limits: ChatLimits, socket: BudgetHolder): Promise<void> {
  return requestBudget(limits, socket).take(budgetKey(socket));
}
