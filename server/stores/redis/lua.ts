import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run with EVALSHA, sent in full (EVAL) only when Redis does not know it yet, e.g. after a
 * restart. Each script is one atomic step: a cross-node invariant is decided inside it, never across an await.
 * Scripts build some keys from a prefix, so they need a single Redis server (not Redis Cluster).
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** `[k1, v1, k2, v2]` (HGETALL as Lua returns it) → an object. */
export function pairs(flat: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (!Array.isArray(flat)) return record;
  for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = String(flat[i + 1]);
  return record;
}

/**
 * Entries one sweep script handles per call (expired sessions, a dead node's sessions, presence and nick claims);
 * the caller calls again while a call came back full. A script blocks Redis while it runs: 100k expired sessions
 * in one call blocked it for 1.0 s (hardening round 2, item 4).
 */
export const SWEEP_BATCH = 500;
