import type Koa from 'koa';
import serve from 'koa-static';
import type { OriginPolicy } from './origins.js';

/**
 * The built web client (`dist/web`) and the pages (`web/public`). A module script from another origin
 * needs CORS headers, so origins in CORS_ORIGINS get them and can embed the components.
 */
export function staticFiles(dirs: readonly string[], origins: OriginPolicy): Koa.Middleware[] {
  const cors: Koa.Middleware = async (ctx, next) => {
    const origin = ctx.get('origin');
    if (origin && origins.allowList.has(origin)) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.vary('Origin');
    }
    await next();
  };
  return [cors, ...dirs.map((dir) => serve(dir, { maxage: 60_000 }))];
}
