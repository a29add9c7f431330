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
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
