import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { expect, test } from 'vitest';
import { personOf } from '../../server/chat/person.js';
import { createAuthenticator } from '../../server/chat/signed-identity.js';
import type { AuditEntry, ExportHeader, ExportLine } from '../../server/protocol/admin.js';
import type { Message, MessageDeleted } from '../../server/protocol/events.js';
import { chatSigned, collect, inRoom, nextEvent, sendText, useFreshServer } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { databaseFor, usePostgres } from '../pg/databases.js';
import { ok } from '../conversations.js';
import { allowWrites, refuseWrites } from './refused-writes.js';

// Issue 23, erasure and export of a signed user's data, on SQLite and (postgres project) PostgreSQL.
const ADMIN_TOKEN = 'admin-s3cret';
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET, adminToken: ADMIN_TOKEN });
const personOfSub = (sub: string) => personOf(createAuthenticator(TEST_AUTH_SECRET).sessionToken(sub));

function admin(method: string, path: string, body?: unknown) {
  return fetch(`${server.url}/api/admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

async function exportOf(sub: string): Promise<{ raw: string; lines: ExportLine[] }> {
  const res = await admin('GET', `/users/${encodeURIComponent(sub)}/export`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  const raw = await res.text();
  expect(raw.endsWith('\n')).toBe(true);
  return {
    raw,
    lines: raw
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportLine),
  };
}

async function auditActions(): Promise<AuditEntry[]> {
  const res = await admin('GET', '/audit');
  return ((await res.json()) as { entries: AuditEntry[] }).entries;
}

/** Runs a query on the test server's database from outside, `?` as the placeholder on both engines. */
async function query<T>(sql: string, params: unknown[] = [], write = false): Promise<T[]> {
  if (usePostgres) {
    const client = new pg.Client({ connectionString: await databaseFor(server.dataDir) });
    await client.connect();
    try {
      let n = 0;
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(join(server.dataDir, 'chat.db'), { readonly: !write });
  try {
    if (write) db.prepare(sql).run(...params);
    return write ? [] : (db.prepare(sql).all(...params) as T[]);
  } finally {
    db.close();
  }
}

const countOf = async (sql: string, params: unknown[]) =>
  Number((await query<{ n: number | string }>(`SELECT count(*) AS n ${sql}`, params))[0]?.n);

/** Rows of any table holding the text, and (SQLite) whether the database file or its WAL holds its bytes. */
async function storedAnywhere(text: string): Promise<{ rows: number; fileBytes: boolean }> {
  const like = ['%' + text + '%'];
  const rows =
    (await countOf('FROM messages WHERE text LIKE ?', like)) +
    (await countOf('FROM conversations WHERE title LIKE ?', like)) +
    (await countOf('FROM bans WHERE reason LIKE ?', like)) +
    (await countOf("FROM audit_log WHERE coalesce(reason, '') || target LIKE ?", like));
  if (usePostgres) return { rows, fileBytes: false };
  const files = ['chat.db', 'chat.db-wal'].map((f) => join(server.dataDir, f)).filter(existsSync);
  return { rows, fileBytes: files.some((file) => readFileSync(file).includes(Buffer.from(text))) };
}

const signed = async (sub: string, name: string) => chatSigned(server.url, await signJwt({ sub, name }));

/** Ana (signed) talks in two rooms and a direct conversation with Bob, edits a message and reads one. */
async function anaTalks(tag: string) {
  const [ana, bob] = [await signed('user-ana', 'Ana'), await signed('user-bob', 'Bob')];
  for (const room of ['lobby', 'garden']) {
    await inRoom(ana, room);
    await inRoom(bob, room);
  }
  const texts = { lobby: `lobby-${tag}`, garden: `garden-${tag}`, dm: `dm-${tag}`, before: `before-edit-${tag}` };
  const dm = await ok(ana.emitWithAck('dm:open', { nick: 'Bob' }));
  const fromBob = await sendText(bob, `bob says hi ${tag}`, 'lobby');
  const ids = [
    await sendText(ana, texts.lobby, 'lobby'),
    await sendText(ana, texts.garden, 'garden'),
    await sendText(ana, texts.dm, dm.room),
    await sendText(ana, texts.before, 'lobby'),
  ];
  await ok(ana.emitWithAck('message:edit', { room: 'lobby', id: ids[3]!, text: `after-edit-${tag}` }));
  await ok(ana.emitWithAck('room:read', { room: 'lobby', id: fromBob }));
  // A report each way: Ana's of Bob's message, and Bob's of hers.
  await ok(ana.emitWithAck('message:report', { room: 'lobby', id: fromBob, reason: `ana-reports-${tag}` }));
  await ok(bob.emitWithAck('message:report', { room: 'lobby', id: ids[0]!, reason: `bob-reports-${tag}` }));
  return { ana, bob, dm: dm.room, ids, texts: [...Object.values(texts), `after-edit-${tag}`] };
}

test('an export lists the user’s messages, bans, memberships and read state, counted as the database counts', async () => {
  const { dm, ids } = await anaTalks('export');
  expect((await admin('POST', '/rooms/attic/bans', { nick: 'ana', reason: 'flood' })).status).toBe(201);
  expect((await admin('POST', '/rooms/attic/bans', { nick: 'bob' })).status).toBe(201);

  const { lines } = await exportOf('user-ana');
  const header = lines[0] as ExportHeader;
  const person = personOfSub('user-ana');
  expect(header).toEqual({
    type: 'export',
    sub: 'user-ana',
    at: expect.any(Number),
    counts: {
      messages: await countOf('FROM messages WHERE author = ?', ['sub:user-ana']),
      bans: 1,
      memberships: await countOf('FROM conversation_members WHERE person = ?', [person]),
      readState: await countOf('FROM read_state WHERE person = ?', [person]),
      reports: await countOf('FROM reports WHERE reporter_person = ?', [person]),
    },
  });
  expect(header.counts).toMatchObject({ messages: 4, memberships: 1, readState: 3, reports: 1 });
  const ofType = (type: ExportLine['type']) => lines.filter((line) => line.type === type);
  expect(ofType('message')).toHaveLength(header.counts.messages);
  expect(ofType('ban')).toHaveLength(header.counts.bans);
  expect(ofType('membership')).toHaveLength(header.counts.memberships);
  expect(ofType('readState')).toHaveLength(header.counts.readState);
  expect(ofType('message').map((m) => 'id' in m && m.id)).toEqual(ids);
  expect(ofType('message')[3]).toEqual({
    ...{ type: 'message', room: 'lobby', id: ids[3], at: expect.any(Number), nick: 'Ana' },
    ...{ text: 'after-edit-export', editedAt: expect.any(Number), deleted: false },
  });
  expect(ofType('ban')).toEqual([
    { type: 'ban', room: 'attic', nick: 'ana', until: null, reason: 'flood', by: 'admin', at: expect.any(Number) },
  ]);
  expect(ofType('membership')).toEqual([
    { type: 'membership', room: dm, nick: 'Ana', granted: false, joinedAt: expect.any(Number) },
  ]);
  expect(ofType('readState')).toContainEqual({ type: 'readState', room: 'lobby', readId: ids[0]! - 1 });
  const report = { type: 'report', room: 'lobby', messageId: ids[0]! - 1, reason: 'ana-reports-export' };
  expect(ofType('report')).toEqual([{ ...report, at: expect.any(Number), state: 'open' }]);
  const exports = (await auditActions()).filter((e) => e.action === 'export');
  expect(exports).toEqual([
    {
      id: expect.any(Number),
      at: expect.any(Number),
      actor: 'admin-api',
      action: 'export',
      room: null,
      target: 'user-ana',
      reason: null,
    },
  ]);
});

test('an export of a long history pages through it, in id order, and the counts still match', async () => {
  // Every third row is someone else's: more than two pages of the export's, stored faster than sends could be.
  const rows = `SELECT 'lobby', 'Long', CASE WHEN i % 3 = 0 THEN 'sub:other' ELSE 'sub:user-long' END, 'line ' || i, i`;
  await query(
    usePostgres
      ? `INSERT INTO messages (room, nick, author, text, ts) ${rows} FROM generate_series(1, 1851) AS i`
      : `INSERT INTO messages (room, nick, author, text, ts) WITH RECURSIVE g(i) AS
           (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 1851) ${rows} FROM g`,
    [],
    true,
  );
  const { lines } = await exportOf('user-long');
  expect((lines[0] as ExportHeader).counts.messages).toBe(1234);
  const texts = lines.filter((line) => line.type === 'message').map((m) => 'text' in m && m.text);
  expect(texts).toEqual(
    Array.from({ length: 1851 }, (_, i) => i + 1)
      .filter((i) => i % 3 !== 0)
      .map((i) => `line ${i}`),
  );
});

test('erasure tombstones every message, tells live rooms, disconnects the user and leaves the text nowhere', async () => {
  const { ana, bob, dm, ids, texts } = await anaTalks('erase');
  for (const text of texts.slice(0, 3)) expect((await storedAnywhere(text)).rows).toBe(1);
  if (!usePostgres) expect((await storedAnywhere(texts[0]!)).fileBytes).toBe(true); // the check can see text
  const deleted = collect<MessageDeleted>(bob, 'message:deleted');
  const anaGone = nextEvent<string>(ana, 'disconnect');

  const res = await admin('DELETE', '/users/user-ana');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true, messages: 4 });
  expect(await anaGone).toBe('io server disconnect');
  await expect
    .poll(() => deleted)
    .toEqual([
      { id: ids[0], room: 'lobby' },
      { id: ids[1], room: 'garden' },
      { id: ids[2], room: dm },
      { id: ids[3], room: 'lobby' },
    ]);

  const history = await ok(bob.emitWithAck('room:history', { room: 'lobby' }));
  const tombstone = (id: number): Partial<Message> => ({ id, room: 'lobby', nick: 'Ana', text: '', deleted: true });
  expect(history.messages.filter((m) => m.nick === 'Ana')).toEqual([
    expect.objectContaining(tombstone(ids[0]!)),
    expect.objectContaining(tombstone(ids[3]!)),
  ]);
  for (const text of texts) expect(await storedAnywhere(text), text).toEqual({ rows: 0, fileBytes: false });
  const person = personOfSub('user-ana');
  expect(await countOf('FROM conversation_members WHERE person = ?', [person])).toBe(0);
  expect(await countOf('FROM read_state WHERE person = ?', [person])).toBe(0);
  // Reports made by Ana and of her messages are gone with them.
  expect(await countOf('FROM reports WHERE reporter_person = ? OR author = ?', [person, 'sub:user-ana'])).toBe(0);
  // The direct conversation stays for Bob, with his message history gap-free.
  expect((await ok(bob.emitWithAck('room:history', { room: dm }))).messages).toEqual([
    expect.objectContaining({ id: ids[2], text: '', deleted: true }),
  ]);
  const { raw: bobsExport } = await exportOf('user-bob');
  const { lines: anasExport } = await exportOf('user-ana');
  for (const text of texts) expect(bobsExport + JSON.stringify(anasExport)).not.toContain(text);
  expect(anasExport[0]).toMatchObject({ counts: { messages: 4, memberships: 0, readState: 0 } });

  const erasures = (await auditActions()).filter((e) => e.action === 'erase');
  expect(erasures).toEqual([
    {
      id: expect.any(Number),
      at: expect.any(Number),
      actor: 'admin-api',
      action: 'erase',
      room: null,
      target: 'user-ana',
      reason: null,
    },
  ]);
  // Again: nothing left to tombstone, and one more entry.
  expect(await (await admin('DELETE', '/users/user-ana')).json()).toEqual({ ok: true, messages: 0 });
  expect((await auditActions()).filter((e) => e.action === 'erase')).toHaveLength(2);
});

test('erasing a sub with nothing stored answers 0 and is audited; a bad sub is 400 and not audited', async () => {
  expect(await (await admin('DELETE', '/users/nobody%20here')).json()).toEqual({ ok: true, messages: 0 });
  expect(await auditActions()).toMatchObject([{ action: 'erase', target: 'nobody here', room: null, reason: null }]);
  const tooLong = 'x'.repeat(257);
  for (const [method, path] of [
    ['DELETE', `/users/${tooLong}`],
    ['GET', `/users/${tooLong}/export`],
    ['DELETE', '/users/'],
    ['GET', '/users//export'],
  ] as const) {
    const res = await admin(method, path);
    expect(res.status, `${method} ${path}`).toBe(400);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining('sub') });
  }
  expect((await admin('DELETE', `/users/${'x'.repeat(256)}`)).status).toBe(200);
  expect(await auditActions()).toHaveLength(2);
  const anonymous = await fetch(`${server.url}/api/admin/users/u/export`);
  expect(anonymous.status).toBe(401);
});

test('when the audit entry cannot be stored, nothing is erased and nothing is exported', async () => {
  const ana = await inRoom(await signed('user-ana', 'Ana'));
  const id = await sendText(ana, 'still here');
  const refused = { table: 'audit_log', write: 'INSERT' } as const;
  await refuseWrites(server.dataDir, refused);
  const erase = await admin('DELETE', '/users/user-ana');
  expect(erase.status).toBe(500);
  const exported = await admin('GET', '/users/user-ana/export');
  expect(exported.status).toBe(500);
  expect(await exported.text()).not.toContain('still here');
  await allowWrites(server.dataDir, refused);
  const rows = await query<{ id: number | string; text: string }>('SELECT id, text FROM messages WHERE NOT deleted');
  expect(rows.map((row) => ({ ...row, id: Number(row.id) }))).toEqual([{ id, text: 'still here' }]);
  expect(await auditActions()).toEqual([]);
});
