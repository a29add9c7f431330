import { ChatError } from '../lib/ack.js';
import { MAX_NICK_CODE_POINTS } from '../protocol/limits.js';
import type { SignedIdentity } from '../protocol/events.js';
import type { NickOwner } from '../stores/nicks.js';
import type { ChatContext, NamedSession } from './context.js';
import type { ChatSocket } from './chat-socket.js';
import { bindSession, sessionRoom } from './session-binding.js';
import { announceRename } from './session-rooms.js';
import { enterConversations } from './conversation-entry.js';
import { nickKey } from './nick-key.js';
import { parseNick } from './parse.js';

/** Variants tried for a renamed guest (`ana-2` … `ana-50`) before falling back to a random one. */
const MAX_VARIANTS = 50;

/**
 * A signed socket becomes its user: the session of its `sub` (shared by every tab and device, so the user is one
 * member of presence), holding the `name` claim as its nick, taken from a guest if need be. The socket is then
 * put in its conversations and told its identity. Run on every connect, recovered ones included, and on
 * `auth:refresh`, so a changed `name` renames the session and a changed `role` or `rooms` claim takes effect.
 */
export async function signIn(ctx: ChatContext, socket: ChatSocket, identity: SignedIdentity): Promise<NamedSession> {
  const token = ctx.authenticator!.sessionToken(identity.sub);
  let session = await ctx.sessions.open(token, { id: socket.id, node: ctx.nodeId });
  await bindSession(socket, token);
  if (session.nick !== identity.name) {
    const nick = await takeName(ctx, token, identity.name);
    const previous = session.nick;
    if (session.nickKey !== undefined && session.nickKey !== nickKey(nick)) {
      await ctx.nicks.release(session.nickKey, token);
    }
    session = (await ctx.sessions.setNick(token, nick, nickKey(nick))) ?? { ...session, nick };
    if (previous !== undefined && previous !== nick) await announceRename(ctx, session, previous, nick);
  }
  // Before `identity`: a client told who it is is in its conversations (and a moderator's in the team's room).
  await enterConversations(ctx, socket, session as NamedSession);
  socket.emit('identity', { nick: session.nick!, role: identity.role });
  return session as NamedSession;
}

/**
 * The name for a signed session: its own `name` when free or held by a guest (who is renamed), else, when
 * another signed user holds it, the first free variant.
 */
async function takeName(ctx: ChatContext, session: string, name: string): Promise<string> {
  const owner = { session, node: ctx.nodeId };
  const { won, displaced } = await ctx.nicks.seize(nickKey(name), owner);
  if (displaced) await renameDisplaced(ctx, displaced, name);
  return won ? name : freeVariant(ctx, name, owner);
}

/** A guest whose nick a signed user took gets a free variant, a `renamed` diff in its rooms and `identity`. */
async function renameDisplaced(ctx: ChatContext, displaced: NickOwner, name: string): Promise<void> {
  const guest = await ctx.sessions.get(displaced.session);
  if (!guest) return; // ended already: its sweep will not free the key, which is no longer its own
  const from = guest.nick ?? name;
  const variant = await freeVariant(ctx, from, displaced);
  const renamed = (await ctx.sessions.setNick(guest.token, variant, nickKey(variant))) ?? guest;
  await announceRename(ctx, renamed, from, variant);
  ctx.nsp.to(sessionRoom(guest.token)).emit('identity', { nick: variant, role: 'guest' });
}

/** Claims `name-2`, `name-3`, … (shortened to fit the nick limit) for `owner`, and returns the first it got. */
async function freeVariant(ctx: ChatContext, name: string, owner: NickOwner): Promise<string> {
  for (let n = 2; n <= MAX_VARIANTS; n++) {
    const suffix = `-${n}`;
    const base = [...name].slice(0, MAX_NICK_CODE_POINTS - suffix.length).join('');
    const variant = validNick(`${base}${suffix}`);
    if (variant !== undefined && (await ctx.nicks.claim(nickKey(variant), owner))) return variant;
  }
  const fallback = `guest-${Math.random().toString(36).slice(2, 10)}`;
  if (await ctx.nicks.claim(nickKey(fallback), owner)) return fallback;
  throw new Error(`no free variant of ${name}`);
}

function validNick(candidate: string): string | undefined {
  try {
    return parseNick(candidate);
  } catch (err) {
    if (err instanceof ChatError) return undefined;
    throw err;
  }
}
