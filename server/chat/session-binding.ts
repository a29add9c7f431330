import type { ChatSocket } from './chat-socket.js';
import { personOf, personRoom } from './person.js';

/**
 * Every socket of a session, on whichever node, is in the Socket.IO room `session:<hash>`: renames, a displaced
 * guest's new identity and "the rooms of a session" reach all of its tabs through it, and a cluster's adapter
 * sees the binding as a room change (so the socket's recovery record is written with it). The token itself is a
 * credential, so the room is named after its hash.
 */
export const sessionRoom = (token: string): string => personRoom(personOf(token));

/** Makes the socket one of the session's (or of none), in `socket.data` and in the session's room. */
export async function bindSession(socket: ChatSocket, token: string | undefined): Promise<void> {
  const previous = socket.data.sessionToken;
  if (previous !== undefined && previous !== token) await socket.leave(sessionRoom(previous));
  socket.data.sessionToken = token;
  if (token !== undefined) await socket.join(sessionRoom(token));
}
