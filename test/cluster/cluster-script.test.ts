import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, expect, test } from 'vitest';

/** `npm run cluster` without the build step (npm test builds first), with private Redis and PostgreSQL. */
let script: ChildProcess | undefined;
const started: number[] = [];
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
afterAll(() => {
  // only if the test failed half-way: nothing it started may outlive the file
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  script?.kill('SIGKILL');
});

interface Started {
  url: string;
  pids: Map<string, number>;
  dirs: string[];
}

function startScript(): Promise<Started> {
  const { REDIS_URL: _redis, DATABASE_URL: _database, PORT: _port, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cluster.ts'], {
    env: { ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  script = child;
  return new Promise((resolve, reject) => {
    const result: Started = { url: '', pids: new Map(), dirs: [] };
    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = /^Parley cluster: (\S+)/.exec(line)?.[1];
      if (url) result.url = url;
      const process = /^ {2}(\S+)\s+pid (\d+)/.exec(line);
      if (process) {
        result.pids.set(process[1]!, Number(process[2]));
        started.push(Number(process[2]));
      }
      const dirs = /^ {2}temp dirs (.+)$/.exec(line)?.[1];
      if (dirs) resolve({ ...result, dirs: dirs.split(' ') });
    });
    child.once('exit', (code) => reject(new Error(`scripts/cluster.ts exited with ${code} before it was up`)));
  });
}

test('npm run cluster serves through nginx, and SIGTERM stops everything it started', async () => {
  const cluster = await startScript();
  expect([...cluster.pids.keys()]).toEqual(['nginx', 'redis', 'postgres', 'node-1', 'node-2', 'node-3']);
  expect(cluster.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${cluster.url}/healthz`);
  expect(health.status).toBe(200);
  const handshake = await fetch(`${cluster.url}/socket.io/?EIO=4&transport=polling`).then((res) => res.text());
  expect(handshake).toMatch(/"sid":"node-[123]\./);
  for (const pid of cluster.pids.values()) expect(alive(pid)).toBe(true);

  const exited = new Promise<number | null>((resolve) => script!.once('exit', (code) => resolve(code)));
  script!.kill('SIGTERM');
  expect(await exited).toBe(0);
  // pg_ctl's `stop -w` returns once the pid file is gone, a moment before the postmaster itself has exited
  for (const [name, pid] of cluster.pids)
    await expect.poll(() => ({ name, alive: alive(pid) })).toEqual({ name, alive: false });
  for (const dir of cluster.dirs) expect(existsSync(dir)).toBe(false);
}, 120_000);
