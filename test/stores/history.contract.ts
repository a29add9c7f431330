import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { HistoryStore } from '../../server/stores/history.js';

/** A store under test and how to get rid of it (close it and remove its data). */
export interface Made<T> {
  store: T;
  destroy(): Promise<void>;
}

/** What every HistoryStore implementation must do; run by each implementation's test file. */
export function describeHistoryStore(name: string, make: () => Promise<Made<HistoryStore>>): void {
  describe(`HistoryStore: ${name}`, () => {
    let made: Made<HistoryStore>;
    let history: HistoryStore;
    beforeEach(async () => {
      made = await make();
      history = made.store;
    });
    afterEach(() => made.destroy());

    test('append gives rising ids and the stored message; pages come back oldest first', async () => {
      const a = await history.append({ room: 'r', nick: 'ana', author: 'ana', text: 'one' });
      const b = await history.append({ room: 'r', nick: 'bea', author: 'bea', text: 'two', clientId: 'c-2' });
      await history.append({ room: 'other', nick: 'ana', author: 'ana', text: 'elsewhere' });
      const c = await history.append({ room: 'r', nick: 'ana', author: 'ana', text: 'three 🦊' });
      expect(a).toMatchObject({ isNew: true, message: { room: 'r', nick: 'ana', text: 'one' } });
      expect(b.message.clientId).toBe('c-2');
      expect(a.message.id).toBeLessThan(b.message.id);
      expect(b.message.id).toBeLessThan(c.message.id);
      expect(Math.abs(a.message.ts - Date.now())).toBeLessThan(5000);
      expect(await history.latest('r', 10)).toEqual([a.message, b.message, c.message]);
      expect(await history.latest('r', 2)).toEqual([b.message, c.message]);
      expect(await history.before('r', c.message.id, 10)).toEqual([a.message, b.message]);
      expect(await history.before('r', c.message.id, 1)).toEqual([b.message]);
      expect(await history.after('r', a.message.id, 10)).toEqual([b.message, c.message]);
      expect(await history.after('r', a.message.id, 1)).toEqual([b.message]);
      expect(await history.latest('empty', 10)).toEqual([]);
    });

    test('a clientId the nick already used gives the first message back, not a new one', async () => {
      const first = await history.append({ room: 'r', nick: 'ana', author: 'ana', text: 'hello', clientId: 'same' });
      const again = await history.append({ room: 'r', nick: 'ana', author: 'ana', text: 'hello', clientId: 'same' });
      const otherNick = await history.append({
        room: 'r',
        nick: 'bea',
        author: 'bea',
        text: 'hello',
        clientId: 'same',
      });
      expect(again).toEqual({ message: first.message, isNew: false });
      expect(otherNick.isNew).toBe(true);
      expect((await history.latest('r', 10)).map((m) => m.nick)).toEqual(['ana', 'bea']);
    });

    test("a signed user's messages say so, a guest's do not; find tells the author", async () => {
      const signed = await history.append({ room: 'r', nick: 'Alice', author: 'sub:u-1', text: 'hi' });
      const guest = await history.append({ room: 'r', nick: 'Alice2', author: 'guest:abc', text: 'hey' });
      expect(signed.message.signed).toBe(true);
      expect(guest.message).not.toHaveProperty('signed');
      expect(await history.latest('r', 10)).toEqual([signed.message, guest.message]);
      expect(await history.find('r', signed.message.id)).toEqual({ message: signed.message, author: 'sub:u-1' });
      await history.remove('r', signed.message.id);
      expect((await history.find('r', signed.message.id))?.message).toMatchObject({ deleted: true, signed: true });
    });

    test('appends of one event-loop turn (one batch) keep their order, duplicates included', async () => {
      const results = await Promise.all([
        history.append({ room: 'r', nick: 'ana', author: 'ana', text: '1', clientId: 'x' }),
        history.append({ room: 's', nick: 'ana', author: 'ana', text: '2' }),
        history.append({ room: 'r', nick: 'ana', author: 'ana', text: '1 again', clientId: 'x' }),
        history.append({ room: 'r', nick: 'ana', author: 'ana', text: '3' }),
      ]);
      expect(results.map((r) => r.isNew)).toEqual([true, true, false, true]);
      expect(results[2].message).toEqual(results[0].message);
      const ids = [results[0], results[1], results[3]].map((r) => r.message.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect((await history.latest('r', 10)).map((m) => m.text)).toEqual(['1', '3']);
    });

    test('edit replaces the text of a live message in its room and records when', async () => {
      const { message } = await history.append({ room: 'r', nick: 'ana', author: 'ana', text: 'teh', clientId: 'c-1' });
      expect(await history.edit('other', message.id, 'wrong room', 1)).toBe(false);
      expect(await history.edit('r', message.id + 999, 'no such id', 1)).toBe(false);
      expect(await history.edit('r', message.id, 'the', 1234)).toBe(true);
      const edited = { ...message, text: 'the', editedAt: 1234 };
      expect(await history.find('r', message.id)).toEqual({ message: edited, author: 'ana' });
      expect(await history.latest('r', 10)).toEqual([edited]);
      expect(await history.find('other', message.id)).toBeUndefined();
    });

    test('remove keeps the id with no text, refuses edits, and still knows the clientId', async () => {
      const a = await history.append({ room: 'r', nick: 'ana', author: 'ana', text: 'secret', clientId: 'c-1' });
      const b = await history.append({ room: 'r', nick: 'ana', author: 'ana', text: 'kept' });
      expect(await history.edit('r', a.message.id, 'edited first', 1)).toBe(true);
      expect(await history.remove('other', a.message.id)).toBe(false);
      expect(await history.remove('r', a.message.id)).toBe(true);
      expect(await history.remove('r', a.message.id)).toBe(false); // already deleted
      const gone = { id: a.message.id, room: 'r', nick: 'ana', ts: a.message.ts, text: '', deleted: true };
      expect(await history.find('r', a.message.id)).toEqual({ message: gone, author: 'ana' });
      expect(await history.after('r', a.message.id - 1, 10)).toEqual([gone, b.message]);
      expect(await history.edit('r', a.message.id, 'back', 2)).toBe(false);
      const retry = await history.append({ room: 'r', nick: 'ana', author: 'ana', text: 'secret', clientId: 'c-1' });
      expect(retry).toEqual({ message: gone, isNew: false });
    });
  });
}
