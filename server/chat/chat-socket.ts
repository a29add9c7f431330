import type { Namespace, Socket } from 'socket.io';
import type { ChatClientToServer, ChatServerToClient, ChatSocketData } from '../protocol/events.js';

// The /chat namespace and its sockets, typed by the contract, and how chat rooms are named among Socket.IO rooms.

type NoInterServerEvents = Record<never, never>;
export type ChatNamespace = Namespace<ChatClientToServer, ChatServerToClient, NoInterServerEvents, ChatSocketData>;
export type ChatSocket = Socket<ChatClientToServer, ChatServerToClient, NoInterServerEvents, ChatSocketData>;

/** Socket.IO rooms of chat rooms are `room:<name>`, so a room name can never reach a socket's own id room. */
const ROOM_KEY_PREFIX = 'room:';
export const roomKey = (room: string): string => `${ROOM_KEY_PREFIX}${room}`;

/** Names of the chat rooms a socket is in. */
export function joinedRooms(socket: { rooms: ReadonlySet<string> }): string[] {
  return [...socket.rooms]
    .filter((key) => key.startsWith(ROOM_KEY_PREFIX))
    .map((key) => key.slice(ROOM_KEY_PREFIX.length));
}
