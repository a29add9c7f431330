import { inTurns } from '../lib/in-turns.js';
import type { Membership } from '../lib/membership.js';
import { type ChatContext } from './context.js';
import { joinedRooms } from './chat-socket.js';
import { PRESENCE_DELIVERIES_PER_TURN } from './presence-announcer.js';

/**
 * /chat keeps its shared state right as nodes come and go: a dead node's members leave their rooms (exactly one
 * `left` per nick that leaves by it: the presence store decides, once) and its sessions keep the recovery window
 * for their clients to resume elsewhere; when the shared state may lack this node's part (at start, or after
 * Redis came back empty), the sessions, nicks and presence of this node's sockets are put back.
 */
export function followMembership(ctx: ChatContext, membership: Membership): void {
  membership.onNodeDown(async (node) => {
    const left = await ctx.presence.removeNode(node);
    const orphaned = await ctx.sessions.removeNode(node, ctx.recoveryWindowMs);
    await inTurns(
      left,
      PRESENCE_DELIVERIES_PER_TURN,
      (l) => l.count,
      (l) => ctx.announcer.announce(l.room, { left: l.nick }, l.count),
    );
    ctx.log.info({ node, left: left.length, sessions: orphaned.length }, 'a dead node left /chat');
  });
  membership.onReassert(() => reassertSockets(ctx));
}

async function reassertSockets(ctx: ChatContext): Promise<void> {
  for (const socket of ctx.nsp.sockets.values()) {
    const token = socket.data.sessionToken;
    if (token === undefined) continue;
    // This node's copy (CachedSessions): the store itself may have lost the session.
    const session = await ctx.sessions.get(token);
    const known =
      session?.nick !== undefined && session.nickKey !== undefined
        ? { nick: session.nick, key: session.nickKey }
        : undefined;
    await ctx.sessions.reassert(token, { id: socket.id, node: ctx.nodeId }, known);
    if (!known) continue;
    await ctx.nicks.reassert(known.key, { session: token, node: ctx.nodeId });
    for (const room of joinedRooms(socket)) {
      await ctx.presence.join(room, { nick: known.nick, session: token, socket: socket.id, node: ctx.nodeId });
    }
  }
}
