import { createHmac } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import type { AuthErrorCode } from '../protocol/errors.js';
import type { ChatAuth, SignedIdentity } from '../protocol/events.js';
import { ChatError } from '../lib/ack.js';
import type { Logger } from '../lib/log.js';
import { MAX_GRANTED_ROOMS, MAX_NICK_CODE_POINTS } from '../protocol/limits.js';
import { SIGNED_SESSION_PREFIX } from '../stores/nicks.js';
import type { ChatSocket } from './chat-socket.js';
import { parseNick, parseRoom } from './parse.js';
import { isServerNamed } from './conversation-names.js';
import { isWellFormed } from './text-rules.js';

/** AUTH_SECRET is an HS256 key: at least as long as the hash (RFC 7518 §3.2). */
export const MIN_AUTH_SECRET_BYTES = 32;
/** A token may be valid for at most this long ahead; a longer one is refused, so a leaked token dies soon. */
export const MAX_TOKEN_LIFETIME_S = 24 * 60 * 60;
/** Longer `jwt` strings are refused before any parsing. */
const MAX_JWT_LENGTH = 4096;
/** The longest `sub` accepted, in UTF-16 code units (also for the admin API's user routes). */
export const MAX_SUB_LENGTH = 256;

/** Why a handshake's `jwt` was refused; becomes the `data.code` of the client's `connect_error`. */
export class IdentityError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Checks the host site's tokens and names the session each user gets. */
export interface Authenticator {
  /** The identity in a valid token; throws IdentityError otherwise. */
  verify(jwt: unknown): Promise<SignedIdentity>;
  /**
   * The session token of a user: the same for every tab and device of that `sub`, on every node (an HMAC under
   * AUTH_SECRET, so nobody without the secret can present it), and marked as signed (SIGNED_SESSION_PREFIX).
   */
  sessionToken(sub: string): string;
}

/** Verifies HS256 tokens with `jose` (no other algorithm, `none` included, is accepted). `now` is for tests. */
export function createAuthenticator(secret: string, now: () => number = Date.now): Authenticator {
  const key = new TextEncoder().encode(secret);
  return {
    async verify(jwt) {
      if (typeof jwt !== 'string' || jwt.length > MAX_JWT_LENGTH) {
        throw new IdentityError('AUTH_INVALID', `jwt must be a string of at most ${MAX_JWT_LENGTH} characters`);
      }
      const payload = await verified(jwt, key, now());
      return claimsToIdentity(payload, now());
    },
    sessionToken(sub) {
      return SIGNED_SESSION_PREFIX + createHmac('sha256', key).update(`session:${sub}`).digest('base64url');
    },
  };
}

async function verified(jwt: string, key: Uint8Array, nowMs: number): Promise<Record<string, unknown>> {
  try {
    const options = { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], currentDate: new Date(nowMs) };
    return (await jwtVerify(jwt, key, options)).payload;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new IdentityError('AUTH_EXPIRED', 'the jwt has expired');
    throw new IdentityError('AUTH_INVALID', `the jwt was refused: ${(err as Error).message}`);
  }
}

function claimsToIdentity(payload: Record<string, unknown>, nowMs: number): SignedIdentity {
  const { sub, name, exp, role, rooms } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUB_LENGTH || !isWellFormed(sub)) {
    throw new IdentityError('AUTH_INVALID', `sub must be a string of 1-${MAX_SUB_LENGTH} characters`);
  }
  if (typeof exp !== 'number' || exp * 1000 > nowMs + MAX_TOKEN_LIFETIME_S * 1000) {
    throw new IdentityError('AUTH_INVALID', 'exp must be at most 24 hours ahead');
  }
  if (role !== undefined && role !== 'moderator') throw new IdentityError('AUTH_INVALID', 'role must be "moderator"');
  const identity: SignedIdentity = {
    sub,
    name: checked('name', () => parseNick(fitName(name))),
    role: role ?? 'user',
    exp,
  };
  if (rooms !== undefined) identity.rooms = checked('rooms', () => parseGrantedRooms(rooms));
  return identity;
}

/** The claim's value as parsed, or AUTH_INVALID naming the claim. */
function checked<T>(claim: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ChatError) throw new IdentityError('AUTH_INVALID', `${claim}: ${err.message}`);
    throw err;
  }
}

/** The `rooms` claim: at most MAX_GRANTED_ROOMS valid room names, none of them a server-named conversation. */
function parseGrantedRooms(rooms: unknown): string[] {
  if (!Array.isArray(rooms) || rooms.length > MAX_GRANTED_ROOMS) {
    throw new ChatError('BAD_REQUEST', `an array of at most ${MAX_GRANTED_ROOMS} room names`);
  }
  const names = rooms.map(parseRoom);
  const reserved = names.find(isServerNamed);
  if (reserved !== undefined)
    throw new ChatError('ROOM_INVALID', `${reserved}: names starting with _ are the server's`);
  return [...new Set(names)];
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A site's display name may be longer than a nick: it is cut to its first MAX_NICK_CODE_POINTS code points,
 * at a character boundary (a letter keeps its accents), and trimmed. Every other nick rule still applies.
 *
 * @example fitName('Maximiliane Alexandra von Hohenberg-Ost') // 'Maximiliane Alexandra von Hohenb'
 */
export function fitName(name: unknown): unknown {
  if (typeof name !== 'string' || !isWellFormed(name)) return name;
  const full = name.normalize('NFC').trim();
  if ([...full].length <= MAX_NICK_CODE_POINTS) return full;
  let fitted = '';
  let length = 0;
  for (const { segment } of graphemes.segment(full)) {
    length += [...segment].length;
    if (length > MAX_NICK_CODE_POINTS) break;
    fitted += segment;
  }
  return fitted.trim();
}

/** What Socket.IO sends the client as `connect_error` when a middleware refuses: the message and `data`. */
type RefusedHandshake = Error & { data: { code: AuthErrorCode } };

/**
 * The /chat namespace middleware: a handshake with `auth.jwt` becomes that user (`socket.data.signed`) or is
 * refused with `{ code }`; one without stays a guest. Recovered connections skip it and keep `socket.data`.
 * Every refusal is logged at info with its code and reason (never the token), for the site's owner.
 */
export function authenticate(authenticator: Authenticator | undefined, log: Logger) {
  return (socket: ChatSocket, next: (err?: Error) => void): void => {
    const { jwt } = (socket.handshake.auth ?? {}) as ChatAuth;
    if (jwt === undefined) return next();
    const refuse = (err: unknown) => {
      const refused = refusal(err);
      const origin = socket.handshake.headers.origin;
      log.info({ code: refused.data.code, reason: refused.message, origin }, 'signed sign-in refused');
      next(refused);
    };
    if (!authenticator) return refuse(new IdentityError('AUTH_INVALID', 'signed identity is off on this server'));
    authenticator.verify(jwt).then((identity) => {
      socket.data.signed = identity;
      next();
    }, refuse);
  };
}

function refusal(err: unknown): RefusedHandshake {
  const known = err instanceof IdentityError;
  const refused = new Error(known ? err.message : 'the jwt was refused') as RefusedHandshake;
  refused.data = { code: known ? err.code : 'AUTH_INVALID' };
  return refused;
}
