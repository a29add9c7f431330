import { ChatError } from '../lib/ack.js';
import { takeRequest } from '../lib/budget-key.js';
import { addressOf } from '../lib/client-address.js';
import type { Session } from '../stores/sessions.js';
import { type ChatContext, sessionOf } from './context.js';
import { type ChatSocket } from './chat-socket.js';
import { bindSession } from './session-binding.js';
import { announceRename } from './session-rooms.js';
import { ADMIN } from './moderation.js';
import { nickKey } from './nick-key.js';
import { sweepSessions } from './sessions.js';

/** `nick:register`: claim a nick for this socket's session, creating the session on first use. */
export async function registerNick(ctx: ChatContext, socket: ChatSocket, nick: string) {
  await takeRequest(ctx.limits, socket);
  let session = await sessionOf(ctx, socket);
  if (!session) {
    session = await createSession(ctx, socket);
    await bindSession(socket, session.token);
  }
  const previous = session.nick;
  if (previous === nick) return { nick, token: session.token };

  const key = nickKey(nick);
  if (key === ADMIN_KEY || !(await claim(ctx, key, session.token)))
    throw new ChatError('NICK_TAKEN', `${nick} is taken`);
  if (session.nickKey !== undefined && session.nickKey !== key) await ctx.nicks.release(session.nickKey, session.token);
  session = (await ctx.sessions.setNick(session.token, nick, key)) ?? session;
  if (previous !== undefined) await announceRename(ctx, session, previous, nick);
  return { nick, token: session.token };
}

/** `admin` signs what the HTTP admin API does (notices' `by`): no guest may pass for it, look-alikes included. */
const ADMIN_KEY = nickKey(ADMIN);

/**
 * A guest's new session, counted against MAX_SESSIONS_PER_ADDRESS of its client address; sessions that ended but
 * were not swept yet do not count (sweep, then try once more).
 */
async function createSession(ctx: ChatContext, socket: ChatSocket): Promise<Session> {
  const ref = { id: socket.id, node: ctx.nodeId };
  const limit = { address: addressOf(socket.conn), max: ctx.clientLimits.maxSessionsPerAddress };
  let created = await ctx.sessions.create(ref, limit);
  if (created === 'full') {
    await sweepSessions(ctx);
    created = await ctx.sessions.create(ref, limit);
  }
  if (created === 'full') throw new ChatError('LIMIT_EXCEEDED', `an address may hold ${limit.max} guest sessions`);
  return created;
}

/** A holder whose session expired but was not swept yet does not keep the nick: sweep, then try once more. */
async function claim(ctx: ChatContext, key: string, session: string): Promise<boolean> {
  const owner = { session, node: ctx.nodeId };
  if (await ctx.nicks.claim(key, owner)) return true;
  await sweepSessions(ctx);
  return ctx.nicks.claim(key, owner);
}
