import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import {
  ADDRESS_HISTORY_LIMIT,
  ADDRESS_MESSAGE_LIMIT,
  ADDRESS_REQUEST_LIMIT,
  type Budgets,
  type ChatLimits,
  MESSAGE_LIMIT,
  REQUEST_LIMIT,
  type RateLimit,
  SocketRateLimiter,
  TYPING_LIMIT,
} from '../../lib/rate-limit.js';

/**
 * Budgets kept in Redis (cluster mode), under `<prefix>rl:<name>:`. While Redis is unreachable an in-memory
 * limiter stands in (rate-limiter-flexible's insurance limiter), so limits hold and no request fails on them.
 */
export function redisLimits(redis: Redis, prefix: string, budgets: Budgets = {}): ChatLimits {
  const make = (name: string, limit: RateLimit) => {
    const budget = { points: limit.points, duration: limit.windowSeconds };
    const limiter = new RateLimiterRedis({
      ...budget,
      storeClient: redis,
      keyPrefix: `${prefix}rl:${name}`,
      insuranceLimiter: new RateLimiterMemory(budget),
    });
    return new SocketRateLimiter(limit, limiter);
  };
  return {
    messages: make('messages', budgets.messages ?? MESSAGE_LIMIT),
    requests: make('requests', budgets.requests ?? REQUEST_LIMIT),
    typing: make('typing', budgets.typing ?? TYPING_LIMIT),
    guests: make('guests', budgets.guests ?? ADDRESS_REQUEST_LIMIT),
    news: make('news', budgets.news ?? ADDRESS_REQUEST_LIMIT),
    addressMessages: make('addr-messages', budgets.addressMessages ?? ADDRESS_MESSAGE_LIMIT),
    addressHistory: make('addr-history', budgets.addressHistory ?? ADDRESS_HISTORY_LIMIT),
  };
}
