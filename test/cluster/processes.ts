import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect } from 'vitest';
import { type ChatClient, disconnectAll, tempDataDir } from '../helpers.js';
import { type NginxServer, startNginx } from '../nginx/nginx.js';
import { type ServerProcess, spawnServer } from '../server-process.js';
import { type Backing, startBacking } from './cluster.js';

/** A node process and its NODE_ID (its Engine.IO session ids start with it). */
export type NodeProcess = ServerProcess & { id: string };

export interface ProcessCluster {
  /** A `dist/server.js` node on the file's Redis and PostgreSQL; killed after the file. */
  startProcess(id: string, env?: Record<string, string>): Promise<NodeProcess>;
  /**
   * nginx with the shipped configuration in front of these nodes (deploy/nginx): requests with a sid go to
   * the node that made it; new sessions to the first node while it lives, then to the next (`backup`), so a
   * test knows where its clients are. Stopped after the file.
   */
  balance(nodes: readonly NodeProcess[]): Promise<NginxServer>;
}

/**
 * Cluster nodes as child processes (so they can be killed with -9, stopped with SIGTERM or paused), one
 * Redis and one PostgreSQL for the whole file. Paused nodes are woken before they are killed.
 */
export function useProcessCluster(): ProcessCluster {
  let backing: Backing;
  const processes: ServerProcess[] = [];
  const balancers: NginxServer[] = [];
  beforeAll(async () => {
    backing = await startBacking();
  });
  afterAll(async () => {
    disconnectAll();
    await Promise.all(balancers.map((balancer) => balancer.stop()));
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
        NODE_LEASE_MS: '6000', // the shortest allowed: dead nodes are reaped within seconds
        ...env,
      });
      processes.push(server);
      return { ...server, id };
    },
    async balance(nodes) {
      const balancer = await startNginx(nodes.map(({ id, url }, i) => ({ id, url, backup: i > 0 })));
      balancers.push(balancer);
      return balancer;
    },
  };
}

/**
 * A client behind the balancer, in `room`, that reconnects (and so fails over) quickly. It starts with
 * long-polling and upgrades, as browsers do, so every request after the handshake relies on sid routing.
 */
export async function failoverClient(url: string, nick: string, room: string): Promise<ChatClient> {
  const socket: ChatClient = io(`${url}/chat`, {
    forceNew: true,
    transports: ['polling', 'websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  const res = await socket.emitWithAck('nick:register', nick);
  if (!res.ok) throw new Error(res.error.code);
  expect(await socket.emitWithAck('room:join', room)).toMatchObject({ ok: true });
  return socket;
}
