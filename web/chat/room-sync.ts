import { JOIN_HISTORY_SIZE, MAX_HISTORY_PAGE } from '../../server/protocol/limits.js';
import type { Message } from '../../server/protocol/events.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import { type ClientError, NO_ANSWER, request } from '../connection/request.js';
import type { RoomState } from './room-state.js';

/** Older messages per scroll-up page. */
const OLDER_PAGE = 50;
/** A catch-up longer than this many pages stops; the rest stays reachable by scrolling up. */
const MAX_CATCH_UP_PAGES = 10;
/**
 * A join refused with RATE_LIMITED is tried again this often, this many times: after a server restart everyone
 * behind one address (an office, a NAT) rejoins at once, and each join's history draws on the address's
 * HISTORY_ROWS_PER_ADDRESS. Jittered, so they do not come back in step.
 */
const JOIN_RETRY_MS = 1000;
const JOIN_RETRIES = 10;

/**
 * `room:join`, then, for a room seen before, whatever arrived after its last message id: from the join
 * reply when that covers the gap, else through `room:history { after }` pages. The reply's history also
 * replaces the shown versions of messages edited or deleted meanwhile. Returns how many messages the
 * catch-up added (0 on a first join) and which, or the error.
 */
export async function joinAndCatchUp(
  socket: ChatSocket,
  room: RoomState,
): Promise<{ added: number; messages: Message[] } | { error: ClientError }> {
  const after = room.lastSeenId;
  let res = await request(socket, 'room:join', room.name);
  for (let retry = 0; retry < JOIN_RETRIES && res?.ok === false && res.error.code === 'RATE_LIMITED'; retry++) {
    await new Promise((resolve) => setTimeout(resolve, JOIN_RETRY_MS * (0.5 + Math.random())));
    res = await request(socket, 'room:join', room.name);
  }
  if (!res) return { error: NO_ANSWER };
  if (!res.ok) return { error: res.error };
  room.members = res.members;
  room.retentionDays = res.retentionDays;
  room.applyRead(res); // the counts include the history below: only later messages count up from here
  const oldest = res.history[0]?.id ?? 0;
  const covered = after === 0 || res.history.length < JOIN_HISTORY_SIZE || oldest <= after + 1;
  if (after === 0) room.hasOlder = res.history.length >= JOIN_HISTORY_SIZE;
  room.replaceKnown(res.history);
  if (covered) {
    const messages = room.addMessages(res.history.filter((m) => m.id > after || after === 0));
    return { added: messages.length, messages };
  }
  const messages: Message[] = [];
  let cursor = after;
  for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
    const query = { room: room.name, after: cursor, limit: MAX_HISTORY_PAGE };
    const res = await request(socket, 'room:history', query);
    if (!res?.ok) break;
    messages.push(...room.addMessages(res.messages));
    const last = res.messages.at(-1);
    if (!last || res.messages.length < MAX_HISTORY_PAGE) break;
    cursor = last.id;
  }
  return { added: messages.length, messages };
}

/** One `room:history { before }` page above the oldest message held. */
export async function fetchOlder(socket: ChatSocket, room: RoomState): Promise<void> {
  const before = room.oldestId;
  if (before === undefined) return;
  const res = await request(socket, 'room:history', { room: room.name, before, limit: OLDER_PAGE });
  if (!res?.ok) return;
  room.addMessages(res.messages);
  room.hasOlder = res.messages.length >= OLDER_PAGE;
}
