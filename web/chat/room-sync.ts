import type { ErrorBody, Message } from '../../server/protocol/events.js';
import { JOIN_HISTORY_SIZE, MAX_HISTORY_PAGE } from '../../server/protocol/limits.js';
import { ACK_TIMEOUT_MS, type ChatSocket } from '../connection/chat-connection.js';
import type { OutboxEntry, SendOutcome } from './outbox.js';
import type { RoomState } from './room-state.js';

/** Older messages per scroll-up page. */
export const OLDER_PAGE = 50;
/** A catch-up longer than this many pages stops; the rest stays reachable by scrolling up. */
const MAX_CATCH_UP_PAGES = 10;

const NO_ANSWER: ErrorBody = { code: 'INTERNAL', message: 'no answer from the server' };

/**
 * Resolves undefined instead of throwing when the ack timed out or the socket went away.
 * @example const res = await ask(socket.timeout(ACK_TIMEOUT_MS).emitWithAck('rooms:list'));
 */
export async function ask<T>(pending: Promise<T> | undefined): Promise<T | undefined> {
  try {
    return await pending;
  } catch {
    return undefined;
  }
}

/**
 * `room:join`, then, for a room seen before, whatever arrived after its last message id: from the join
 * reply when that covers the gap, else through `room:history { after }` pages. Returns how many messages
 * the catch-up added (0 on a first join), or the error.
 */
export async function joinAndCatchUp(
  socket: ChatSocket,
  room: RoomState,
): Promise<{ added: number } | { error: ErrorBody }> {
  const after = room.lastSeenId;
  const res = await ask(socket.timeout(ACK_TIMEOUT_MS).emitWithAck('room:join', room.name));
  if (!res) return { error: NO_ANSWER };
  if (!res.ok) return { error: res.error };
  room.members = res.members;
  const oldest = res.history[0]?.id ?? 0;
  const covered = after === 0 || res.history.length < JOIN_HISTORY_SIZE || oldest <= after + 1;
  if (after === 0) room.hasOlder = res.history.length >= JOIN_HISTORY_SIZE;
  if (covered)
    return { added: room.addMessages(res.history.filter((m: Message) => m.id > after || after === 0)).length };
  let added = 0;
  let cursor = after;
  for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
    const query = { room: room.name, after: cursor, limit: MAX_HISTORY_PAGE };
    const res = await ask(socket.timeout(ACK_TIMEOUT_MS).emitWithAck('room:history', query));
    if (!res?.ok) break;
    added += room.addMessages(res.messages).length;
    const last = res.messages.at(-1);
    if (!last || res.messages.length < MAX_HISTORY_PAGE) break;
    cursor = last.id;
  }
  return { added };
}

/** One `room:history { before }` page above the oldest message held. */
export async function fetchOlder(socket: ChatSocket, room: RoomState): Promise<void> {
  const before = room.oldestId;
  if (before === undefined) return;
  const res = await ask(
    socket.timeout(ACK_TIMEOUT_MS).emitWithAck('room:history', { room: room.name, before, limit: OLDER_PAGE }),
  );
  if (!res?.ok) return;
  room.addMessages(res.messages);
  room.hasOlder = res.messages.length >= OLDER_PAGE;
}

/** One `message:send` attempt, told apart as the outbox needs: stored, refused, unanswered or offline. */
export async function sendOnce(socket: ChatSocket | undefined, entry: OutboxEntry): Promise<SendOutcome> {
  if (!socket?.connected) return { kind: 'offline' };
  try {
    const message = { room: entry.room, text: entry.text, clientId: entry.clientId };
    const res = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('message:send', message);
    return res.ok ? { kind: 'stored', id: res.id, ts: res.ts } : { kind: 'rejected', error: res.error };
  } catch {
    return socket.connected ? { kind: 'no-answer' } : { kind: 'offline' };
  }
}
