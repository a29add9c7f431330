import { takeRequest } from '../lib/budget-key.js';
import { ChatError } from '../lib/ack.js';
import type { Notice } from '../protocol/events.js';
import type { AuditActor } from '../stores/audit.js';
import type { Ban } from '../stores/bans.js';
import { type ChatContext, type ChatEvent, requireNick } from './context.js';
import { audienceOf, roomKey } from './chat-socket.js';
import { nickKey } from './nick-key.js';
import type { ParsedBan } from './parse.js';

/** What a moderation action needs, from a moderator's socket or the HTTP admin API alike. */
export type ModerationContext = Pick<
  ChatContext,
  'nsp' | 'nicks' | 'sessions' | 'presence' | 'bans' | 'history' | 'announcer' | 'log' | 'reports'
>;

/** `by` of the actions taken through the HTTP admin API (in notices, bans and the log). */
export const ADMIN = 'admin';

/** The HTTP admin API, as the actor of its audit entries. */
export const ADMIN_API: AuditActor = 'admin-api';

/** The `by` of notices, bans and log lines: the moderator's nick, or `admin`. */
export const byOf = (actor: AuditActor): string => (actor === 'admin-api' ? ADMIN : actor.nick);

/** The actor's `sub` for log lines (a moderator's), beside `by`. */
export const subOf = (actor: AuditActor) => (actor === 'admin-api' ? {} : { sub: actor.sub });

/** Throws BANNED when `nick` (or a look-alike) is banned from `room` now. */
export async function refuseBanned(ctx: Pick<ChatContext, 'bans'>, room: string, nick: string): Promise<void> {
  const ban = await ctx.bans.active(room, nickKey(nick), Date.now());
  if (!ban) return;
  const end = ban.until === null ? '' : ` until ${new Date(ban.until).toISOString()}`;
  throw new ChatError('BANNED', `you are banned from ${room}${end}`);
}

/**
 * How an action records itself: by default its own audit entry; `audited: false` when it is part of a larger
 * action that writes the one entry (resolving a report: chat/report-resolution.ts).
 */
export interface AuditChoice {
  audited?: boolean;
}

/**
 * Stores the ban with its audit entry, then takes the nick's sockets (on every node) out of the room with one
 * `left` diff, then tells the room and the banned sockets with a `notice`. `minutes` absent: no end.
 */
export async function banNick(ctx: ModerationContext, input: ParsedBan, actor: AuditActor, how: AuditChoice = {}) {
  const { room, nick, minutes, reason } = input;
  const [by, at] = [byOf(actor), Date.now()];
  const until = minutes === undefined ? null : at + Math.round(minutes * 60_000);
  const ban: Ban = { room, nick, nickKey: nickKey(nick), until, by, at, ...(reason === undefined ? {} : { reason }) };
  const audit = { actor, action: 'ban', room, target: nick, reason: reason ?? null } as const;
  await ctx.bans.ban(ban, how.audited === false ? undefined : audit);
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
    .to(audienceOf(room))
    .to(holder?.sockets ?? [])
    .emit('notice', notice);
  ctx.log.info({ by, ...subOf(actor), room, nick, until }, 'nick banned');
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
 * or the admin API must. Returns the moderator, the actor of the unban.
 */
export function refuseOwnUnban(moderator: AuditActor, nick: string): AuditActor {
  if (nickKey(byOf(moderator)) === nickKey(nick)) {
    throw new ChatError('NOT_ALLOWED', 'another moderator must lift your ban');
  }
  return moderator;
}

/**
 * Ends a ban, with its audit entry; the room gets a `notice` when there was one. Unbanning a nick that is not
 * banned is `ok`, and neither announced nor audited.
 */
export async function unbanNick(ctx: ModerationContext, room: string, nick: string, actor: AuditActor) {
  const by = byOf(actor);
  const audit = { actor, action: 'unban', room, target: nick, reason: null } as const;
  const wasBanned = await ctx.bans.unban(room, nickKey(nick), audit);
  if (wasBanned) ctx.nsp.to(audienceOf(room)).emit('notice', { room, type: 'unban', nick, by });
  ctx.log.info({ by, ...subOf(actor), room, nick, wasBanned }, 'nick unbanned');
  return { room, nick };
}

/**
 * Removes a message's text from storage, then tells the room. A deleted one again is `ok` without a broadcast.
 * With an `actor` (a moderator deleting someone else's message, or the admin API) the delete is audited in the
 * same transaction and logged with the message's author, never its text; an author deleting their own message is
 * neither.
 */
export async function removeMessage(
  ctx: ModerationContext,
  room: string,
  id: number,
  actor?: AuditActor,
  how: AuditChoice = {},
) {
  const found = await ctx.history.find(room, id);
  if (!found) throw new ChatError('NOT_FOUND', `no message ${id} in ${room}`);
  const audited = actor !== undefined && how.audited !== false;
  const audit = audited ? ({ actor, action: 'delete', room, target: String(id), reason: null } as const) : undefined;
  const removed = await ctx.history.remove(room, id, audit);
  if (removed) ctx.nsp.to(audienceOf(room)).emit('message:deleted', { id, room });
  if (actor !== undefined) {
    const author = found.message.nick;
    ctx.log.info({ by: byOf(actor), ...subOf(actor), room, id, author, removed }, 'message deleted by a moderator');
  }
  return { room, id };
}

/** A signed moderator's socket as the actor of its moderation; undefined for everyone else. */
export function moderatorOf(ev: ChatEvent): AuditActor | undefined {
  const { signed } = ev.socket.data;
  const nick = ev.session?.nick;
  if (signed?.role !== 'moderator' || nick === undefined) return undefined;
  return { nick, sub: signed.sub };
}

/** The moderator checks of `room:ban` and `room:unban`: a nick, the request budget, the moderator role. */
export async function requireModerator(ev: ChatEvent): Promise<AuditActor> {
  const { ctx, socket } = ev;
  const { nick } = requireNick(ev);
  await takeRequest(ctx.limits, socket);
  const { signed } = socket.data;
  if (signed?.role !== 'moderator') throw new ChatError('NOT_ALLOWED', 'moderators only');
  return { nick, sub: signed.sub };
}
