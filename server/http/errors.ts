import type Koa from 'koa';
import type { Logger } from '../lib/log.js';

/**
 * JSON errors `{ error: string }` (docs/protocol.md, HTTP); 4xx messages are shown with the headers the error
 * carries (`Allow`, `Retry-After`), anything else is logged and shown as a bare 500.
 */
export function errorResponder(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status = 500, headers } = err as { status?: number; headers?: Record<string, string> };
      const expose = status < 500; // body parsers throw 400s without koa's `expose` flag
      if (!expose) log.error({ err, path: ctx.path }, 'request failed');
      if (expose && headers) ctx.set(headers);
      ctx.status = status;
      ctx.body = { error: expose ? (err as Error).message : 'internal error' };
    }
  };
}
