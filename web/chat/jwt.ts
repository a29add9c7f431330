/**
 * Reads the claims of a JWT's payload without verifying it: the browser only needs `exp` (to refresh in time)
 * and `sub` (to keep each user's stored session apart). The server verifies the signature at every handshake.
 * A few lines instead of `jose`'s `decodeJwt`, which would add its base64 and error modules to the bundle.
 */
export interface JwtClaims {
  sub?: string;
  /** Seconds since the epoch. */
  exp?: number;
}

/** The payload's `sub` and `exp`, or `{}` when the token is not a readable JWT. */
export function readJwtClaims(token: string): JwtClaims {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof claims !== 'object' || claims === null) return {};
    const { sub, exp } = claims as Record<string, unknown>;
    return {
      ...(typeof sub === 'string' ? { sub } : {}),
      ...(typeof exp === 'number' && Number.isFinite(exp) ? { exp } : {}),
    };
  } catch {
    return {};
  }
}

/** How long before `exp` a fresh token is fetched: a tenth of the lifetime left, between 5 s and 60 s. */
export function refreshDelayMs(exp: number, now = Date.now()): number {
  const left = exp * 1000 - now;
  const margin = Math.min(60_000, Math.max(5_000, left / 10));
  return Math.max(0, left - margin);
}
