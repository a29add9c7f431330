import { takeRequest } from '../lib/budget-key.js';
import { ChatError } from '../lib/ack.js';
import type { Notice } from '../protocol/events.js';
import type { Ban } from '../stores/bans.js';
import { type ChatContext, type ChatEvent, requireNick } from './context.js';
import { type ChatSocket, roomKey } from './chat-socket.js';
import { nickKey } from './nick-key.js';
import type { ParsedBan } from './parse.js';

/** What a moderation action needs, from a moderator's socket or the HTTP admin API alike. */
export type ModerationContext = Pick<
  ChatContext,
  'nsp' | 'nicks' | 'sessions' | 'presence' | 'bans' | 'history' | 'announcer' | 'log'
>;

/** `by` of the actions taken through the HTTP admin API. */
export const ADMIN = 'admin';

/** Throws BANNED when `nick` (or a look-alike) is banned from `room` now. */
export async function refuseBanned(ctx: Pick<ChatContext, 'bans'>, room: string, nick: string): Promise<void> {
  const ban = await ctx.bans.active(room, nickKey(nick), Date.now());
  if (!ban) return;
  const end = ban.until === null ? '' : ` until ${new Date(ban.until).toISOString()}`;
  throw new ChatError('BANNED', `you are banned from ${room}${end}`);
}

/**
 * Stores the ban, then takes the nick's sockets (on every node) out of the room with one `left` diff, then tells
 * the room and the banned sockets with a `notice`. `minutes` absent: no end.
 */
export async function banNick(ctx: ModerationContext, input: ParsedBan, by: string) {
  const { room, nick, minutes, reason } = input;
  const until = minutes === undefined ? null : Date.now() + Math.round(minutes * 60_000);
  const ban: Ban = { room, nick, nickKey: nickKey(nick), until, by, ...(reason === undefined ? {} : { reason }) };
  await ctx.bans.ban(ban);
  const holder = await holderOf(ctx, ban.nickKey);
  const key = roomKey(room);
  // Never `in([])`: a broadcast without rooms addresses every socket of the namespace.
  if (holder && holder.sockets.length > 0) {
    ctx.nsp.in(holder.sockets).socketsLeave(key);
    let left = false;
    let count = 0;
    for (const id of holder.sockets) {
      const change = await ctx.presence.leave(room, id);
      left ||= change.changed;
      count = change.count;
    }
    if (left) ctx.announcer.announce(room, { left: holder.nick }, count);
  }
  const notice: Notice = { room, type: 'ban', nick, by, until, ...(reason === undefined ? {} : { reason }) };
  ctx.nsp
    .to(key)
    .to(holder?.sockets ?? [])
    .emit('notice', notice);
  ctx.log.info({ by, room, nick, until }, 'nick banned');
  return { room, nick, until };
}

/** The session holding a nick key now: its nick and sockets (on any node). */
async function holderOf(ctx: ModerationContext, key: string): Promise<{ nick: string; sockets: string[] } | undefined> {
  const owner = await ctx.nicks.owner(key);
  const session = owner && (await ctx.sessions.get(owner.session));
  if (session?.nick === undefined) return undefined;
  return { nick: session.nick, sockets: Object.keys(session.sockets) };
}

/**
 * Moderators are peers (any may ban another), but a banned moderator may not lift its own ban: another moderator
 * or the admin API must. Returns the moderator's nick, the `by` of the unban.
 */
export function refuseOwnUnban(moderator: string, nick: string): string {
  if (nickKey(moderator) === nickKey(nick)) throw new ChatError('NOT_ALLOWED', 'another moderator must lift your ban');
  return moderator;
}

/** Ends a ban; the room gets a `notice` when there was one. Unbanning a nick that is not banned is `ok`. */
export async function unbanNick(ctx: ModerationContext, room: string, nick: string, by: string) {
  const wasBanned = await ctx.bans.unban(room, nickKey(nick));
  if (wasBanned) ctx.nsp.to(roomKey(room)).emit('notice', { room, type: 'unban', nick, by });
  ctx.log.info({ by, room, nick, wasBanned }, 'nick unbanned');
  return { room, nick };
}

/**
 * Removes a message's text from storage, then tells the room. A deleted one again is `ok` without a broadcast.
 * `by` (a moderator or `admin`) is logged with the message's author, never its text; an author deleting their
 * own message is not logged.
 */
export async function removeMessage(ctx: ModerationContext, room: string, id: number, by?: string) {
  const found = await ctx.history.find(room, id);
  if (!found) throw new ChatError('NOT_FOUND', `no message ${id} in ${room}`);
  const removed = await ctx.history.remove(room, id);
  if (removed) ctx.nsp.to(roomKey(room)).emit('message:deleted', { id, room });
  if (by !== undefined)
    ctx.log.info({ by, room, id, author: found.message.nick, removed }, 'message deleted by a moderator');
  return { room, id };
}

/** After a `message:delete` by a moderator's socket succeeded: the same log line as `removeMessage` with `by`. */
export function logModeratorDelete(ctx: ModerationContext, socket: ChatSocket, room: string, id: number): void {
  const { signed } = socket.data;
  if (signed?.role !== 'moderator') return;
  ctx.log.info({ by: signed.name, sub: signed.sub, room, id }, 'message deleted by a moderator');
}

/** The moderator checks of `room:ban` and `room:unban`: a nick, the request budget, the moderator role. */
export async function requireModerator(ev: ChatEvent): Promise<string> {
  const { ctx, socket } = ev;
  const { nick } = requireNick(ev);
  await takeRequest(ctx.limits, socket);
  if (socket.data.signed?.role !== 'moderator') throw new ChatError('NOT_ALLOWED', 'moderators only');
  return nick;
}
