import type { Message } from '../protocol/events.js';
import { SIGNED_AUTHOR_PREFIX } from './history.js';

/**
 * A row of `messages` as either driver returns it: better-sqlite3 gives integers and `deleted` as 0/1, `pg` gives
 * bigints as strings (they may exceed 2^53; ours never do) and `deleted` as a boolean.
 */
export interface MessageRow {
  id: number | string;
  room: string;
  nick: string;
  author: string | null;
  text: string;
  ts: number | string;
  client_id: string | null;
  edited_at: number | string | null;
  deleted: number | boolean;
}

/** The wire message of a stored row: the history's pages and a conversation's `lastMessage` show it the same. */
export function toMessage(row: MessageRow): Message {
  const [id, ts] = [Number(row.id), Number(row.ts)];
  const { room, nick } = row;
  const signed = row.author?.startsWith(SIGNED_AUTHOR_PREFIX) ? ({ signed: true } as const) : {};
  if (row.deleted) return { id, room, nick, ts, text: '', deleted: true, ...signed };
  const message: Message = { id, room, nick, text: row.text, ts, ...signed };
  if (row.client_id !== null) message.clientId = row.client_id;
  if (row.edited_at !== null) message.editedAt = Number(row.edited_at);
  return message;
}
