import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { chatAs, disconnectAll, tempDataDir } from '../helpers.js';
import { type ServerProcess, spawnServer } from '../server-process.js';

let server: ServerProcess | undefined;
afterEach(() => {
  disconnectAll();
  server?.child.kill('SIGKILL');
});

test.each(['SIGTERM', 'SIGINT'] as const)('%s closes sockets and exits 0 within a few seconds', async (signal) => {
  server = await spawnServer({ DATA_DIR: tempDataDir() });
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  const disconnected = new Promise<string>((resolve) => ana.on('disconnect', resolve));
  const started = Date.now();
  server.child.kill(signal);
  expect(await server.exited).toEqual({ code: 0, signal: null });
  expect(Date.now() - started).toBeLessThan(5000);
  expect(await disconnected).toMatch(/server namespace disconnect|transport close/);
});

test('an invalid configuration stops the start with a clear message', () => {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/server.js', import.meta.url))], {
    env: { PATH: process.env.PATH ?? '', PORT: 'eighty', LOG_LEVEL: 'loud' },
    encoding: 'utf8',
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/invalid configuration: .*PORT.*LOG_LEVEL/);
});

test('an AUTH_SECRET under 32 bytes stops the start with a message naming it', () => {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/server.js', import.meta.url))], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', AUTH_SECRET: 'too-short' },
    encoding: 'utf8',
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/invalid configuration: AUTH_SECRET: must be at least 32 bytes/);
});

test('an unusable DATA_DIR stops the start with a message naming it', () => {
  const notADirectory = join(tempDataDir(), 'file');
  writeFileSync(notADirectory, '');
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/server.js', import.meta.url))], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', DATA_DIR: notADirectory },
    encoding: 'utf8',
  });
  expect(result.status).toBe(1);
  expect(result.stdout).toContain(`cannot open the message store in DATA_DIR=${notADirectory}`);
});

test('a DATABASE_URL that cannot be reached stops the start with a message naming it', () => {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/server.js', import.meta.url))], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      DATA_DIR: tempDataDir(),
      DATABASE_URL: 'postgres://parley:secret@127.0.0.1:1/chat',
    },
    encoding: 'utf8',
    timeout: 15_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(
    'cannot reach the message store at DATABASE_URL=postgres://parley:***@127.0.0.1:1/chat',
  );
  expect(result.stderr).not.toContain('secret');
});

test('a port in use stops the start saying so in plain words, in the log and on stderr', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as AddressInfo;
  try {
    const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/server.js', import.meta.url))], {
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: tempDataDir() },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`port ${port} is in use`);
    const fatal = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { code?: string } })
      .find((line) => line.level === 60);
    expect(fatal).toMatchObject({
      msg: expect.stringContaining(`port ${port} is in use`),
      err: { code: 'EADDRINUSE' },
    });
  } finally {
    taken.close();
  }
});

test('at start the server logs which origins may embed the chat', async () => {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../dist/server.js', import.meta.url))], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: tempDataDir(),
      CORS_ORIGINS: 'https://shop.example,https://blog.example',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (text) => {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        if (parsed.allowedOrigins !== undefined) resolve(parsed);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    expect(line).toMatchObject({ level: 30, allowedOrigins: ['https://shop.example', 'https://blog.example'] });
    expect(line.msg).toBe(
      "pages may embed the chat from: this server's own origin, https://shop.example, https://blog.example",
    );
  } finally {
    child.kill('SIGKILL');
  }
});
