import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, test } from 'vitest';

/** `npm run cluster` without the build step (npm test builds first), with private Redis and PostgreSQL. */
let script: ChildProcess | undefined;

/**
 * When a running process started (/proc's starttime), or undefined once it has exited: a zombie (exited, waiting
 * for a parent that may never reap it) counts as gone.
 */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3, the state
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/**
 * What the script started, by pid and start time. The kernel hands a freed pid to the next process, and the
 * browser files beside this one start renderers all the time: a pid alone once made this file kill a Chromium
 * renderer of another file's page.
 */
const started = new Map<number, string>();
const track = (pid: number) => {
  const startTime = startTimeOf(pid);
  if (startTime !== undefined) started.set(pid, startTime);
};
/** Whether the process the script started under `pid` still runs (not another one given its pid since). */
const alive = (pid: number) => {
  const startTime = startTimeOf(pid);
  return startTime !== undefined && startTime === started.get(pid);
};
const tempRoots: string[] = [];
afterAll(() => {
  // only if the test failed half-way: nothing it started may outlive the file
  for (const pid of started.keys()) if (alive(pid)) process.kill(pid, 'SIGKILL');
  script?.kill('SIGKILL');
  for (const dir of tempRoots) rmSync(dir, { recursive: true, force: true });
});

/** What a run left in its TMPDIR; tsx's own cache (`tsx-<uid>`) aside. */
const leftIn = (dir: string) => readdirSync(dir).filter((name) => !name.startsWith('tsx-'));

/** A private TMPDIR for one run, so "no temp dirs left" is exact; PostgreSQL (run as `postgres`) must enter it. */
function privateTmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-script-test-'));
  chmodSync(dir, 0o755);
  tempRoots.push(dir);
  return dir;
}

/** Every process below `root` now (children, grandchildren, …), from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Runs the script to its end; what it printed, and the pids of what it said it started. */
function runToEnd(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cluster.ts'], {
    env: { ...cleanEnv(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  script = child;
  let stdout = '';
  let stderr = '';
  const pids: number[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`;
    const pid = /^ {2}started \S+ pid (\d+)/.exec(line)?.[1];
    if (pid) pids.push(Number(pid));
    if (pid) track(Number(pid)); // killed after the file if the script leaves it behind
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close': the script and everything holding its stdout (the nodes inherit it) are gone
  return new Promise<{ code: number | null; stdout: string; stderr: string; pids: number[] }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr, pids })),
  );
}

function cleanEnv(): NodeJS.ProcessEnv {
  const { REDIS_URL: _redis, DATABASE_URL: _database, PORT: _port, ...env } = process.env;
  return env;
}

interface Started {
  url: string;
  pids: Map<string, number>;
  dirs: string[];
}

function startScript(command = [process.execPath, '--import', 'tsx', 'scripts/cluster.ts'], tmp?: string) {
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...cleanEnv(), LOG_LEVEL: 'warn', ...(tmp === undefined ? {} : { TMPDIR: tmp }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  script = child;
  return new Promise<Started>((resolve, reject) => {
    const result: Started = { url: '', pids: new Map(), dirs: [] };
    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = /^Parley cluster: (\S+)/.exec(line)?.[1];
      if (url) result.url = url;
      const process = /^ {2}(\S+)\s+pid (\d+)/.exec(line);
      if (process) {
        result.pids.set(process[1]!, Number(process[2]));
        track(Number(process[2]));
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

test('without nginx or redis-server it says what to install, exits 1 and starts nothing', async () => {
  const tmp = privateTmp();
  const run = await runToEnd({ NGINX_BIN: '/nonexistent/nginx', PATH: '/nonexistent-bin', TMPDIR: tmp });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('these programs are missing');
  expect(run.stderr).toContain('nginx (looked for /nonexistent/nginx)');
  expect(run.stderr).toContain('redis-server');
  expect(run.stderr).toContain('apt-get install nginx redis-server');
  expect(run.stderr).not.toMatch(/ENOENT|at .*\.ts:\d+/); // no raw error, no stack
  expect(run.pids).toEqual([]);
  expect(leftIn(tmp)).toEqual([]);
}, 60_000);

test('a failure half-way (nginx exits at once) stops what was started and removes its dirs', async () => {
  const tmp = privateTmp();
  const run = await runToEnd({ NGINX_BIN: '/bin/false', TMPDIR: tmp });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('npm run cluster failed: nginx exited with 1');
  expect(run.pids).toHaveLength(5); // redis, postgres, three nodes: all up before nginx failed
  for (const pid of run.pids) await expect.poll(() => ({ pid, alive: alive(pid) })).toEqual({ pid, alive: false });
  expect(leftIn(tmp)).toEqual([]);
}, 120_000);

test('SIGTERM to the npm process (what a supervisor holds) stops the whole cluster', async () => {
  const tmp = privateTmp();
  const cluster = await startScript(['npm', 'run', 'cluster'], tmp);
  const npm = script!;
  // npm, sh, tsx, the script, redis, the nodes and nginx; PostgreSQL runs detached (pg_ctl), by its own pid
  const everything = [...new Set([...descendants(npm.pid!), ...cluster.pids.values()])];
  everything.forEach(track);
  expect(everything.length).toBeGreaterThanOrEqual(9);
  npm.kill('SIGTERM');
  for (const pid of everything)
    await expect.poll(() => ({ pid, alive: alive(pid) }), { timeout: 20_000 }).toEqual({ pid, alive: false });
  expect(leftIn(tmp)).toEqual([]);
}, 180_000);
