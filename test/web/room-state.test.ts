import { expect, test } from 'vitest';
import { RoomState } from '../../web/chat/room-state.js';
import type { Message } from '../../server/protocol/events.js';

const msg = (id: number, text = `m${id}`): Message => ({
  id,
  room: 'lobby',
  nick: 'ana',
  text,
  ts: 1_700_000_000_000 + id,
});
const keys = (room: RoomState) =>
  room.timeline.map((item) => (item.kind === 'message' ? item.message.id : item.notice.kind));

test('each message is kept once, in id order, whatever order and how often it arrives', () => {
  const room = new RoomState('lobby');
  expect(room.addMessages([msg(5), msg(7)]).map((m) => m.id)).toEqual([5, 7]);
  expect(room.addMessages([msg(6), msg(7), msg(5)]).map((m) => m.id)).toEqual([6]);
  room.addMessages([msg(1), msg(2)]); // an older page
  room.addMessages([msg(9), msg(8)]);
  expect(keys(room)).toEqual([1, 2, 5, 6, 7, 8, 9]);
  expect(room.lastSeenId).toBe(9);
  expect(room.oldestId).toBe(1);
  expect(room.messageCount).toBe(7);
});

test('a notice stays after the message it followed, also when older messages load above it', () => {
  const room = new RoomState('lobby');
  room.addMessages([msg(10), msg(11)]);
  room.addNotice({ kind: 'joined', nick: 'bea' });
  room.addMessages([msg(12)]);
  room.addMessages([msg(3), msg(4)]);
  room.addNotice({ kind: 'left', nick: 'bea' });
  expect(keys(room)).toEqual([3, 4, 10, 11, 'joined', 12, 'left']);
});

test('typing notices expire by themselves', () => {
  const room = new RoomState('lobby');
  room.typing.set('bea', 1000);
  room.typing.set('cid', 3000);
  expect(room.typingNow(500)).toEqual(['bea', 'cid']);
  expect(room.typingNow(2000)).toEqual(['cid']);
  expect(room.typingNow(3000)).toEqual([]);
});

test('presence keeps the member list and leaves a notice; our own coming and going is no news', () => {
  const room = new RoomState('lobby');
  room.members = ['ana'];
  room.applyPresence({ room: 'lobby', joined: 'bea', count: 2 }, 'ana');
  room.typing.set('bea', Date.now() + 1000);
  room.applyPresence({ room: 'lobby', renamed: { from: 'bea', to: 'beatrix' }, count: 2 }, 'ana');
  room.applyPresence({ room: 'lobby', left: 'ana', count: 1 }, 'ana'); // a replayed "left" about ourselves
  expect(room.members).toEqual(['ana', 'beatrix']);
  expect(room.typing.size).toBe(0);
  expect(
    room.timeline.map((item) => item.kind === 'notice' && [item.notice.kind, item.notice.nick, item.notice.to]),
  ).toEqual([
    ['joined', 'bea', undefined],
    ['renamed', 'bea', 'beatrix'],
  ]);
});

test('a presence:batch of a large room: left, then renamed, then joined; only renames become notices', () => {
  const room = new RoomState('lobby');
  room.members = ['ana', 'bea', 'cid'];
  room.typing.set('cid', Date.now() + 1000);
  room.applyPresenceBatch(
    {
      room: 'lobby',
      left: ['cid', 'ana'], // the "left" about ourselves is a replay: we stay
      renamed: [{ from: 'bea', to: 'cid' }], // cid's nick was freed and taken in the same second
      joined: ['dan', 'bea'],
      count: 4,
    },
    'ana',
  );
  expect(room.members).toEqual(['ana', 'bea', 'cid', 'dan']);
  expect(room.typing.size).toBe(0);
  expect(
    room.timeline.map((item) => item.kind === 'notice' && [item.notice.kind, item.notice.nick, item.notice.to]),
  ).toEqual([['renamed', 'bea', 'cid']]);
});
