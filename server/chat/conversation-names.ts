import { createHash, randomBytes } from 'node:crypto';

/**
 * Names of the conversations the server creates. They start with `_`, which public rooms may not (parse.ts), so a
 * conversation's room name can never have been used publicly before; the rest is a hash (direct, support: the
 * same name for the same people on every node, so two opens at once make one conversation) or 128 random bits
 * (private rooms: a name nobody can guess). Host-granted rooms keep the site's names.
 */
const SERVER_NAMED = '_';

export const isServerNamed = (room: string): boolean => room.startsWith(SERVER_NAMED);

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 32);

/** The direct conversation of two people, whichever of them opens it. */
export const directRoom = (a: string, b: string): string => `_dm-${digest([a, b].sort().join('\n'))}`;

/** A visitor's one support conversation. */
export const supportRoom = (visitor: string): string => `_support-${digest(visitor)}`;

export const isSupportRoom = (room: string): boolean => room.startsWith('_support-');

/** A new private room's name: 128 random bits. */
export const privateRoom = (): string => `_p-${randomBytes(16).toString('base64url')}`;
