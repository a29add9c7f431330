import { startPostgres } from '../../test/pg/postgres.js';
import { startRedis } from '../../test/redis/redis.js';

/** What a cluster node runs on: Redis and PostgreSQL, private to the bench unless REDIS_URL / DATABASE_URL say. */
export interface Backing {
  env: { REDIS_URL: string; DATABASE_URL: string };
  redisPid?: number;
  destroy(): Promise<void>;
}

/** REDIS_URL and DATABASE_URL when set, else a private Redis and a durable private PostgreSQL. */
export async function startBacking(): Promise<Backing> {
  const [redis, pg] = await Promise.all([
    process.env.REDIS_URL === undefined ? startRedis() : undefined,
    process.env.DATABASE_URL === undefined ? startPostgres({ durable: true }) : undefined,
  ]);
  return {
    env: { REDIS_URL: redis?.url ?? process.env.REDIS_URL!, DATABASE_URL: pg?.url ?? process.env.DATABASE_URL! },
    redisPid: redis?.pid(),
    async destroy() {
      await Promise.all([redis?.destroy(), pg?.destroy()]);
    },
  };
}
