import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Conversation, ConversationStore, Member } from '../../server/stores/conversations.js';
import type { HistoryStore } from '../../server/stores/history.js';
import type { Made } from './history.contract.js';

/** The store under test and the history of the same database, whose messages `list` shows. */
export interface ConversationDatabase {
  conversations: ConversationStore;
  history: HistoryStore;
}

const ana: Member = { person: 'guest:ana', nick: 'Ana' };
const bea: Member = { person: 'sub:bea', nick: 'Bea' };
const cid: Member = { person: 'sub:cid', nick: 'Cid' };

const privateRoom = (room: string, createdAt = 1000): Conversation => ({
  room,
  kind: 'private',
  title: `Title of ${room}`,
  owner: ana.person,
  createdAt,
});
const support = (room: string, createdAt = 1000): Conversation => ({ room, kind: 'support', title: 'Ana', createdAt });
const direct = (room: string, createdAt = 1000): Conversation => ({ room, kind: 'direct', title: '', createdAt });

/** What every ConversationStore implementation must do; run by each implementation's test file. */
export function describeConversationStore(name: string, make: () => Promise<Made<ConversationDatabase>>): void {
  describe(`ConversationStore: ${name}`, () => {
    let made: Made<ConversationDatabase>;
    let store: ConversationStore;
    let history: HistoryStore;
    beforeEach(async () => {
      made = await make();
      ({ conversations: store, history } = made.store);
    });
    afterEach(() => made.destroy());

    const send = (room: string, text: string, author = ana.person) =>
      history.append({ room, nick: 'Ana', author, text }).then((r) => r.message);
    const rooms = async (person: string, withSupport: boolean, limit = 100) =>
      (await store.list(person, withSupport, limit)).map((c) => c.room);

    test('create stores the conversation and its members; find, members and isMember read them', async () => {
      const created = await store.create(privateRoom('_p-1'), [{ ...ana, granted: true }, bea]);
      expect(created).toEqual({ conversation: privateRoom('_p-1'), created: true });
      expect(await store.find('_p-1')).toEqual(privateRoom('_p-1'));
      expect(await store.find('_p-none')).toBeUndefined();
      expect(await store.members('_p-1')).toEqual([
        { ...ana, granted: true },
        { ...bea, granted: false },
      ]);
      expect(await store.members('_p-none')).toEqual([]);
      expect(await store.isMember('_p-1', bea.person)).toBe(true);
      expect(await store.isMember('_p-1', cid.person)).toBe(false);
      await store.create(direct('_dm-1'), [ana, bea]);
      const found = await store.find('_dm-1');
      expect(found).toEqual(direct('_dm-1'));
      expect(found).not.toHaveProperty('owner'); // none rather than undefined
    });

    test('a second create of the room changes nothing and gives the first one back', async () => {
      await store.create(privateRoom('_p-1'), [ana]);
      const again = await store.create({ ...privateRoom('_p-1', 5), title: 'Other', owner: bea.person }, [bea]);
      expect(again).toEqual({ conversation: privateRoom('_p-1'), created: false });
      expect(await store.members('_p-1')).toEqual([{ ...ana, granted: false }]);
    });

    test('creates of one room at once make one conversation, with the members of one of them', async () => {
      const results = await Promise.all(
        [ana, bea, cid].map((member) => store.create({ ...support('_support-1'), title: member.nick }, [member])),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.find((r) => r.created)!.conversation;
      for (const result of results) expect(result.conversation).toEqual(winner);
      expect(await store.members('_support-1')).toEqual([
        expect.objectContaining({ nick: winner.title, granted: false }),
      ]);
    });

    test('addMember adds up to the cap; a member already there is updated and not counted', async () => {
      for (const room of ['_p-1', '_p-2', '_p-3']) await store.create(privateRoom(room), []);
      expect(await store.addMember('_p-1', ana, 2)).toBe('added');
      expect(await store.addMember('_p-2', ana, 2)).toBe('added');
      expect(await store.addMember('_p-3', ana, 2)).toBe('full');
      expect(await store.isMember('_p-3', ana.person)).toBe(false);
      expect(await store.addMember('_p-1', { ...ana, nick: 'Ana2', granted: true }, 2)).toBe('already');
      expect(await store.members('_p-1')).toEqual([{ ...ana, nick: 'Ana2', granted: true }]);
      expect(await store.addMember('_p-1', ana, 2)).toBe('already'); // granted back to false
      expect(await store.members('_p-1')).toEqual([{ ...ana, granted: false }]);
      expect(await store.addMember('_p-3', bea, 1)).toBe('added'); // the cap is per person
    });

    test('removeMember frees a place under the cap', async () => {
      for (const room of ['_p-1', '_p-2']) await store.create(privateRoom(room), []);
      expect(await store.addMember('_p-1', ana, 1)).toBe('added');
      expect(await store.addMember('_p-2', ana, 1)).toBe('full');
      expect(await store.removeMember('_p-1', ana.person)).toBe(true);
      expect(await store.removeMember('_p-1', ana.person)).toBe(false);
      expect(await store.removeMember('_p-2', bea.person)).toBe(false);
      expect(await store.addMember('_p-2', ana, 1)).toBe('added');
      expect(await store.roomsOf(ana.person, 10)).toEqual(['_p-2']);
    });

    test('adds of one person at once never pass the cap', async () => {
      const all = ['_p-1', '_p-2', '_p-3', '_p-4', '_p-5', '_p-6'];
      for (const room of all) await store.create(privateRoom(room), []);
      const results = await Promise.all(all.map((room) => store.addMember(room, ana, 2)));
      expect(results.filter((r) => r === 'added')).toHaveLength(2);
      expect(results.filter((r) => r === 'full')).toHaveLength(4);
      expect(await store.roomsOf(ana.person, 10)).toHaveLength(2);
    });

    test('addMember to a conversation that does not exist fails and stores nothing', async () => {
      await expect(store.addMember('_p-none', ana, 10)).rejects.toThrow();
      expect(await store.roomsOf(ana.person, 10)).toEqual([]);
    });

    test('roomsOf lists memberships up to a limit; grantedRoomsOf only those from the token', async () => {
      await store.create(privateRoom('_p-1'), [ana, bea]);
      await store.create(privateRoom('_p-2'), [{ ...ana, granted: true }]);
      await store.create(privateRoom('site-room'), [{ ...ana, granted: true }]);
      expect((await store.roomsOf(ana.person, 10)).sort()).toEqual(['_p-1', '_p-2', 'site-room']);
      expect(await store.roomsOf(ana.person, 2)).toHaveLength(2);
      expect(await store.roomsOf(cid.person, 10)).toEqual([]);
      expect(await store.grantedRoomsOf(ana.person)).toEqual(['_p-2', 'site-room']);
      expect(await store.grantedRoomsOf(bea.person)).toEqual([]);
    });

    test('list: most recent activity first (the last message, else the creation), ties by room', async () => {
      await store.create(privateRoom('_p-msg', 0), [ana]);
      await send('_p-msg', 'first');
      const last = await send('_p-msg', 'last');
      await store.create(privateRoom('_p-a', last.ts + 1), [ana]);
      await store.create(privateRoom('_p-b', last.ts + 1), [ana]);
      await store.create(privateRoom('_p-old', last.ts - 1), [ana]);
      await store.create(privateRoom('_p-other'), [bea]);
      expect(await rooms(ana.person, false)).toEqual(['_p-a', '_p-b', '_p-msg', '_p-old']);
      expect(await rooms(ana.person, false, 3)).toEqual(['_p-a', '_p-b', '_p-msg']);
      expect(await rooms(cid.person, false)).toEqual([]);
      const [, , withMessage] = await store.list(ana.person, false, 10);
      expect(withMessage).toEqual({
        ...privateRoom('_p-msg', 0),
        members: [{ ...ana, granted: false }],
        lastMessage: last,
      });
    });

    test("list: of two last messages in one millisecond (one commit), the later one's room first", async () => {
      await store.create(privateRoom('_p-a'), [ana]);
      await store.create(privateRoom('_p-b'), [ana]);
      const [inA, inB] = await Promise.all([send('_p-a', 'first'), send('_p-b', 'second')]); // one batch
      expect(inB.id).toBeGreaterThan(inA.id);
      expect(await rooms(ana.person, false)).toEqual(['_p-b', '_p-a']);
    });

    test('list: the last message as the history shows it (signed, edited, deleted), null when none', async () => {
      await store.create(direct('_dm-1'), [ana, { ...bea, granted: true }]);
      await store.create(privateRoom('_p-deleted'), [ana]);
      await store.create(privateRoom('_p-quiet'), [ana]);
      const signed = await history.append({
        room: '_dm-1',
        nick: 'Bea',
        author: bea.person,
        text: 'hi',
        clientId: 'c-1',
      });
      await history.edit('_dm-1', signed.message.id, 'hello', 1234);
      const gone = await send('_p-deleted', 'oops');
      await history.remove('_p-deleted', gone.id);
      const byRoom = new Map((await store.list(ana.person, false, 10)).map((c) => [c.room, c]));
      const edited = (await history.find('_dm-1', signed.message.id))!.message;
      expect(edited).toMatchObject({ text: 'hello', editedAt: 1234, clientId: 'c-1', signed: true });
      expect(byRoom.get('_dm-1')).toEqual({
        ...direct('_dm-1'),
        members: [
          { ...ana, granted: false },
          { ...bea, granted: true },
        ],
        lastMessage: edited,
      });
      expect(byRoom.get('_p-deleted')!.lastMessage).toEqual({
        id: gone.id,
        room: '_p-deleted',
        nick: 'Ana',
        ts: gone.ts,
        text: '',
        deleted: true,
      });
      expect(byRoom.get('_p-quiet')!.lastMessage).toBeNull();
    });

    test('list with support adds every support conversation, once, members or not', async () => {
      await store.create(support('_support-1', 3000), [ana]);
      await store.create(support('_support-2', 2000), [bea]);
      await store.create(direct('_dm-1', 1000), [cid, bea]);
      await store.create(direct('_dm-2', 4000), [ana, bea]);
      expect(await rooms(cid.person, false)).toEqual(['_dm-1']);
      expect(await rooms(cid.person, true)).toEqual(['_support-1', '_support-2', '_dm-1']);
      expect(await rooms(bea.person, true)).toEqual(['_dm-2', '_support-1', '_support-2', '_dm-1']);
      expect(await rooms(bea.person, true, 2)).toEqual(['_dm-2', '_support-1']);
      const [first] = await store.list(cid.person, true, 1);
      expect(first).toEqual({
        ...support('_support-1', 3000),
        members: [{ ...ana, granted: false }],
        lastMessage: null,
      });
    });

    test('conversationsAmong names the rooms that are conversations', async () => {
      await store.create(privateRoom('_p-1'), []);
      await store.create(direct('_dm-1'), [ana]);
      await send('lobby', 'a public room has messages but is no conversation');
      expect(await store.conversationsAmong(['lobby', '_dm-1', '_p-1', '_p-none'])).toEqual(new Set(['_dm-1', '_p-1']));
      expect(await store.conversationsAmong([])).toEqual(new Set());
    });

    test("renamePerson changes the person's nick in every membership, and no one else's", async () => {
      await store.create(direct('_dm-1'), [ana, bea]);
      await store.create(privateRoom('_p-1'), [{ ...ana, granted: true }]);
      await store.renamePerson(ana.person, 'Anna');
      expect(await store.members('_dm-1')).toEqual([
        { ...ana, nick: 'Anna', granted: false },
        { ...bea, granted: false },
      ]);
      expect(await store.members('_p-1')).toEqual([{ ...ana, nick: 'Anna', granted: true }]);
    });

    test('forgetPerson ends every membership of the person and says which', async () => {
      await store.create(direct('_dm-1'), [ana, bea]);
      await store.create(support('_support-1'), [ana]);
      expect((await store.forgetPerson(ana.person)).sort()).toEqual(['_dm-1', '_support-1']);
      expect(await store.roomsOf(ana.person, 10)).toEqual([]);
      expect(await store.members('_dm-1')).toEqual([{ ...bea, granted: false }]);
      expect(await store.find('_support-1')).toEqual(support('_support-1')); // the conversation stays
      expect(await store.forgetPerson(ana.person)).toEqual([]);
    });
  });
}
