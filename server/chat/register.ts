import type { Logger } from '../lib/log.js';
import type { Metrics } from '../lib/metrics.js';
import { withAck } from '../lib/ack.js';
import type { ChatAuth } from '../protocol/events.js';
import {
  type ChatContext,
  type ChatNamespace,
  type ChatSocket,
  type ChatStores,
  createLimits,
  joinedRooms,
  roomKey,
  sessionOf,
} from './context.js';
import { sendMessage, relayTyping } from './messages.js';
import { registerNick, releaseNick } from './nicks.js';
import { deleteMessage, editMessage } from './edits.js';
import { parseDelete, parseEdit, parseHistoryQuery, parseNick, parseRoom, parseSend, parseTyping } from './parse.js';
import {
  announceLeave,
  announceRecoveredRooms,
  joinRoom,
  leaveRoom,
  listRooms,
  roomHistory,
  roomMembers,
} from './rooms.js';
import { SessionTable } from './sessions.js';

/** Reasons after which the client is not coming back, so its nick is freed at once. */
const CLEAN_DISCONNECTS = new Set([
  'client namespace disconnect',
  'server namespace disconnect',
  'server shutting down',
]);

export interface ChatOptions extends ChatStores {
  log: Logger;
  metrics: Metrics;
  recoveryWindowMs: number;
}

/** The only place /chat events are bound. Returns a function that cancels pending session expiries. */
export function registerChat(nsp: ChatNamespace, options: ChatOptions): () => void {
  const ctx: ChatContext = { ...options, nsp, sessions: new SessionTable(), limits: createLimits() };
  const { log } = ctx;

  nsp.on('connection', (socket) => {
    void resumeSession(ctx, socket).catch((err) => log.error({ err }, 'resuming a session failed'));

    socket.on(
      'nick:register',
      withAck(ctx, 'nick:register', (raw) => registerNick(ctx, socket, parseNick(raw))),
    );
    socket.on(
      'room:join',
      withAck(ctx, 'room:join', (raw) => joinRoom(ctx, socket, parseRoom(raw))),
    );
    socket.on(
      'room:leave',
      withAck(ctx, 'room:leave', (raw) => leaveRoom(ctx, socket, parseRoom(raw))),
    );
    socket.on(
      'room:history',
      withAck(ctx, 'room:history', (raw) => roomHistory(ctx, socket, parseHistoryQuery(raw))),
    );
    socket.on(
      'room:members',
      withAck(ctx, 'room:members', (raw) => roomMembers(ctx, socket, parseRoom(raw))),
    );
    socket.on(
      'rooms:list',
      withAck(ctx, 'rooms:list', () => listRooms(ctx, socket)),
    );
    socket.on(
      'message:send',
      withAck(ctx, 'message:send', (raw) => sendMessage(ctx, socket, parseSend(raw))),
    );
    socket.on(
      'message:edit',
      withAck(ctx, 'message:edit', (raw) => editMessage(ctx, socket, parseEdit(raw))),
    );
    socket.on(
      'message:delete',
      withAck(ctx, 'message:delete', (raw) => deleteMessage(ctx, socket, parseDelete(raw))),
    );
    socket.on('typing', (raw) => {
      relayTyping(ctx, socket, parseTyping(raw)).catch((err) => log.error({ err }, 'typing relay failed'));
    });
    // By 'disconnect' the socket has left its rooms already; here they are still readable.
    socket.on('disconnecting', (reason) => {
      endSocket(ctx, socket, reason).catch((err) => log.error({ err }, 'disconnect cleanup failed'));
    });
  });

  return () => ctx.sessions.clear();
}

/**
 * A socket may arrive as a recovered connection (Socket.IO gave back its rooms and data) or with the
 * token of a live session (a reload, a second tab): either way it is that session, nick included.
 */
async function resumeSession(ctx: ChatContext, socket: ChatSocket): Promise<void> {
  if (!socket.recovered) {
    const { token } = socket.handshake.auth as ChatAuth;
    socket.data.sessionToken = ctx.sessions.get(token)?.token;
  }
  const session = sessionOf(ctx, socket);
  if (!session) {
    for (const room of joinedRooms(socket)) await socket.leave(roomKey(room));
    return;
  }
  ctx.sessions.attach(session, socket.id);
  if (socket.recovered && session.nick !== undefined) await announceRecoveredRooms(ctx, socket, session.nick);
}

async function endSocket(ctx: ChatContext, socket: ChatSocket, reason: string): Promise<void> {
  const rooms = joinedRooms(socket); // read before the first await: Socket.IO empties them right after this event
  const session = sessionOf(ctx, socket);
  await Promise.all(
    [ctx.limits.messages, ctx.limits.requests, ctx.limits.typing].map((limit) => limit.forget(socket.id)),
  );
  if (!session) return;
  if (session.nick !== undefined) {
    for (const room of rooms) await announceLeave(ctx, room, session.nick);
  }
  const graceMs = CLEAN_DISCONNECTS.has(reason) ? 0 : ctx.recoveryWindowMs;
  ctx.sessions.detach(session, socket.id, graceMs, (expired) => {
    releaseNick(ctx, expired).catch((err) => ctx.log.error({ err }, 'releasing a nick failed'));
  });
}
