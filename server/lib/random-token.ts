import { randomFillSync } from 'node:crypto';

/**
 * Bytes are drawn from the system's CSPRNG this many at a time. Every connection needs two tokens (its Engine.IO
 * id and its session's), and one `randomBytes` call each was 2% of a connection's set-up CPU at 18,000 clients
 * (docs/performance.md): Node's own `randomUUID` and engine.io's `base64id` pool the same way.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `bytes` random bytes as base64url (a credential or an unguessable id); no byte is ever handed out twice. */
export function randomToken(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} bytes`);
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const token = pool.toString('base64url', used, used + bytes);
  used += bytes;
  return token;
}
