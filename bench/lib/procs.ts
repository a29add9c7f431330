import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerKind } from './lean-client.js';
import { freePort } from '../../test/free-port.js';

export { freePort };

const ROOT = new URL('../..', import.meta.url).pathname;
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
export const NEWS_TOKEN = 'bench-token';
/** /metrics and the details of /healthz need it (docs/security.md). */
export const METRICS_TOKEN = 'bench-metrics-token';
export const metricsAuth = { headers: { authorization: `Bearer ${METRICS_TOKEN}` } };

/** Every child the suite starts, so that any exit path can end them. */
const children = new Set<ChildProcess>();

export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

export interface ProcSample {
  /** user + system CPU time in ms since the process started */
  cpuMs: number;
  rssBytes: number;
}

/** CPU from /proc/<pid>/stat (utime, stime) and RSS from /proc/<pid>/status (VmRSS). */
export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // field 3 onwards; comm may contain spaces
  const ticks = Number(fields[11]) + Number(fields[12]); // utime is field 14, stime 15
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, rssBytes: rssKb * 1024 };
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not listen on ${port} within ${timeoutMs} ms`);
}

export interface ServerUnderTest {
  kind: ServerKind;
  pid: number;
  url: string;
  sample(): ProcSample;
  stop(): Promise<void>;
}

const SERVER_ENTRY: Record<ServerKind, string> = {
  product: 'server/main.ts',
  socketio: 'bench/servers/socketio-broadcast.ts',
  ws: 'bench/servers/ws-broadcast.ts',
};

/**
 * Starts a server as its own process: the product (`server/main.ts`, the real composition root, through tsx)
 * or a baseline. `nodeArgs` may add e.g. `--cpu-prof`; `extraEnv` e.g. a DATABASE_URL.
 */
export async function startServer(
  kind: ServerKind,
  nodeArgs: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<ServerUnderTest> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SERVER_ENTRY[kind]], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      NEWS_RATE: '0',
      NEWS_TOKEN,
      METRICS_TOKEN,
      NEWS_TOPICS: 'markets,sports,tech',
      CORS_ORIGINS: '',
      // Thousands of generator clients share 127.0.0.1: the per-address caps would refuse them (issue 13).
      MAX_CONNECTIONS_PER_IP: '1000000',
      REQUESTS_PER_ADDRESS: '1000000',
      MESSAGES_PER_ADDRESS: '1000000',
      HISTORY_ROWS_PER_ADDRESS: '1000000',
      MAX_SESSIONS_PER_ADDRESS: '1000000',
      ...extraEnv,
    },
  });
  children.add(child);
  try {
    await waitForPort(port, child);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const pid = child.pid ?? 0;
  return {
    kind,
    pid,
    url: `http://127.0.0.1:${port}`,
    sample: () => sampleProc(pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        // A node with thousands of sockets (and a CPU profile to write) takes a while to close.
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

/** A load-generator process (bench/worker.ts, or another `script` that uses serveCalls) driven over IPC. */
export class Worker {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(
    readonly name: string,
    script = 'bench/worker.ts',
  ) {
    this.child = fork(join(ROOT, script), [name], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(this.child);
    this.child.on('message', (raw) => {
      const msg = raw as { id: number; result?: unknown; error?: string };
      const pending = this.pending.get(msg.id);
      if (!pending) return;
      this.pending.delete(msg.id);
      if (msg.error !== undefined) pending.reject(new Error(`${name}: ${msg.error}`));
      else pending.resolve(msg.result);
    });
    this.child.on('exit', (code) => {
      for (const pending of this.pending.values()) pending.reject(new Error(`${name} exited with ${code}`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  call<T>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.child.send({ id, method, params });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    children.delete(this.child);
  }
}
