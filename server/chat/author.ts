import { createHash } from 'node:crypto';
import { SIGNED_AUTHOR_PREFIX } from '../stores/history.js';
import type { ChatSocket } from './chat-socket.js';

/**
 * Who a socket is as the author of what it sends: a signed user's `sub` (the same on every tab, device and node,
 * and after the session ends), or a guest's session. The right to edit and delete a message follows this, never
 * the nick: a nick is free again once its session ends, and look-alikes of a signed user's name may be taken
 * by guests then (hardening round 2, item 2). A guest's session token is a bearer credential, so only a hash of
 * it is stored.
 */
export function authorOf(socket: ChatSocket): string | undefined {
  const { signed, sessionToken } = socket.data;
  if (signed) return `${SIGNED_AUTHOR_PREFIX}${signed.sub}`;
  if (sessionToken === undefined) return undefined;
  return `guest:${createHash('sha256').update(sessionToken).digest('base64url').slice(0, 22)}`;
}
