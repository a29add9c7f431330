import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../free-port.js';

const run = promisify(execFile);

/** A private PostgreSQL server for tests: its own data directory, a free port, stopped by the test that started it. */
export interface PgServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  /** The postmaster's pid (it runs detached, started by pg_ctl). */
  pid(): number;
  /** Stops the server as a crash would (`pg_ctl stop -m immediate`); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops every process of the server (SIGSTOP), as a hung machine would: connections stay open, nothing answers. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
}

/** The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<major>/bin), or PG_BIN. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed: apt-get install postgresql (.ci/run does)');
  return join(root, newest, 'bin');
}

/** PostgreSQL refuses to run as root, so as root every command runs as the `postgres` user. */
const asRoot = process.getuid?.() === 0;
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

const running = new Set<string>();
process.once('exit', () => {
  for (const dataDir of running) {
    const [cmd, args] = command(join(postgresBin(), 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']);
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
  }
});

/** `durable`: keep PostgreSQL's fsync on (for the bench); tests turn it off to create databases fast. */
export async function startPostgres({ durable = false } = {}): Promise<PgServer> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const pgCtl = (...args: string[]) => run(...command(join(bin, 'pg_ctl'), ['-D', dataDir, ...args]));
  // --no-sync and fsync off: the tests kill our server, never PostgreSQL's machine; initdb then skips flushing
  // its files (seconds on a busy disk), and CREATE DATABASE is fast.
  const initdbArgs = ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', ...(durable ? [] : ['--no-sync'])];
  await run(...command(join(bin, 'initdb'), initdbArgs));
  const fast = durable ? '' : ' -c fsync=off -c full_page_writes=off';
  const options = `-p ${port} -h 127.0.0.1 -k ${dir} -c max_connections=200${fast}`;
  const start = async () => {
    await pgCtl('-l', join(dir, 'log'), '-w', '-t', '60', '-o', options, 'start');
    running.add(dataDir);
  };
  const stop = async () => {
    running.delete(dataDir);
    await signalAll('SIGCONT').catch(() => undefined);
    await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
  };
  const postmasterPid = () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const signalAll = async (signal: 'SIGSTOP' | 'SIGCONT') => {
    const postmaster = postmasterPid();
    const { stdout } = await run('pgrep', ['-P', String(postmaster)]).catch(() => ({ stdout: '' }));
    for (const pid of [postmaster, ...stdout.split('\n').filter(Boolean).map(Number)]) process.kill(pid, signal);
  };
  await start();
  return {
    freeze: () => signalAll('SIGSTOP'),
    thaw: () => signalAll('SIGCONT'),
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pid: postmasterPid,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
