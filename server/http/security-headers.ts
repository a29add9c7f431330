import type Koa from 'koa';

/**
 * Headers for every response. The pages load one module script from this origin and talk to it over
 * Socket.IO (`connect-src 'self'` covers ws: and wss: to the same host in CSP Level 3). Inline `<style>` stays
 * allowed: the pages use it, and so do hosts theming the components; styles cannot run script.
 * `frame-ancestors` decides who may frame the pages (FRAME_ANCESTORS); embedding with the script tag is not framing.
 */
export function securityHeaders(frameAncestors: readonly string[]): Koa.Middleware {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.join(' ')}`,
  ].join('; ');
  return async (ctx, next) => {
    ctx.set({
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    await next();
  };
}
