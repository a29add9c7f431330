import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect } from 'vitest';
import { type ChatClient, disconnectAll, tempDataDir } from '../helpers.js';
import { type ServerProcess, spawnServer } from '../server-process.js';
import { type Backing, startBacking } from './cluster.js';
import { type TestBalancer, startBalancer } from './proxy.js';

export interface ProcessCluster {
  /** A `dist/server.js` node on the file's Redis and PostgreSQL; killed after the file. */
  startProcess(id: string, env?: Record<string, string>): Promise<ServerProcess>;
  /** A balancer in front of these nodes (the first live one takes new connections); closed after the file. */
  balance(backends: readonly string[]): Promise<TestBalancer>;
}

/**
 * Cluster nodes as child processes (so they can be killed with -9, stopped with SIGTERM or paused), one
 * Redis and one PostgreSQL for the whole file. Paused nodes are woken before they are killed.
 */
export function useProcessCluster(): ProcessCluster {
  let backing: Backing;
  const processes: ServerProcess[] = [];
  const balancers: TestBalancer[] = [];
  beforeAll(async () => {
    backing = await startBacking();
  });
  afterAll(async () => {
    disconnectAll();
    await Promise.all(balancers.map((balancer) => balancer.close()));
    for (const server of processes) {
      server.child.kill('SIGCONT');
      server.child.kill('SIGKILL');
    }
    await Promise.all(processes.map((server) => server.exited));
    await backing.destroy();
  });
  return {
    async startProcess(id, env = {}) {
      const server = await spawnServer({
        NODE_ID: id,
        DATA_DIR: tempDataDir(),
        REDIS_URL: backing.redis.url,
        DATABASE_URL: backing.pg.url,
        ...env,
      });
      processes.push(server);
      return server;
    },
    async balance(backends) {
      const balancer = await startBalancer(backends);
      balancers.push(balancer);
      return balancer;
    },
  };
}

/** A client behind the balancer, in `room`, that reconnects (and so fails over) quickly. */
export async function failoverClient(url: string, nick: string, room: string): Promise<ChatClient> {
  const socket: ChatClient = io(`${url}/chat`, {
    forceNew: true,
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  const res = await socket.emitWithAck('nick:register', nick);
  if (!res.ok) throw new Error(res.error.code);
  expect(await socket.emitWithAck('room:join', room)).toMatchObject({ ok: true });
  return socket;
}
