import type { Namespace, Socket } from 'socket.io';
import type { Logger } from '../lib/log.js';
import type { Metrics } from '../lib/metrics.js';
import { ChatError } from '../lib/ack.js';
import { MESSAGE_LIMIT, REQUEST_LIMIT, SocketRateLimiter, TYPING_LIMIT } from '../lib/rate-limit.js';
import type { ChatClientToServer, ChatServerToClient, ChatSocketData } from '../protocol/events.js';
import type { HistoryStore } from '../stores/history.js';
import type { NickRegistry } from '../stores/nicks.js';
import type { PresenceRegistry } from '../stores/presence.js';
import type { Session, SessionTable } from './sessions.js';

type NoInterServerEvents = Record<never, never>;
export type ChatNamespace = Namespace<ChatClientToServer, ChatServerToClient, NoInterServerEvents, ChatSocketData>;
export type ChatSocket = Socket<ChatClientToServer, ChatServerToClient, NoInterServerEvents, ChatSocketData>;

export interface ChatStores {
  history: HistoryStore;
  nicks: NickRegistry;
  presence: PresenceRegistry;
}

/** Everything the /chat handlers share; built once per namespace by `registerChat`. */
export interface ChatContext extends ChatStores {
  nsp: ChatNamespace;
  log: Logger;
  metrics: Metrics;
  sessions: SessionTable;
  limits: { messages: SocketRateLimiter; requests: SocketRateLimiter; typing: SocketRateLimiter };
  recoveryWindowMs: number;
}

export function createLimits(): ChatContext['limits'] {
  return {
    messages: new SocketRateLimiter(MESSAGE_LIMIT),
    requests: new SocketRateLimiter(REQUEST_LIMIT),
    typing: new SocketRateLimiter(TYPING_LIMIT),
  };
}

/** Socket.IO rooms of chat rooms are `room:<name>`, so a room name can never reach a socket's own id room. */
const ROOM_KEY_PREFIX = 'room:';
export const roomKey = (room: string): string => `${ROOM_KEY_PREFIX}${room}`;

/** Names of the chat rooms a socket is in. */
export function joinedRooms(socket: ChatSocket): string[] {
  return [...socket.rooms]
    .filter((key) => key.startsWith(ROOM_KEY_PREFIX))
    .map((key) => key.slice(ROOM_KEY_PREFIX.length));
}

export function sessionOf(ctx: ChatContext, socket: ChatSocket): Session | undefined {
  return ctx.sessions.get(socket.data.sessionToken);
}

/** The server's record of who this socket is; never a payload field. */
export function requireNick(ctx: ChatContext, socket: ChatSocket): string {
  const nick = sessionOf(ctx, socket)?.nick;
  if (nick === undefined) throw new ChatError('NICK_REQUIRED', 'register a nick first');
  return nick;
}
