/** Every error code the server sends in `{ ok: false, error: { code, message } }`. See docs/protocol.md. */
export const ERROR_CODES = [
  'NICK_TAKEN',
  'NICK_INVALID',
  'NICK_REQUIRED',
  'ROOM_INVALID',
  'NOT_IN_ROOM',
  'MESSAGE_INVALID',
  'RATE_LIMITED',
  'LIMIT_EXCEEDED',
  'BAD_REQUEST',
  'TOPIC_INVALID',
  'NOT_ALLOWED',
  'NOT_FOUND',
  'BANNED',
  'INTERNAL',
  // `auth:refresh` only: the new token is refused or has expired (the same codes as a refused handshake).
  'AUTH_INVALID',
  'AUTH_EXPIRED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes in the `data` of a `/chat` `connect_error` (the namespace refused the handshake): `{ code }`.
 * `AUTH_INVALID`: the `jwt` is malformed, wrongly signed, of another algorithm, has bad claims, or signed identity
 * is off (no AUTH_SECRET); `AUTH_EXPIRED`: its `exp` has passed. See docs/protocol.md, "Signed identity".
 * `LIMIT_EXCEEDED`: the session (a signed user: all its tabs and devices) holds MAX_SOCKETS_PER_SESSION sockets.
 */
export const CONNECT_ERROR_CODES = ['AUTH_INVALID', 'AUTH_EXPIRED', 'LIMIT_EXCEEDED'] as const;

/** The handshake refusals that are about the signed token (the others are not fixed by a fresh one). */
export type AuthErrorCode = Exclude<ConnectErrorCode, 'LIMIT_EXCEEDED'>;

export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];
