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
  return token === undefined ? `address:${addressOf(socket.conn)}` : `session:${token}`;
}

/** The request budget of a /chat socket: the session's, or the guests' budget of its address. */
export function requestBudget(limits: ChatLimits, socket: BudgetHolder): SocketRateLimiter {
  return socket.data.sessionToken === undefined ? limits.guests : limits.requests;
}

/** Takes one request from the socket's budget; throws `RATE_LIMITED` when it is spent. */
export function takeRequest(limits: ChatLimits, socket: BudgetHolder): Promise<void> {
  return requestBudget(limits, socket).take(budgetKey(socket));
}
