import { rmSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { chatAs, chatSigned, disconnectAll, tempDataDir } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { type ServerProcess, spawnServer } from '../server-process.js';

let server: ServerProcess | undefined;
const dirs: string[] = [];
afterEach(() => {
  disconnectAll();
  server?.child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test('the built server: AUTH_SECRET, GUESTS and ADMIN_TOKEN from the environment; a ban outlives a restart', async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const env = { DATA_DIR: dataDir, AUTH_SECRET: TEST_AUTH_SECRET, ADMIN_TOKEN: 'adm1n', GUESTS: 'off' };
  server = await spawnServer(env);
  const ana = await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana' }));
  expect(await ana.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
  const res = await fetch(`${server.url}/api/admin/rooms/lobby/bans`, {
    method: 'POST',
    headers: { authorization: 'Bearer adm1n', 'content-type': 'application/json' },
    body: JSON.stringify({ nick: 'Ana' }),
  });
  expect(res.status).toBe(201);
  server.child.kill('SIGTERM');
  await server.exited;

  server = await spawnServer({ ...env, GUESTS: 'on' });
  const again = await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana' }));
  expect(await again.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  const bea = await chatAs(server.url, 'bea'); // GUESTS=on now
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
});
