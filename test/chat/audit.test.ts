import { expect, test } from 'vitest';
import type { AuditEntry, BanList } from '../../server/protocol/admin.js';
import { chatAs, chatSigned, inRoom, sendText, useFreshServer } from '../helpers.js';
import { chatsAs } from '../conversations.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { type RefusedWrite, allowWrites, refuseWrites } from './refused-writes.js';

// The audit log and the bans list, read over HTTP from a real server (SQLite, or PostgreSQL in that project).
const ADMIN_TOKEN = 'admin-s3cret';
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET, adminToken: ADMIN_TOKEN });

const MOD = { nick: 'Mod', sub: 'mod-1' };
const moderator = async () =>
  chatSigned(server.url, await signJwt({ sub: MOD.sub, name: MOD.nick, role: 'moderator' }));

function admin(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) {
  return fetch(`${server.url}/api/admin${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

async function audit(query = ''): Promise<AuditEntry[]> {
  const res = await admin('GET', `/audit${query}`);
  expect(res.status, query).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return ((await res.json()) as { entries: AuditEntry[] }).entries;
}

async function bansOf(room: string): Promise<BanList['bans']> {
  const res = await admin('GET', `/rooms/${room}/bans`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return ((await res.json()) as BanList).bans;
}

const SECRET_TEXT = 'my-bank-pin-is-4711';
const ok = { ok: true };
const refused = (code: string) => ({ ok: false, error: { code } });

test('each ban, unban and moderator delete, by socket or admin API, writes exactly one audit entry', async () => {
  const started = Date.now();
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  const mod = await inRoom(await moderator());
  const [first, second] = [await sendText(bea, SECRET_TEXT), await sendText(bea, SECRET_TEXT)];
  // Each resolves whether it succeeded (the ack's or the response's `ok`).
  const actions: (() => Promise<boolean>)[] = [
    async () => (await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'Bea', minutes: 10, reason: 'spam' })).ok,
    async () => (await mod.emitWithAck('room:unban', { room: 'lobby', nick: 'bea' })).ok,
    async () => (await mod.emitWithAck('message:delete', { room: 'lobby', id: first })).ok,
    async () => (await admin('POST', '/rooms/lobby/bans', { nick: 'cy', reason: 'flood' })).ok,
    async () => (await admin('DELETE', '/rooms/lobby/bans/cy')).ok,
    async () => (await admin('DELETE', `/rooms/lobby/messages/${second}`)).ok,
  ];
  for (const [i, act] of actions.entries()) {
    expect(await act(), `action ${i + 1}`).toBe(true);
    expect(await audit(), `after action ${i + 1}`).toHaveLength(i + 1);
  }

  const entries = await audit();
  const entry = (fields: Partial<AuditEntry>) => ({
    ...{ id: expect.any(Number), at: expect.any(Number), room: 'lobby', reason: null },
    ...fields,
  });
  expect(entries).toEqual([
    entry({ actor: 'admin-api', action: 'delete', target: String(second) }),
    entry({ actor: 'admin-api', action: 'unban', target: 'cy' }),
    entry({ actor: 'admin-api', action: 'ban', target: 'cy', reason: 'flood' }),
    entry({ actor: MOD, action: 'delete', target: String(first) }),
    entry({ actor: MOD, action: 'unban', target: 'bea' }),
    entry({ actor: MOD, action: 'ban', target: 'Bea', reason: 'spam' }),
  ]);
  const ids = entries.map((e) => e.id);
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  expect(new Set(ids).size).toBe(ids.length);
  for (const { at } of entries) expect(at >= started && at <= Date.now()).toBe(true);
  expect(JSON.stringify(entries)).not.toContain(SECRET_TEXT);
});

test('a moderator’s kick from a private room writes one audit entry; an owner’s kick in its own room none', async () => {
  const mod = await moderator();
  const [owner, bob, cy] = await chatsAs(server.url, 'owner', 'bob', 'cy');
  const { room } = (await owner.emitWithAck('room:create', { title: 'Plans', private: true })) as { room: string };
  for (const nick of ['bob', 'cy']) expect(await owner.emitWithAck('room:invite', { room, nick })).toMatchObject(ok);

  expect(await owner.emitWithAck('room:kick', { room, nick: 'bob' })).toMatchObject(ok);
  expect(await audit()).toEqual([]);
  expect(await mod.emitWithAck('room:kick', { room, nick: 'Cy' })).toMatchObject(ok);
  expect(await mod.emitWithAck('room:kick', { room, nick: 'cy' })).toMatchObject(refused('NOT_FOUND'));
  expect(await audit()).toEqual([
    { id: expect.any(Number), at: expect.any(Number), actor: MOD, action: 'kick', room, target: 'Cy', reason: null },
  ]);
  for (const client of [bob, cy])
    expect(await client.emitWithAck('room:join', room)).toMatchObject(refused('NOT_FOUND'));
});

test('a refused action, or one that changes nothing, writes no entry', async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  const cy = await inRoom(await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Cy' })));
  const mod = await inRoom(await moderator());
  const id = await sendText(bea, 'hello');
  const own = await sendText(mod, 'mine');

  // Not a moderator.
  expect(await cy.emitWithAck('room:ban', { room: 'lobby', nick: 'bea' })).toMatchObject(refused('NOT_ALLOWED'));
  expect(await cy.emitWithAck('room:unban', { room: 'lobby', nick: 'bea' })).toMatchObject(refused('NOT_ALLOWED'));
  expect(await cy.emitWithAck('message:delete', { room: 'lobby', id })).toMatchObject(refused('NOT_ALLOWED'));
  // Bad input, over the socket and over HTTP.
  const badBan = { room: 'lobby', nick: 'bea', minutes: -1 };
  expect(await mod.emitWithAck('room:ban', badBan)).toMatchObject(refused('BAD_REQUEST'));
  expect(await mod.emitWithAck('room:ban', { room: 'no room', nick: 'bea' })).toMatchObject(refused('ROOM_INVALID'));
  expect(await mod.emitWithAck('room:unban', { room: 'lobby', nick: '  ' })).toMatchObject(refused('NICK_INVALID'));
  expect(await mod.emitWithAck('message:delete', { room: 'lobby', id: id + 100 })).toMatchObject(refused('NOT_FOUND'));
  expect((await admin('POST', '/rooms/lobby/bans', { nick: 'bea', minutes: 0 })).status).toBe(400);
  expect((await admin('POST', '/rooms/no%20room/bans', { nick: 'bea' })).status).toBe(400);
  expect((await admin('DELETE', '/rooms/lobby/bans/bea', undefined, 'wrong')).status).toBe(401);
  expect((await admin('DELETE', `/rooms/lobby/messages/${id + 100}`)).status).toBe(404);
  expect((await admin('DELETE', '/rooms/lobby/messages/0x10')).status).toBe(400);
  // Nothing to change: no ban to lift; an author's own delete (a moderator's too); a deleted message again.
  expect(await mod.emitWithAck('room:unban', { room: 'lobby', nick: 'nobody' })).toMatchObject(ok);
  expect((await admin('DELETE', '/rooms/lobby/bans/nobody')).status).toBe(200);
  expect(await mod.emitWithAck('message:delete', { room: 'lobby', id: own })).toMatchObject(ok);
  expect(await bea.emitWithAck('message:delete', { room: 'lobby', id })).toMatchObject(ok);
  expect(await mod.emitWithAck('message:delete', { room: 'lobby', id })).toMatchObject(ok);
  expect((await admin('DELETE', `/rooms/lobby/messages/${id}`)).status).toBe(200);
  expect(await audit()).toEqual([]);

  // A banned moderator lifting its own ban is refused: only the ban is recorded.
  const other = await chatSigned(server.url, await signJwt({ sub: 'mod-2', name: 'Other', role: 'moderator' }));
  expect(await other.emitWithAck('room:ban', { room: 'lobby', nick: 'Mod' })).toMatchObject(ok);
  expect(await mod.emitWithAck('room:unban', { room: 'lobby', nick: 'Mod' })).toMatchObject(refused('NOT_ALLOWED'));
  expect(await audit()).toMatchObject([{ actor: { nick: 'Other', sub: 'mod-2' }, action: 'ban', target: 'Mod' }]);
});

test('the audit log pages newest first, by limit (default 50, at most 200) and before', async () => {
  for (let i = 1; i <= 53; i++) expect((await admin('POST', '/rooms/lobby/bans', { nick: `n${i}` })).status).toBe(201);
  const all = await audit('?limit=200');
  expect(all.map((e) => e.target)).toEqual(Array.from({ length: 53 }, (_, i) => `n${53 - i}`));
  expect(await audit()).toEqual(all.slice(0, 50));
  expect(await audit('?limit=&before=')).toEqual(all.slice(0, 50)); // empty is absent

  const walked: AuditEntry[] = [];
  const sizes: number[] = [];
  for (let before = ''; ;) {
    const page = await audit(`?limit=20${before}`);
    if (page.length === 0) break;
    walked.push(...page);
    sizes.push(page.length);
    before = `&before=${page.at(-1)!.id}`;
  }
  expect(sizes).toEqual([20, 20, 13]);
  expect(walked).toEqual(all);
  expect(await audit(`?before=${all[0]!.id}&limit=2`)).toEqual(all.slice(1, 3));
  expect(await audit(`?before=${all.at(-1)!.id}`)).toEqual([]);
});

test('a bad audit query is 400 with the error JSON; without the token both read routes are 401', async () => {
  const queries = ['limit=0', 'limit=201', 'limit=abc', 'limit=1.5', 'limit=-1', 'limit=1e2', 'limit=1&limit=2'];
  for (const query of [...queries, 'before=0', 'before=-3', 'before=0x10', 'before=x', 'before=1&before=2']) {
    const res = await admin('GET', `/audit?${query}`);
    expect(res.status, query).toBe(400);
    expect(await res.json(), query).toEqual({ error: expect.stringMatching(/^BAD_REQUEST: /) });
  }
  for (const path of ['/audit', '/rooms/lobby/bans']) {
    for (const token of [null, 'wrong']) expect((await admin('GET', path, undefined, token)).status).toBe(401);
  }
  const badRoom = await admin('GET', '/rooms/no%20room/bans');
  expect(badRoom.status).toBe(400);
  expect(await badRoom.json()).toEqual({ error: expect.stringMatching(/^ROOM_INVALID: /) });
});

test('the bans of a room: nick, until, reason, by and at of each ban in force; ended and lifted ones are gone', async () => {
  const mod = await moderator();
  const t0 = Date.now();
  const spam = await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'Bea', minutes: 10, reason: 'spam' });
  const t1 = Date.now();
  expect((await admin('POST', '/rooms/lobby/bans', { nick: 'cy', reason: 'flood' })).status).toBe(201);
  const t2 = Date.now();
  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'dan' })).toMatchObject(ok);
  expect((await admin('DELETE', '/rooms/lobby/bans/dan')).status).toBe(200);
  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'eve', minutes: 0.005 })).toMatchObject(ok); // 0.3 s
  expect(await mod.emitWithAck('room:ban', { room: 'other', nick: 'fay' })).toMatchObject(ok);

  await expect.poll(async () => (await bansOf('lobby')).map((b) => b.nick).sort()).toEqual(['Bea', 'cy']);
  const bans = await bansOf('lobby');
  const byNick = Object.fromEntries(bans.map((b) => [b.nick, b]));
  expect(byNick.Bea).toEqual({
    nick: 'Bea',
    until: spam.ok && spam.until,
    reason: 'spam',
    by: 'Mod',
    at: expect.any(Number),
  });
  expect(byNick.cy).toEqual({ nick: 'cy', until: null, reason: 'flood', by: 'admin', at: expect.any(Number) });
  expect(byNick.Bea!.at >= t0 && byNick.Bea!.at <= t1).toBe(true);
  expect(byNick.cy!.at >= t1 && byNick.cy!.at <= t2).toBe(true);
  expect(bans.map((b) => b.at)).toEqual(bans.map((b) => b.at).sort((a, b) => b - a)); // newest first
  expect(await bansOf('other')).toEqual([
    { nick: 'fay', until: null, reason: null, by: 'Mod', at: expect.any(Number) },
  ]);
  expect(await bansOf('empty')).toEqual([]);
});

test('an action whose database write fails stores neither the action nor its audit entry', async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  const mod = await inRoom(await moderator());
  const id = await sendText(bea, 'keep me');
  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'cy', reason: 'earlier' })).toMatchObject(ok);
  const before = await audit();
  const internal = { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
  const attempts = async () => {
    expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'bea', reason: 'x' })).toEqual(internal);
    expect(await mod.emitWithAck('room:unban', { room: 'lobby', nick: 'cy' })).toEqual(internal);
    expect(await mod.emitWithAck('message:delete', { room: 'lobby', id })).toEqual(internal);
    expect((await admin('POST', '/rooms/lobby/bans', { nick: 'bea' })).status).toBe(500);
    expect((await admin('DELETE', '/rooms/lobby/bans/cy')).status).toBe(500);
    expect((await admin('DELETE', `/rooms/lobby/messages/${id}`)).status).toBe(500);
  };
  const unchanged = async () => {
    expect((await bansOf('lobby')).map((b) => [b.nick, b.reason])).toEqual([['cy', 'earlier']]);
    const history = await bea.emitWithAck('room:history', { room: 'lobby' });
    expect(history.ok && history.messages).toMatchObject([{ id, text: 'keep me' }]);
    expect(await audit()).toEqual(before);
  };

  // The entry cannot be written: the change it records is rolled back with it.
  const entries: RefusedWrite = { table: 'audit_log', write: 'INSERT' };
  await refuseWrites(server.dataDir, entries);
  await attempts();
  await allowWrites(server.dataDir, entries);
  await unchanged();

  // The change cannot be written: no entry records it.
  const changes: RefusedWrite[] = [
    { table: 'bans', write: 'INSERT' },
    { table: 'bans', write: 'DELETE' },
    { table: 'messages', write: 'UPDATE' },
  ];
  for (const write of changes) await refuseWrites(server.dataDir, write);
  await attempts();
  for (const write of changes) await allowWrites(server.dataDir, write);
  await unchanged();

  expect(await mod.emitWithAck('room:unban', { room: 'lobby', nick: 'cy' })).toMatchObject(ok); // and then it works
  expect(await audit()).toMatchObject([{ action: 'unban', target: 'cy' }, ...before]);
});
