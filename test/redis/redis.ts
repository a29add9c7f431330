import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '../free-port.js';

/** A private Redis server for tests: a free loopback port, nothing on disk, stopped by the test that started it. */
export interface RedisServer {
  url: string;
  port: number;
  /** The running server's pid (undefined while it is down). */
  pid(): number | undefined;
  /** Kills it with SIGKILL; everything it held is gone (no persistence). */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  /** Kills it for good. */
  destroy(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function waitForPing(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(50);
    } finally {
      client.disconnect();
    }
  }
}

/** `redis-server` from PATH (.ci/run installs it). */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      'redis-server',
      // DEBUG SLEEP stands in for a Redis that stalls (test/cluster/leases.test.ts).
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--enable-debug-command',
        'yes',
      ],
      { stdio: 'ignore' },
    );
    child = started;
    running.add(started);
    started.once('exit', () => running.delete(started));
    // A missing binary is an 'error' event, which would otherwise crash the process that started it.
    await new Promise<void>((resolve, reject) => {
      started.once('spawn', resolve);
      started.once('error', (err) => reject(new Error(`cannot run redis-server: ${err.message}`)));
    });
    await waitForPing(url);
  };
  const kill = async () => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url, port, pid: () => child?.pid, kill, start, destroy: kill };
}
