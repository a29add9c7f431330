import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type NginxNode, writeNginxConfig } from '../../deploy/nginx/nginx-config.js';
import { freePort } from '../free-port.js';

/** A private nginx in front of cluster nodes: its own directory and a free loopback port, stopped by its starter. */
export interface NginxServer {
  url: string;
  pid: number;
  /** The -p prefix: nginx.conf, temp files and the pid file; removed by `stop`. */
  dir: string;
  /** Stops it (SIGTERM, SIGKILL after 2 s) and removes its directory. */
  stop(): Promise<void>;
}

/** Debian's nginx is /usr/sbin/nginx, which is not on every user's PATH; NGINX_BIN overrides. */
export function nginxBin(): string {
  if (process.env.NGINX_BIN) return process.env.NGINX_BIN;
  const sbin = '/usr/sbin/nginx';
  if (existsSync(sbin)) return sbin;
  return 'nginx';
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket.destroy() && true));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${stderr()}`);
    await sleep(50);
  }
}

/**
 * nginx unprivileged, in the foreground, one process, everything under a temp directory, with the
 * configuration of deploy/nginx for `nodes`. `port` defaults to a free one.
 */
export async function startNginx(nodes: readonly NginxNode[], port?: number): Promise<NginxServer> {
  const listenPort = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeNginxConfig(conf, { listen: `127.0.0.1:${listenPort}`, nodes });
  const child = spawn(nginxBin(), ['-p', dir, '-c', conf, '-g', 'daemon off; master_process off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // A missing binary is an 'error' event, which would otherwise crash the process that started it.
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new Error(`cannot run ${nginxBin()}: ${err.message}`)));
    });
    await waitForPort(listenPort, child, () => errors);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${listenPort}`, pid: child.pid ?? 0, dir, stop };
}
