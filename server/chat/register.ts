import type { Logger } from '../lib/log.js';
import type { Metrics } from '../lib/metrics.js';
import type { ChatLimits } from '../lib/rate-limit.js';
import { ChatError, withAck } from '../lib/ack.js';
import type { ChatAuth } from '../protocol/events.js';
import { isSignedSession } from '../stores/nicks.js';
import {
  type ChatContext,
  type ChatNamespace,
  type ChatSocket,
  type ChatStores,
  type NamedSession,
  joinedRooms,
  roomKey,
} from './context.js';
import { sendMessage, relayTyping } from './messages.js';
import { registerNick } from './nicks.js';
import { deleteMessage, editMessage } from './edits.js';
import { banNick, requireModerator, unbanNick } from './moderation.js';
import {
  parseBan,
  parseDelete,
  parseEdit,
  parseHistoryQuery,
  parseNick,
  parseRoom,
  parseSend,
  parseTyping,
  parseUnban,
} from './parse.js';
import { announceRecoveredRooms, joinRoom, leaveRoom, listRooms, roomHistory, roomMembers } from './rooms.js';
import { SESSION_SWEEP_MS, startSessionSweeper, sweepSessions } from './sessions.js';
import { PresenceGrace } from './presence-grace.js';
import { signIn } from './sign-in.js';
import { type Authenticator, authenticate } from './signed-identity.js';
import { capSocketsPerSession } from './session-cap.js';
import type { ClientLimits } from '../lib/client-limits.js';
import type { PresenceAnnouncer } from './presence-announcer.js';
import { PRESENCE_GRACE_MS } from '../protocol/limits.js';

/** Reasons after which the client may only come back as a reload: the session waits out the presence grace. */
const CLEAN_DISCONNECTS = new Set([
  'client namespace disconnect',
  'server namespace disconnect',
  'server shutting down',
]);

export interface ChatOptions extends ChatStores {
  log: Logger;
  metrics: Metrics;
  limits: ChatLimits;
  clientLimits: ClientLimits;
  recoveryWindowMs: number;
  nodeId: string;
  sessionSweepMs?: number;
  /** Default PRESENCE_GRACE_MS. */
  presenceGraceMs?: number;
  /** Every presence change of /chat goes out through it; the composition root owns (and stops) it. */
  announcer: PresenceAnnouncer;
  relayTyping?: ChatContext['relayTyping'];
  shutdownIsCut?: boolean;
  onSessionChange?: ChatContext['onSessionChange'];
  /** Signed identity (AUTH_SECRET); undefined = off. */
  authenticator?: Authenticator | undefined;
  /** GUESTS; default true. */
  guests?: boolean;
}

/** Runs tasks one after the other, whatever each one's outcome. */
function inSequence(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * The only place /chat events are bound. Returns a function that stops the session sweeper and the presence
 * grace timers, and resolves once the disconnect handling of every socket has finished.
 */
export function registerChat(nsp: ChatNamespace, options: ChatOptions): () => Promise<void> {
  const presenceGrace = new PresenceGrace(options.presenceGraceMs ?? PRESENCE_GRACE_MS);
  const ctx: ChatContext = { ...options, nsp, presenceGrace, guests: options.guests ?? true };
  const { log } = ctx;
  const endings = new Set<Promise<void>>();
  nsp.use(authenticate(ctx.authenticator));
  nsp.use(capSocketsPerSession(ctx)); // the last middleware: it attaches the socket to its session

  nsp.on('connection', (socket) => {
    // Session changes of one socket (resume, register, disconnect) run in order; other events wait for the resume.
    const sessionStep = inSequence();
    const resumed = sessionStep(() => resumeSession(ctx, socket)).catch((err) =>
      log.error({ err }, 'resuming a session failed'),
    );
    const bind = <T extends object>(event: string, handle: (raw: unknown) => Promise<T>) =>
      withAck(ctx, event, async (raw) => {
        await resumed;
        return handle(raw);
      });

    socket.on(
      'nick:register',
      withAck(ctx, 'nick:register', (raw) => {
        refuseRegistration(ctx, socket);
        return sessionStep(() => registerNick(ctx, socket, parseNick(raw)));
      }),
    );
    socket.on(
      'room:join',
      bind('room:join', (raw) => joinRoom(ctx, socket, parseRoom(raw))),
    );
    socket.on(
      'room:leave',
      bind('room:leave', (raw) => leaveRoom(ctx, socket, parseRoom(raw))),
    );
    socket.on(
      'room:history',
      bind('room:history', (raw) => roomHistory(ctx, socket, parseHistoryQuery(raw))),
    );
    socket.on(
      'room:members',
      bind('room:members', (raw) => roomMembers(ctx, socket, parseRoom(raw))),
    );
    socket.on(
      'rooms:list',
      bind('rooms:list', () => listRooms(ctx, socket)),
    );
    socket.on(
      'message:send',
      bind('message:send', (raw) => sendMessage(ctx, socket, parseSend(raw))),
    );
    socket.on(
      'message:edit',
      bind('message:edit', (raw) => editMessage(ctx, socket, parseEdit(raw))),
    );
    socket.on(
      'message:delete',
      bind('message:delete', (raw) => deleteMessage(ctx, socket, parseDelete(raw))),
    );
    socket.on(
      'room:ban',
      bind('room:ban', async (raw) => banNick(ctx, parseBan(raw), await requireModerator(ctx, socket))),
    );
    socket.on(
      'room:unban',
      bind('room:unban', async (raw) => {
        const { room, nick } = parseUnban(raw);
        return unbanNick(ctx, room, nick, await requireModerator(ctx, socket));
      }),
    );
    socket.on('typing', (raw) => {
      relayTyping(ctx, socket, parseTyping(raw)).catch((err) => log.error({ err }, 'typing relay failed'));
    });
    // By 'disconnect' the socket has left its rooms already; here they are still readable.
    socket.on('disconnecting', (reason) => {
      const rooms = joinedRooms(socket);
      const ending = sessionStep(() => endSocket(ctx, socket, rooms, reason)).catch((err) =>
        log.error({ err }, 'disconnect cleanup failed'),
      );
      endings.add(ending);
      void ending.finally(() => endings.delete(ending));
    });
  });

  const stopSweeper = startSessionSweeper(ctx, options.sessionSweepMs ?? SESSION_SWEEP_MS);
  return async () => {
    stopSweeper();
    ctx.presenceGrace.stop();
    await Promise.all(endings); // a closing server records its sockets' ends before its stores close
  };
}

/** Signed users' nicks come from their token; with GUESTS=off nobody else gets one. */
function refuseRegistration(ctx: ChatContext, socket: ChatSocket): void {
  if (socket.data.signed) throw new ChatError('NOT_ALLOWED', 'a signed user takes the name from the token');
  if (!ctx.guests) throw new ChatError('NOT_ALLOWED', 'guests may not chat here: sign in on the site');
}

/**
 * A socket may arrive as a recovered connection (Socket.IO gave back its rooms and data) or with the
 * token of a live session (a reload, a second tab): either way it is that session, nick included.
 */
async function resumeSession(ctx: ChatContext, socket: ChatSocket): Promise<void> {
  if (socket.data.signed && ctx.authenticator) {
    const session = await signIn(ctx, socket, socket.data.signed);
    if (socket.recovered) await announceRecoveredRooms(ctx, socket, session);
    return;
  }
  delete socket.data.signed; // recovered on a node without AUTH_SECRET: a guest here
  const token = socket.recovered ? socket.data.sessionToken : (socket.handshake.auth as ChatAuth).token;
  // A guest never attaches to a signed user's session, whatever token it presents.
  const guestToken = typeof token === 'string' && !isSignedSession(token) ? token : undefined;
  // Already attached by capSocketsPerSession unless recovered; attaching again is a no-op then.
  const attached =
    guestToken !== undefined ? await ctx.sessions.attach(guestToken, { id: socket.id, node: ctx.nodeId }) : undefined;
  const session = attached === 'full' ? undefined : attached;
  socket.data.sessionToken = session?.token;
  ctx.onSessionChange?.(socket);
  if (!session) {
    for (const room of joinedRooms(socket)) await socket.leave(roomKey(room));
    return;
  }
  if (socket.recovered && session.nick !== undefined) {
    await announceRecoveredRooms(ctx, socket, session as NamedSession);
  }
}

async function endSocket(ctx: ChatContext, socket: ChatSocket, rooms: string[], reason: string): Promise<void> {
  const token = socket.data.sessionToken;
  if (token === undefined) return;
  const nick = (await ctx.sessions.get(token))?.nick;
  if (nick !== undefined) await ctx.presenceGrace.leaveLater(ctx, token, socket.id, nick, rooms);
  // A clean disconnect may be a reload: the session waits out the presence grace for the same token. A cluster
  // node that shuts down is different: its clients come back on another node, so that is a cut.
  const clean = CLEAN_DISCONNECTS.has(reason) && !(reason === 'server shutting down' && ctx.shutdownIsCut === true);
  const graceMs = clean ? ctx.presenceGrace.graceMs : ctx.recoveryWindowMs;
  const { lastSocketGone } = await ctx.sessions.detach(token, socket.id, graceMs);
  if (lastSocketGone && graceMs === 0) await sweepSessions(ctx);
}
