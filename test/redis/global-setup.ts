import type { TestProject } from 'vitest/node';
import { startRedis } from './redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis server the cluster test project shares (its files run one at a time). */
    redisUrl: string;
  }
}

/**
 * One private Redis for the whole cluster project, stopped at the end. Never an outside one: each file
 * starts by emptying it (FLUSHALL, test/cluster/cluster.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startRedis();
  project.provide('redisUrl', server.url);
  return () => server.destroy();
}
