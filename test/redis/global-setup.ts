import type { TestProject } from 'vitest/node';
import { startRedis } from './redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis server the Redis store tests share (each under key prefixes of its own). */
    redisUrl: string;
  }
}

/**
 * One private Redis for the Redis store tests of the run (test/redis/), stopped at the end. Never an outside
 * one. The cluster files start their own (test/cluster/cluster.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startRedis();
  project.provide('redisUrl', server.url);
  return () => server.destroy();
}
