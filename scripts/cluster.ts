/**
 * `npm run cluster`: a local demo cluster on free ports: a private Redis and PostgreSQL (or the ones in
 * REDIS_URL / DATABASE_URL), NODES (default 3) nodes of the built server (`node dist/server.js`), and nginx in
 * front with the shipped configuration (deploy/nginx). Prints the URL; SIGINT (Ctrl-C), SIGTERM or SIGHUP, to
 * this process or to the npm that ran it, stops everything it started and removes its temp directories, and so
 * does a failure half-way through the start. PORT picks nginx's port; LOG_LEVEL the nodes'.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/free-port.js';
import { type NginxServer, nginxBin, startNginx } from '../test/nginx/nginx.js';
import { postgresBin, startPostgres } from '../test/pg/postgres.js';
import { startRedis } from '../test/redis/redis.js';
import { findProgram, launchers, missingMessage, type Requirement, watchLaunchers } from './cluster-guard.js';

const SERVER_ENTRY = new URL('../dist/server.js', import.meta.url).pathname;
const NODE_COUNT = Number(process.env.NODES ?? 3);

/** What to undo on the way out, last started first. */
const cleanups: (() => Promise<void> | void)[] = [];
const say = (line: string) => process.stdout.write(`${line}\n`);
// Once npm is gone its pipe may be too; the cleanup must not die of a write to it.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

interface NodeProcess {
  id: string;
  url: string;
  child: ChildProcess;
}

/** Every program this run will start, looked up before anything starts. */
function requirements(): Requirement[] {
  const nginx = nginxBin();
  const found: Requirement[] = [
    { what: 'nginx', looked: nginx, found: findProgram(nginx) !== undefined, debian: 'nginx' },
  ];
  if (process.env.REDIS_URL === undefined) {
    const redis = { what: 'redis-server', looked: 'redis-server on PATH', debian: 'redis-server' };
    found.push({ ...redis, found: findProgram('redis-server') !== undefined });
  }
  if (process.env.DATABASE_URL === undefined) {
    let bin: string | undefined;
    try {
      bin = postgresBin();
    } catch {
      bin = undefined;
    }
    for (const tool of ['initdb', 'pg_ctl']) {
      const looked = bin ? join(bin, tool) : `/usr/lib/postgresql/<version>/bin/${tool} (or PG_BIN)`;
      found.push({
        what: `PostgreSQL's ${tool}`,
        looked,
        found: bin !== undefined && !!findProgram(looked),
        debian: 'postgresql',
      });
    }
  }
  return found;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the node exited with ${child.exitCode}`);
    const status = await fetch(`${url}/healthz`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(200);
  }
  throw new Error(`${url}: /healthz did not answer 200 within 30 s`);
}

async function startNode(id: string, dataDir: string, env: Record<string, string>): Promise<NodeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // a rolling restart's stop: its connections are cut and would resume elsewhere
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  say(`  started ${id} pid ${child.pid ?? '?'}`);
  await waitForHealth(url, child);
  return { id, url, child };
}

async function main(): Promise<void> {
  if (!existsSync(SERVER_ENTRY)) throw new Error('dist/server.js is missing: run `npm run build` first');
  const missing = missingMessage(requirements());
  if (missing !== undefined) {
    process.stderr.write(`${missing}\n`);
    process.exit(1);
  }
  const root = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const pids: [string, number | undefined, string][] = [];

  let redisUrl = process.env.REDIS_URL;
  if (redisUrl === undefined) {
    const redis = await startRedis();
    cleanups.push(() => redis.destroy());
    redisUrl = redis.url;
    pids.push(['redis', redis.pid(), redis.url]);
    say(`  started redis pid ${redis.pid() ?? '?'}`);
  }
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl === undefined) {
    const pg = await startPostgres({ durable: true });
    cleanups.push(() => pg.destroy());
    databaseUrl = pg.url;
    pids.push(['postgres', pg.pid(), pg.url]);
    say(`  started postgres pid ${pg.pid()}`);
  }
  const env = { REDIS_URL: redisUrl, DATABASE_URL: databaseUrl };
  const nodes = await Promise.all(
    Array.from({ length: NODE_COUNT }, (_, i) =>
      startNode(`node-${i + 1}`, join(root, `node-${i + 1}`), { ...env, NODE_ID: `node-${i + 1}` }),
    ),
  );
  for (const node of nodes) pids.push([node.id, node.child.pid, node.url]);
  const port = process.env.PORT === undefined ? undefined : Number(process.env.PORT);
  const nginx: NginxServer = await startNginx(nodes, port);
  cleanups.push(() => nginx.stop());
  pids.unshift(['nginx', nginx.pid, nginx.url]);

  say(`Parley cluster: ${nginx.url}  (Ctrl-C stops everything)`);
  for (const [name, pid, url] of pids) say(`  ${name.padEnd(9)} pid ${pid ?? '?'}  ${url}`);
  say(`  temp dirs ${root} ${nginx.dir}`);
}

let stopping: Promise<void> | undefined;
function stopAll(code: number): Promise<void> {
  stopping ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        process.stderr.write(`cleanup failed: ${String(err)}\n`);
      }
    }
    say('Parley cluster stopped');
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));
// A supervisor's `kill <pid of npm>` reaches npm (and sh) only; the cluster goes with them.
watchLaunchers(launchers(), (pid) => {
  process.stderr.write(`npm run cluster: process ${pid} that started it is gone; stopping\n`);
  void stopAll(0);
});
const fail = async (err: unknown) => {
  process.stderr.write(`npm run cluster failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await stopAll(1);
};
// Whatever breaks (a child that cannot be spawned emits an 'error' nobody awaits), what was started is stopped.
process.on('uncaughtException', (err) => void fail(err));
main().catch(fail);
