import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Koa from 'koa';
import compress from 'koa-compress';
import serve from 'koa-static';
import type { OriginPolicy } from './origins.js';

/** Written by scripts/build.mjs next to the bundle: which content-hashed file `/chat.js` is a copy of. */
export const ASSETS_FILE = '.assets.json';
interface Assets {
  'chat.js': string;
  'admin.js'?: string;
}

/** Pages served at a path without `.html`: the admin console. */
const PAGE_PATHS: Record<string, string> = { '/admin': '/admin.html' };

/** esbuild's `[name]-[hash]` output names: the content decides the name, so the file never changes. */
const HASHED = /-[A-Z0-9]{8}\.js(\.map)?$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

function readAssets(dirs: readonly string[]): Assets | undefined {
  const file = dirs.map((dir) => join(dir, ASSETS_FILE)).find((path) => existsSync(path));
  return file === undefined ? undefined : (JSON.parse(readFileSync(file, 'utf8')) as Assets);
}

/**
 * The built web client (`dist/web`: the bundle and the pages that load it) and `web/public`, compressed:
 * the bundle from the `.br`/`.gz` files the build wrote (koa-send), the rest on the fly (koa-compress). Caching: `/chat-<hash>.js`, the URL the pages load, is immutable for a
 * year; everything else, `/chat.js` for embedders and the pages included, is revalidated on each use (ETag or
 * Last-Modified, 304 when unchanged), so a deploy reaches every page at once. Source maps are served only
 * when `sourceMaps` is on, and then announced with a `SourceMap` header (the bundle carries no comment).
 * Every response varies by Origin, because origins in CORS_ORIGINS get CORS headers and others do not.
 */
export function staticFiles(dirs: readonly string[], origins: OriginPolicy, sourceMaps: boolean): Koa.Middleware[] {
  const assets = readAssets(dirs);
  const hashedBundle = assets?.['chat.js'];
  const cors: Koa.Middleware = async (ctx, next) => {
    ctx.vary('Origin');
    const origin = ctx.get('origin');
    if (origin && origins.allowList.has(origin)) ctx.set('Access-Control-Allow-Origin', origin);
    else if (origin) origins.isAllowed(ctx.req); // a foreign page loading the bundle: logged (blank widget)
    await next();
  };
  const maps: Koa.Middleware = async (ctx, next) => {
    if (ctx.path.endsWith('.map') && !sourceMaps) return; // not found
    await next();
  };
  const caching: Koa.Middleware = async (ctx, next) => {
    await next();
    if (ctx.status !== 200 || !ctx.body || !['GET', 'HEAD'].includes(ctx.method)) return;
    const hashed = HASHED.test(ctx.path);
    ctx.set('Cache-Control', hashed ? IMMUTABLE : 'no-cache');
    if (hashedBundle !== undefined && (ctx.path === '/chat.js' || ctx.path === `/${hashedBundle}`)) {
      ctx.etag = hashedBundle; // the content hash
      if (sourceMaps) ctx.set('SourceMap', `/${hashedBundle}.map`);
    }
    if (ctx.fresh) {
      ctx.status = 304;
      ctx.body = null;
    }
  };
  const pages: Koa.Middleware = async (ctx, next) => {
    const page = PAGE_PATHS[ctx.path];
    if (page !== undefined) ctx.path = page;
    await next();
  };
  return [compress(), cors, caching, maps, pages, ...dirs.map((dir) => serve(dir))];
}
