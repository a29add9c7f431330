import { createHash } from 'node:crypto';

/**
 * A person is what memberships of conversations belong to: a signed user (one session per `sub`, the same on
 * every tab, device and node, and after a restart) or a guest session (for as long as the session lives). Both
 * are named by a hash of the session token, which is a bearer credential and so never stored itself.
 */
export const personOf = (sessionToken: string): string =>
  createHash('sha256').update(sessionToken).digest('base64url').slice(0, 22);

/**
 * Every socket of a person, on whichever node, is in this Socket.IO room (session-binding.ts): joining it to a
 * conversation, telling it about one, or taking it out of one reaches all of its tabs at once.
 */
export const personRoom = (person: string): string => `session:${person}`;
