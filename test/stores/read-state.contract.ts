import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mentionsNick } from '../../server/protocol/mentions.js';
import type { HistoryStore } from '../../server/stores/history.js';
import type { Reader, ReadStateStore } from '../../server/stores/read-state.js';
import type { Made } from './history.contract.js';
import { recountAfterRandomOperations } from './read-state-recount.js';

/** The store under test and the history of the same database, whose messages it counts. */
export interface ReadStateDatabase {
  readState: ReadStateStore;
  history: HistoryStore;
  /** Stores a message as releases before authors did (author NULL); resolves its id. */
  appendAuthorless(room: string, nick: string, text: string): Promise<number>;
}

// person and author differ, as a guest's do (chat/author.ts), so that a store mixing them up fails.
const ana: Reader = { person: 'guest:ana-person', author: 'guest:ana-author', nick: 'Ana' };
const bea: Reader = { person: 'sub:bea', author: 'sub:bea-author', nick: 'Bea' };

/** What every ReadStateStore implementation must do; run by each implementation's test file. */
export function describeReadStateStore(name: string, make: () => Promise<Made<ReadStateDatabase>>): void {
  describe(`ReadStateStore: ${name}`, () => {
    let made: Made<ReadStateDatabase>;
    let store: ReadStateStore;
    let history: HistoryStore;
    beforeEach(async () => {
      made = await make();
      ({ readState: store, history } = made.store);
    });
    afterEach(() => made.destroy());

    const send = async (room: string, text: string, from: Reader = bea) =>
      (await history.append({ room, nick: from.nick, author: from.author, text })).message.id;
    const state = async (reader: Reader, room: string) => (await store.states(reader, [room]))[0]!;

    test('begin starts at the latest message of the room and never moves a marker', async () => {
      await send('r', 'before one');
      const last = await send('r', 'before two');
      await send('other', 'elsewhere, later');
      await store.begin(ana.person, 'r');
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: last, unread: 0, mentions: 0 });
      const next = await send('r', 'after @ana');
      await store.begin(ana.person, 'r');
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: last, unread: 1, mentions: 1 });
      await store.read(ana, 'r', next);
      await store.begin(ana.person, 'r'); // a later begin does not move it back either
      expect((await state(ana, 'r')).readId).toBe(next);
      await store.begin(ana.person, 'empty');
      expect(await state(ana, 'empty')).toEqual({ room: 'empty', readId: 0, unread: 0, mentions: 0 });
      await send('empty', 'first');
      expect(await state(ana, 'empty')).toEqual({ room: 'empty', readId: 0, unread: 1, mentions: 0 });
    });

    test('read moves forward only and returns the state after; an older id changes nothing', async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await send('r', `m${i}`));
      const [, second, third, fourth] = ids as [number, number, number, number, number];
      expect(await store.read(ana, 'r', fourth)).toEqual({ room: 'r', readId: fourth, unread: 1, mentions: 0 });
      expect(await store.read(ana, 'r', second)).toEqual({ room: 'r', readId: fourth, unread: 1, mentions: 0 });
      expect(await store.read(ana, 'r', fourth)).toEqual({ room: 'r', readId: fourth, unread: 1, mentions: 0 });
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: fourth, unread: 1, mentions: 0 });
      // Another person's marker is its own.
      expect(await store.read(bea, 'r', third)).toEqual({ room: 'r', readId: third, unread: 0, mentions: 0 });
      // Reads at once leave the highest (two tabs; on PostgreSQL, connections of the pool).
      await Promise.all(ids.map((id) => store.read(bea, 'r', id)));
      expect((await state(bea, 'r')).readId).toBe(ids.at(-1));
    });

    test('read of an id that is not a message of the room is undefined and changes nothing', async () => {
      const mine = await send('r', 'here');
      const elsewhere = await send('other', 'there');
      expect(await store.read(ana, 'r', elsewhere)).toBeUndefined();
      expect(await store.read(ana, 'r', elsewhere + 1000)).toBeUndefined();
      expect(await store.read(ana, 'nowhere', mine)).toBeUndefined();
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: 0, unread: 1, mentions: 0 });
      // A deleted message is still a message of its room.
      await history.remove('r', mine);
      expect(await store.read(ana, 'r', mine)).toEqual({ room: 'r', readId: mine, unread: 0, mentions: 0 });
    });

    test("the reader's own messages do not count; messages without an author do", async () => {
      const first = await send('r', 'from bea');
      await store.read(ana, 'r', first);
      await send('r', 'mine, even @Ana', ana);
      await send('r', 'from bea @ana');
      await made.store.appendAuthorless('r', 'Ana', 'before authors, @ana'); // the nick alone proves nothing
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: first, unread: 2, mentions: 2 });
      // The same messages seen by bea: hers do not count, ana's do.
      expect(await state(bea, 'r')).toEqual({ room: 'r', readId: 0, unread: 2, mentions: 0 });
    });

    test('a delete lowers the counts; an edit leaves the unread count and its mentions follow the text', async () => {
      const plain = await send('r', 'plain');
      const mention = await send('r', 'hi @ana');
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: 0, unread: 2, mentions: 1 });
      await history.edit('r', plain, 'plain, edited', 5);
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: 0, unread: 2, mentions: 1 });
      await history.edit('r', plain, 'now @ana too', 6);
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: 0, unread: 2, mentions: 2 });
      await history.remove('r', mention);
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: 0, unread: 1, mentions: 1 });
      await history.remove('r', plain);
      expect(await state(ana, 'r')).toEqual({ room: 'r', readId: 0, unread: 0, mentions: 0 });
    });

    test('mentions follow mentionsNick exactly, whatever SQL makes of the nick', async () => {
      // [reader's nick, text, mentions it]: one room each, read in one states() call.
      const cases: [string, string, boolean][] = [
        ['ana', '@ana', true],
        ['ana', 'hi @Ana!', true],
        ['Ana', 'HEY @ANA', true],
        ['ana', '@anastasia', false],
        ['ana', 'mail@ana', false],
        ['ana', '@ana.', true],
        ['ana', '@an', false],
        ['ana', 'no mention', false],
        ['ana', '@@ana', true],
        ['ana', 'x@anastasia and then (@ana)', true],
        ['a_b', '@axb', false],
        ['a_b', '@A_B yes', true],
        ['50%', '@50 and @500', false],
        ['50%', 'take @50% off', true],
        ['a\\b', '@a\\\\b @ab @a\\', false],
        ['a\\b', '@A\\B', true],
        ['Zoë', 'bonjour @ZOË', true],
        ['Zoë', '@zoe', false],
        ['Zoë', '@zoës', false],
        ['Øyvind', 'hei @øYVIND, kom', true],
        ['Андрей', 'привет @андрей', true],
        ['Андрей', 'привет @андрейка', false],
        ['Kim', 'hi @\u212Aim', true], // the Kelvin sign, which JavaScript lowers to k
      ];
      expect(cases.map(([nick, text]) => mentionsNick(text, nick))).toEqual(cases.map(([, , mentions]) => mentions));
      const reader = (nick: string): Reader => ({ ...ana, nick });
      for (const [i, [, text]] of cases.entries()) await send(`m${i}`, text);
      const got = await Promise.all(cases.map(([nick], i) => state(reader(nick), `m${i}`)));
      expect(got.map((s) => s.mentions)).toEqual(cases.map(([, , mentions]) => (mentions ? 1 : 0)));
      expect(got.map((s) => s.unread)).toEqual(cases.map(() => 1));
    });

    test('states keeps the order of the rooms asked for; a room without a marker counts all', async () => {
      expect(await store.states(ana, [])).toEqual([]);
      const a1 = await send('a', 'one');
      await send('a', 'two @ana');
      await send('b', 'one');
      await send('c', '@ana');
      await store.read(ana, 'a', a1);
      await store.begin(ana.person, 'b');
      expect(await store.states(ana, ['c', 'none', 'a', 'b'])).toEqual([
        { room: 'c', readId: 0, unread: 1, mentions: 1 },
        { room: 'none', readId: 0, unread: 0, mentions: 0 },
        { room: 'a', readId: a1, unread: 1, mentions: 1 },
        { room: 'b', readId: expect.any(Number), unread: 0, mentions: 0 },
      ]);
      const many = Array.from({ length: 250 }, (_, i) => `room-${249 - i}`);
      expect((await store.states(ana, many)).map((s) => s.room)).toEqual(many);
    });

    test("forgetPerson drops that person's markers and no one else's", async () => {
      const id = await send('a', 'one');
      await send('b', 'two');
      await store.read(ana, 'a', id);
      await store.begin(ana.person, 'b');
      await store.read(bea, 'a', id);
      await store.forgetPerson(ana.person);
      expect(await store.states(ana, ['a', 'b'])).toEqual([
        { room: 'a', readId: 0, unread: 1, mentions: 0 },
        { room: 'b', readId: 0, unread: 1, mentions: 0 },
      ]);
      expect((await state(bea, 'a')).readId).toBe(id);
      await store.forgetPerson('guest:nobody');
    });

    test('after 1,000 random operations, every state agrees with a recount of the messages', async () => {
      await recountAfterRandomOperations(made.store, 0x5eed);
    }, 30_000);
  });
}
