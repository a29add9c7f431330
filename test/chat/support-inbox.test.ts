import { expect, test } from 'vitest';
import { chatAs, chatSigned, useFreshServer } from '../helpers.js';
import { databaseFor, usePostgres } from '../pg/databases.js';
import { PgDatabase } from '../../server/stores/pg-database.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { conversationsOf, messagesIn, ok } from '../conversations.js';
import { MAX_LISTED_CONVERSATIONS } from '../../server/protocol/limits.js';

// Issue 21: a team of moderators gets every visitor's message live with 10,000 support conversations open.
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET });
const OPEN = 10_000;

test('with 10,000 support conversations open, every moderator hears a new visitor at once and lists the latest', async () => {
  await seedSupportConversations(server.dataDir, OPEN);
  const team = await Promise.all(
    [1, 2, 3].map(async (n) =>
      chatSigned(server.url, await signJwt({ sub: `m-${n}`, name: `Mod${n}`, role: 'moderator' })),
    ),
  );
  const told = team.map(conversationsOf);
  const visitor = await chatAs(server.url, 'newcomer');
  const { room } = await ok(visitor.emitWithAck('support:open'));
  const heard = team.map((moderator) => messagesIn(moderator, room));
  await ok(visitor.emitWithAck('message:send', { room, text: 'is anyone there?' }));
  for (const messages of heard) await expect.poll(() => messages().map((m) => m.text)).toEqual(['is anyone there?']);
  for (const events of told) expect(events.map((c) => c.room)).toContain(room);

  const { conversations } = await ok(team[0]!.emitWithAck('conversations:list'));
  expect(conversations).toHaveLength(MAX_LISTED_CONVERSATIONS);
  expect(conversations[0]).toMatchObject({ room, kind: 'support', lastMessage: { text: 'is anyone there?' } });
  expect(conversations[1]?.room).toBe(`_support-seeded${OPEN - 1}`); // then by creation, newest first
  const answer = messagesIn(visitor, room);
  await ok(team[2]!.emitWithAck('message:send', { room, text: 'yes, how can we help?' }));
  await expect.poll(() => answer().map((m) => m.text)).toEqual(['yes, how can we help?']);
});

/**
 * `count` support conversations of visitors that are not connected, `_support-seeded<i>`, created a minute ago in
 * the order of i: one statement in the server's database, beside the running server.
 */
async function seedSupportConversations(dataDir: string, count: number): Promise<void> {
  const createdAt = Date.now() - 60_000;
  const rows = (i: string) => `'_support-seeded' || ${i}, 'support', 'visitor ' || ${i}, ${createdAt} + ${i}`;
  const members = (i: string) => `'_support-seeded' || ${i}, 'seeded-' || ${i}, 'visitor ' || ${i}, 0, ${createdAt}`;
  if (usePostgres) {
    const database = await PgDatabase.open(await databaseFor(dataDir));
    const release = database.retain();
    await database.pool.query(`INSERT INTO conversations (room, kind, title, created_at)
      SELECT ${rows('i')} FROM generate_series(0, ${count - 1}) AS i`);
    await database.pool.query(`INSERT INTO conversation_members (room, person, nick, granted, joined_at)
      SELECT ${members('i').replace(', 0,', ', false,')} FROM generate_series(0, ${count - 1}) AS i`);
    await release();
    return;
  }
  const database = SqliteDatabase.open(dataDir);
  const release = database.retain();
  const series = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
  database.connection.exec(`BEGIN;
    ${series} INSERT INTO conversations (room, kind, title, created_at) SELECT ${rows('i')} FROM n;
    ${series} INSERT INTO conversation_members (room, person, nick, granted, joined_at) SELECT ${members('i')} FROM n;
    COMMIT;`);
  release();
}
