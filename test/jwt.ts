import { SignJWT } from 'jose';

/** The AUTH_SECRET of test servers that accept signed identities (at least 32 bytes, as the server demands). */
export const TEST_AUTH_SECRET = 'parley-test-secret-0123456789abcdef';

export interface TestClaims {
  sub?: unknown;
  name?: unknown;
  role?: unknown;
  /** Private rooms the host site grants (the `rooms` claim). */
  rooms?: unknown;
  /** Seconds since the epoch; default one hour ahead; null leaves `exp` out. */
  exp?: number | null;
}

export interface SignOptions {
  secret?: string;
  /** Any HMAC algorithm jose signs with; the server accepts only HS256. */
  alg?: 'HS256' | 'HS384' | 'HS512';
}

/** Seconds since the epoch, `seconds` from now. */
export const inSeconds = (seconds: number): number => Math.floor(Date.now() / 1000) + seconds;

/**
 * A token as the host site's backend signs it, with jose.
 *
 * @example await signJwt({ sub: 'u1', name: 'Ana', role: 'moderator' })
 */
export async function signJwt(claims: TestClaims, options: SignOptions = {}): Promise<string> {
  const { exp = inSeconds(3600), ...rest } = claims;
  const payload: Record<string, unknown> = { ...rest };
  if (exp !== null) payload.exp = exp;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .sign(new TextEncoder().encode(options.secret ?? TEST_AUTH_SECRET));
}

/** An unsecured token (`alg: "none"`, empty signature): what an attacker sends hoping the server skips the check. */
export function unsignedJwt(claims: TestClaims): string {
  const { exp = inSeconds(3600), ...rest } = claims;
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...rest, exp })}.`;
}
