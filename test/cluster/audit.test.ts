import { expect, test } from 'vitest';
import type { AuditPage, BanList } from '../../server/protocol/admin.js';
import { chatSigned } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { type TestNode, useNodes } from './cluster.js';

const ADMIN_TOKEN = 'cluster-admin-s3cret';
const cluster = useNodes(2, { adminToken: ADMIN_TOKEN, authSecret: TEST_AUTH_SECRET });

async function read<T>(node: TestNode, path: string): Promise<T> {
  const res = await fetch(`${node.url}/api/admin${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

test('a ban on one node is in the audit log and the bans list read through the other; so is an unban', async () => {
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  const mod = await chatSigned(a.url, await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' }));
  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'bea', reason: 'spam' })).toMatchObject({ ok: true });

  const ban = { id: expect.any(Number), at: expect.any(Number), room: 'lobby', target: 'bea' };
  expect(await read<AuditPage>(b, '/audit')).toEqual({
    entries: [{ ...ban, actor: { nick: 'Mod', sub: 'mod-1' }, action: 'ban', reason: 'spam' }],
  });
  expect(await read<BanList>(b, '/rooms/lobby/bans')).toEqual({
    bans: [{ nick: 'bea', until: null, reason: 'spam', by: 'Mod', at: expect.any(Number) }],
  });

  const unban = await fetch(`${b.url}/api/admin/rooms/lobby/bans/bea`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(unban.status).toBe(200);
  expect(await read<BanList>(a, '/rooms/lobby/bans')).toEqual({ bans: [] });
  expect((await read<AuditPage>(a, '/audit')).entries).toMatchObject([
    { actor: 'admin-api', action: 'unban', room: 'lobby', target: 'bea', reason: null },
    { actor: { nick: 'Mod', sub: 'mod-1' }, action: 'ban' },
  ]);
});
