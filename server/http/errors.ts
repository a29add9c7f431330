import type Koa from 'koa';
import type { Logger } from '../lib/log.js';

/** JSON errors; 4xx messages are shown, anything else is logged and shown as a bare 500. */
export function errorResponder(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      const expose = status < 500; // body parsers throw 400s without koa's `expose` flag
      if (!expose) log.error({ err, path: ctx.path }, 'request failed');
      ctx.status = status;
      ctx.body = { error: expose ? (err as Error).message : 'internal error' };
    }
  };
}
