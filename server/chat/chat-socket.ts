import type { Namespace, Socket } from 'socket.io';
import type { ChatClientToServer, ChatServerToClient, ChatSocketData } from '../protocol/events.js';
import { isSupportRoom } from './conversation-names.js';

// The /chat namespace and its sockets, typed by the contract, and how chat rooms are named among Socket.IO rooms.

type NoInterServerEvents = Record<never, never>;
export type ChatNamespace = Namespace<ChatClientToServer, ChatServerToClient, NoInterServerEvents, ChatSocketData>;
export type ChatSocket = Socket<ChatClientToServer, ChatServerToClient, NoInterServerEvents, ChatSocketData>;

/** Socket.IO rooms of chat rooms are `room:<name>`, so a room name can never reach a socket's own id room. */
const ROOM_KEY_PREFIX = 'room:';
export const roomKey = (room: string): string => `${ROOM_KEY_PREFIX}${room}`;

/** The chat room of a Socket.IO room; undefined for the other kinds (a socket's own, a session's). */
export const roomOfKey = (key: string): string | undefined =>
  key.startsWith(ROOM_KEY_PREFIX) ? key.slice(ROOM_KEY_PREFIX.length) : undefined;

/** Names of the chat rooms a socket is in. */
export function joinedRooms(socket: { rooms: ReadonlySet<string> }): string[] {
  return [...socket.rooms].map(roomOfKey).filter((room) => room !== undefined);
}

/**
 * Every moderator's socket is in this room: the site's team is a member of every support conversation, including
 * those opened after it connected, without joining each one.
 */
export const SUPPORT_TEAM = 'team:support';

/** The Socket.IO rooms whatever happens in a chat room goes to: the room, and the team for a support conversation. */
export const audienceOf = (room: string): string[] =>
  isSupportRoom(room) ? [roomKey(room), SUPPORT_TEAM] : [roomKey(room)];

/** Whether the socket receives what happens in the room (and so may speak there). */
export const hears = (socket: { rooms: ReadonlySet<string> }, room: string): boolean =>
  socket.rooms.has(roomKey(room)) || (isSupportRoom(room) && socket.rooms.has(SUPPORT_TEAM));
