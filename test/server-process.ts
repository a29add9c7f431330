import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { databaseFor, usePostgres } from './pg/databases.js';

const SERVER_ENTRY = fileURLToPath(new URL('../dist/server.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The built server (`npm run build` → dist/server.js) as its own process, as an operator runs it, on an
 * ephemeral port: for signals, `kill -9` and restarts. In the postgres test project, its history is the
 * PostgreSQL database of its DATA_DIR.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  if (!existsSync(SERVER_ENTRY)) throw new Error('dist/server.js is missing: run `npm run build` (npm test does)');
  const database = usePostgres && env.DATA_DIR ? { DATABASE_URL: await databaseFor(env.DATA_DIR) } : {};
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      NEWS_RATE: '0',
      // Every test client is 127.0.0.1: the per-address caps are raised, as in helpers.ts (LOOPBACK_CLIENT_LIMITS).
      MAX_CONNECTIONS_PER_IP: '1000000',
      REQUESTS_PER_ADDRESS: '1000000',
      MESSAGES_PER_ADDRESS: '1000000',
      HISTORY_ROWS_PER_ADDRESS: '1000000',
      MAX_SESSIONS_PER_ADDRESS: '1000000',
      ...database,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const port = /"port":(\d+)/.exec(line)?.[1];
      if (port && line.includes('listening')) resolve(`http://127.0.0.1:${port}`);
    });
    void exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening`)));
  });
  return { child, url, exited };
}
