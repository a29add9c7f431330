import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ChatError } from './ack.js';

export interface RateLimit {
  /** Events allowed per window: the burst size. */
  points: number;
  windowSeconds: number;
}

/** Per session: bursts of 20, 10/s sustained, whatever number of sockets share the session. */
export const MESSAGE_LIMIT: RateLimit = { points: 20, windowSeconds: 2 };
/** Nick registrations, joins, leaves and queries share one budget per session. */
export const REQUEST_LIMIT: RateLimit = { points: 20, windowSeconds: 2 };
/** Typing notices over this are dropped silently (they have no ack). */
export const TYPING_LIMIT: RateLimit = { points: 5, windowSeconds: 2 };
/**
 * Requests of sockets without a session (/chat before `nick:register`, every /news socket), per client address.
 * Larger than a session's: the people behind one NAT or proxy share it. Configurable (REQUESTS_PER_ADDRESS).
 */
export const ADDRESS_REQUEST_LIMIT: RateLimit = { points: 60, windowSeconds: 2 };
/**
 * Sends, edits and deletes of every session of one client address together (MESSAGES_PER_ADDRESS): a new guest
 * session costs one request, so per-session budgets alone multiply with the sessions one address makes. One-second
 * windows keep the bursts an address may send at once small (bench/abuse-probe.ts: another person's ack p99).
 */
export const ADDRESS_MESSAGE_LIMIT: RateLimit = { points: 30, windowSeconds: 1 };
/**
 * History rows (`room:history` pages and the page a `room:join` returns) of every socket of one client address
 * together (HISTORY_ROWS_PER_ADDRESS): charged by the rows returned, not per request. 5000 rows in 2 s windows
 * let one address stall the event loop for 200 ms at each window's start; 1000 a second keep it near 100 ms.
 */
export const ADDRESS_HISTORY_LIMIT: RateLimit = { points: 1000, windowSeconds: 1 };

/**
 * A fixed-window budget per key (see budget-key.ts: a session, or a client address), so one noisy client is
 * slowed and nobody else.
 * Backed by rate-limiter-flexible; a Redis limiter can stand in for it when several processes share a user.
 */
export class SocketRateLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(limit: RateLimit, limiter?: RateLimiterAbstract) {
    this.limiter = limiter ?? new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds });
  }

  /** Resolves when `points` are allowed; throws `RATE_LIMITED` (and takes nothing) otherwise. */
  async take(key: string, points = 1): Promise<void> {
    try {
      await this.limiter.consume(key, points);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new ChatError('RATE_LIMITED', `too many requests, retry in ${Math.ceil(err.msBeforeNext / 1000)} s`);
    }
  }

  /** Gives back points taken in advance and not used (a history page shorter than its limit). */
  async refund(key: string, points: number): Promise<void> {
    if (points > 0) await this.limiter.reward(key, points);
  }

  /** True when allowed; for events without an ack. */
  async tryTake(key: string): Promise<boolean> {
    return this.take(key).then(
      () => true,
      (err) => {
        if (err instanceof ChatError) return false;
        throw err;
      },
    );
  }
}

/** The budgets of one process's sockets, built at the composition root and handed to the namespaces. */
export interface ChatLimits {
  messages: SocketRateLimiter;
  requests: SocketRateLimiter;
  typing: SocketRateLimiter;
  /** /chat requests of sockets that have no session yet, keyed on the client address. */
  guests: SocketRateLimiter;
  /** /news requests (topics, subscribe, unsubscribe), keyed on the client address. */
  news: SocketRateLimiter;
  /** Sends, edits and deletes per client address, across its sessions. */
  addressMessages: SocketRateLimiter;
  /** History rows per client address, across its sessions. */
  addressHistory: SocketRateLimiter;
}

export type Budgets = Partial<Record<keyof ChatLimits, RateLimit>>;

/** In-process budgets; `budgets` replaces the contract's defaults (tests that need a refusal without a race). */
export function memoryLimits(budgets: Budgets = {}): ChatLimits {
  return {
    messages: new SocketRateLimiter(budgets.messages ?? MESSAGE_LIMIT),
    requests: new SocketRateLimiter(budgets.requests ?? REQUEST_LIMIT),
    typing: new SocketRateLimiter(budgets.typing ?? TYPING_LIMIT),
    guests: new SocketRateLimiter(budgets.guests ?? ADDRESS_REQUEST_LIMIT),
    news: new SocketRateLimiter(budgets.news ?? ADDRESS_REQUEST_LIMIT),
    addressMessages: new SocketRateLimiter(budgets.addressMessages ?? ADDRESS_MESSAGE_LIMIT),
    addressHistory: new SocketRateLimiter(budgets.addressHistory ?? ADDRESS_HISTORY_LIMIT),
  };
}

/** The per-address settings, as points per window of the contract's limits. */
export interface AddressBudgetSettings {
  /** REQUESTS_PER_ADDRESS: guests' /chat requests, and /news requests. */
  requests: number;
  /** MESSAGES_PER_ADDRESS: sends, edits and deletes of all the address's sessions. */
  messages?: number;
  /** HISTORY_ROWS_PER_ADDRESS: history rows returned to all the address's sockets. */
  historyRows?: number;
}

/** The per-address budgets: each setting as the points of its limit's window. */
export function addressBudgets(settings: AddressBudgetSettings): Budgets {
  const requests = { ...ADDRESS_REQUEST_LIMIT, points: settings.requests };
  return {
    guests: requests,
    news: requests,
    addressMessages: { ...ADDRESS_MESSAGE_LIMIT, points: settings.messages ?? ADDRESS_MESSAGE_LIMIT.points },
    addressHistory: { ...ADDRESS_HISTORY_LIMIT, points: settings.historyRows ?? ADDRESS_HISTORY_LIMIT.points },
  };
}
