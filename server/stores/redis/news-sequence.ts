import type { Redis } from 'ioredis';
import type { NewsSequence } from '../news-sequence.js';

/** One counter per topic shared by every node (INCR is atomic). Closing leaves the shared connection open. */
export class RedisNewsSequence implements NewsSequence {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:',
  ) {}

  async next(topic: string): Promise<number> {
    return this.redis.incr(`${this.prefix}news:seq:${topic}`);
  }

  async close(): Promise<void> {}
}
