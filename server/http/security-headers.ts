import type Koa from 'koa';

/** The admin console's page, at both of its paths. */
const ADMIN_PAGES = new Set(['/admin', '/admin.html']);

/**
 * Headers for every response. The pages load one module script from this origin and talk to it over
 * Socket.IO (`connect-src 'self'` covers ws: and wss: to the same host in CSP Level 3). Inline `<style>` stays
 * allowed: the pages use it, and so do hosts theming the components; styles cannot run script.
 * `frame-ancestors` decides who may frame the pages (FRAME_ANCESTORS); embedding with the script tag is not framing.
 */
export function securityHeaders(frameAncestors: readonly string[]): Koa.Middleware {
  const policy = (ancestors: readonly string[]) =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      `frame-ancestors ${ancestors.join(' ')}`,
    ].join('; ');
  const csp = policy(frameAncestors);
  // The admin console is never framed, whatever FRAME_ANCESTORS allows the chat: a frame could trick a
  // signed-in operator into clicking Unban or Erase (clickjacking).
  const consoleCsp = policy(["'none'"]);
  return async (ctx, next) => {
    ctx.set({
      'Content-Security-Policy': ADMIN_PAGES.has(ctx.path) ? consoleCsp : csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    await next();
  };
}
