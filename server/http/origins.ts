import type { IncomingMessage } from 'node:http';

/**
 * Which browser origins may connect and load the bundle: the server's own, plus `CORS_ORIGINS`.
 * Requests without an Origin header (non-browser clients, same-origin GETs) are not cross-origin.
 */
export function createOriginPolicy(allowed: readonly string[]) {
  const allowList = new Set(allowed);
  return {
    allowList,
    isAllowed(req: IncomingMessage): boolean {
      const origin = req.headers.origin;
      if (origin === undefined) return true;
      if (allowList.has(origin)) return true;
      const host = req.headers.host;
      try {
        return host !== undefined && new URL(origin).host === host;
      } catch {
        return false;
      }
    },
  };
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>;
