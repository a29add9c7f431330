import { takeRequest } from '../lib/budget-key.js';
import { ChatError } from '../lib/ack.js';
import type { Notice } from '../protocol/events.js';
import type { Ban } from '../stores/bans.js';
import { type ChatContext, type ChatSocket, requireNick, roomKey } from './context.js';
import { nickKey } from './nick-key.js';
import type { ParsedBan } from './parse.js';

/** What a moderation action needs, from a moderator's socket or the HTTP admin API alike. */
export type ModerationContext = Pick<
  ChatContext,
  'nsp' | 'nicks' | 'sessions' | 'presence' | 'bans' | 'history' | 'announcer'
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
  const { room, nick, minutes } = input;
  const until = minutes === undefined ? null : Date.now() + Math.round(minutes * 60_000);
  const ban: Ban = { room, nick, nickKey: nickKey(nick), until, by };
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
  const notice: Notice = { room, type: 'ban', nick, by, until };
  ctx.nsp
    .to(key)
    .to(holder?.sockets ?? [])
    .emit('notice', notice);
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
  if (await ctx.bans.unban(room, nickKey(nick))) {
    ctx.nsp.to(roomKey(room)).emit('notice', { room, type: 'unban', nick, by });
  }
  return { room, nick };
}

/** Removes a message's text from storage, then tells the room. A deleted one again is `ok` without a broadcast. */
export async function removeMessage(ctx: ModerationContext, room: string, id: number) {
  if (!(await ctx.history.find(room, id))) throw new ChatError('NOT_FOUND', `no message ${id} in ${room}`);
  if (await ctx.history.remove(room, id)) ctx.nsp.to(roomKey(room)).emit('message:deleted', { id, room });
  return { room, id };
}

/** The moderator checks of `room:ban` and `room:unban`: a nick, the request budget, the moderator role. */
export async function requireModerator(ctx: ChatContext, socket: ChatSocket): Promise<string> {
  const { nick } = await requireNick(ctx, socket);
  await takeRequest(ctx.limits, socket);
  if (socket.data.signed?.role !== 'moderator') throw new ChatError('NOT_ALLOWED', 'moderators only');
  return nick;
}
