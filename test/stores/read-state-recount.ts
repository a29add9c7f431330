import { expect } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import { mentionsNick } from '../../server/protocol/mentions.js';
import type { Reader, RoomReadState } from '../../server/stores/read-state.js';
import type { ReadStateDatabase } from './read-state.contract.js';

const OPERATIONS = 1000;
const CHECK_EVERY = 50;
const ROOMS = ['r0', 'r1', 'r2'];
/** Nicks that nearly mention each other (Ana in Anastasia) or that SQL could mistake (`_`, a letter outside ASCII). */
const PEOPLE: Reader[] = [
  { person: 'guest:p-ana', author: 'guest:a-ana', nick: 'Ana' },
  { person: 'guest:p-anastasia', author: 'guest:a-anastasia', nick: 'Anastasia' },
  { person: 'sub:p-ab', author: 'sub:a-ab', nick: 'a_b' },
  { person: 'sub:p-zoe', author: 'sub:a-zoe', nick: 'Zoë' },
];
/** Texts about a nick: mentions, near misses, and texts that mention no one. */
const TEXTS: ((nick: string) => string)[] = [
  (nick) => `hi @${nick}`,
  (nick) => `@${nick.toUpperCase()}!`,
  (nick) => `(@${nick.toLowerCase()}.)`,
  (nick) => `mail@${nick}`,
  (nick) => `@${nick}s`,
  (nick) => `@${nick.slice(0, -1)}`,
  (nick) => `@${nick.replace('_', 'x')}`,
  () => 'nothing to see',
  () => 'an @ alone',
];

/** mulberry32: a small PRNG, so that a failing run can be repeated from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs random sends (some without an author), deletes, edits, begins and reads (of ids of the room, older or newer,
 * and of ids that are not) from four people over three rooms, and compares the store's answers with a recount of
 * the history's messages under a model of the markers: each read's answer, and every person's states every 50.
 */
export async function recountAfterRandomOperations(db: ReadStateDatabase, seed: number): Promise<void> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const { history, readState } = db;
  const idsOf = new Map<string, number[]>(ROOMS.map((room) => [room, []]));
  const markers = new Map<string, number>();
  const authors = new Map<number, string | undefined>();
  let [mentionsSeen, refusedReads] = [0, 0];

  const messagesOf = async (room: string): Promise<Message[]> => {
    const messages: Message[] = [];
    for (let page = await history.after(room, 0, 100); ; page = await history.after(room, page.at(-1)!.id, 100)) {
      messages.push(...page);
      if (page.length < 100) return messages;
    }
  };
  const authorOf = async (room: string, id: number): Promise<string | undefined> => {
    if (!authors.has(id)) authors.set(id, (await history.find(room, id))!.author);
    return authors.get(id);
  };
  const recount = async (reader: Reader, room: string): Promise<RoomReadState> => {
    const readId = markers.get(`${reader.person} ${room}`) ?? 0;
    const unread: Message[] = [];
    for (const message of await messagesOf(room)) {
      if (message.id > readId && !message.deleted && (await authorOf(room, message.id)) !== reader.author)
        unread.push(message);
    }
    const mentions = unread.filter((message) => mentionsNick(message.text, reader.nick)).length;
    mentionsSeen += mentions;
    return { room, readId, unread: unread.length, mentions };
  };

  for (let n = 1; n <= OPERATIONS; n++) {
    const [room, person, dice] = [pick(ROOMS), pick(PEOPLE), next()];
    const ids = idsOf.get(room)!;
    if (dice < 0.4) {
      const text = pick(TEXTS)(pick(PEOPLE).nick);
      const id =
        next() < 0.1
          ? await db.appendAuthorless(room, person.nick, text)
          : (await history.append({ room, nick: person.nick, author: person.author, text })).message.id;
      ids.push(id);
    } else if (dice < 0.5 && ids.length > 0) {
      await history.remove(room, pick(ids));
    } else if (dice < 0.6 && ids.length > 0) {
      await history.edit(room, pick(ids), pick(TEXTS)(pick(PEOPLE).nick), Date.now());
    } else if (dice < 0.65) {
      await readState.begin(person.person, room);
      const key = `${person.person} ${room}`;
      if (!markers.has(key)) markers.set(key, ids.at(-1) ?? 0);
    } else {
      const others = ROOMS.filter((r) => r !== room).flatMap((r) => idsOf.get(r)!);
      const id = next() < 0.85 && ids.length > 0 ? pick(ids) : next() < 0.5 ? pick([...others, 0]) : 1e9;
      const answer = await readState.read(person, room, id);
      if (ids.includes(id)) {
        const key = `${person.person} ${room}`;
        markers.set(key, Math.max(markers.get(key) ?? 0, id));
        expect(answer, `read #${n}`).toEqual(await recount(person, room));
      } else {
        expect(answer, `read #${n} of an id not in ${room}`).toBeUndefined();
        refusedReads++;
      }
    }
    if (n % CHECK_EVERY === 0) {
      for (const reader of PEOPLE) {
        const expected = await Promise.all([...ROOMS, 'r-empty'].map((r) => recount(reader, r)));
        expect(await readState.states(reader, [...ROOMS, 'r-empty']), `after ${n}`).toEqual(expected);
      }
    }
  }
  // The run was not vacuous: mentions were counted and reads refused.
  expect(mentionsSeen).toBeGreaterThan(0);
  expect(refusedReads).toBeGreaterThan(0);
}
