import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PgConversations } from '../../server/stores/pg-conversations.js';
import { PgDatabase } from '../../server/stores/pg-database.js';
import { PgHistory } from '../../server/stores/pg-history.js';
import { describeConversationStore } from '../stores/conversations.contract.js';
import { freshDatabase } from './databases.js';

describeConversationStore('PostgreSQL', async () => {
  const db = await freshDatabase('conv');
  const database = await PgDatabase.open(db.url);
  const [conversations, history] = [new PgConversations(database), new PgHistory(database)];
  return {
    store: { conversations, history },
    destroy: async () => {
      await Promise.all([conversations.close(), history.close()]);
      await db.drop();
    },
  };
});

describe('PgConversations on two nodes (two pools) of one database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let nodes: PgConversations[] = [];
  beforeEach(async () => {
    db = await freshDatabase('conv_nodes');
    nodes = await Promise.all([1, 2].map(async () => new PgConversations(await PgDatabase.open(db.url))));
  });
  afterEach(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await db.drop();
  });

  test('adds of one person at the cap, on both nodes at once, let exactly one in', async () => {
    const [a, b] = nodes as [PgConversations, PgConversations];
    const rooms = Array.from({ length: 6 }, (_, i) => `_p-${i}`);
    for (const room of rooms) await a.create({ room, kind: 'private', title: room, createdAt: 1 }, []);
    // Many people, so that many pairs of transactions overlap; each has one place left under a cap of 3.
    const people = Array.from({ length: 30 }, (_, i) => `guest:${i}`);
    for (const person of people) {
      await a.addMember('_p-0', { person, nick: person }, 3);
      await b.addMember('_p-1', { person, nick: person }, 3);
    }
    const results = await Promise.all(
      people.flatMap((person) =>
        rooms.slice(2).map((room, i) => (i % 2 ? a : b).addMember(room, { person, nick: person }, 3)),
      ),
    );
    expect(results.filter((r) => r === 'added')).toHaveLength(people.length);
    for (const person of people) expect(await a.roomsOf(person, 10)).toHaveLength(3);
  });

  test('creates of one room on both nodes at once make one conversation', async () => {
    for (let i = 0; i < 10; i++) {
      const room = `_dm-${i}`;
      const results = await Promise.all(
        nodes.map((node, n) =>
          node.create({ room, kind: 'direct', title: '', createdAt: n }, [{ person: `p${n}`, nick: `P${n}` }]),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0]!.conversation).toEqual(results[1]!.conversation);
      expect(await nodes[0]!.members(room)).toHaveLength(1);
    }
  });
});
