// Builds the server (dist/server.js) and the browser bundles with esbuild: the chat and the admin console
// (web/admin, dist/web/admin-<hash>.js, loaded only by /admin). Each is written under a content-hashed name
// (dist/web/chat-<hash>.js, served immutable); the chat's is copied to dist/web/chat.js, the stable URL
// embedders load; the pages of web/public are copied to dist/web pointing at the hashed name, and
// dist/web/.assets.json tells the server which file that is. Source maps of the bundle are written as files
// but not referenced from it: the server serves them only with SOURCE_MAPS=true (server/http/static.ts).
// Both bundle files are also written compressed at the highest levels (.br, .gz), which koa-send serves to
// clients that accept them; compressing 140 kB per request would cost the server tens of milliseconds.
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const common = { bundle: true, logLevel: 'warning', target: 'es2022' };
const WEB_OUT = 'dist/web';
const PAGES = 'web/public';

rmSync(WEB_OUT, { recursive: true, force: true }); // old hashed bundles would pile up

const [, web] = await Promise.all([
  build({
    ...common,
    sourcemap: true,
    entryPoints: ['server/main.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...common,
    sourcemap: 'external',
    entryPoints: { chat: 'web/index.ts', admin: 'web/admin/index.ts' },
    entryNames: '[name]-[hash]',
    outdir: WEB_OUT,
    platform: 'browser',
    format: 'esm',
    minify: true,
    metafile: true,
  }),
]);

/** Each bundle's content-hashed file name, by its stable name: chat.js (embedders load it too) and admin.js. */
const ENTRIES = { 'chat.js': 'web/index.ts', 'admin.js': 'web/admin/index.ts' };
const assets = {};
for (const [name, entry] of Object.entries(ENTRIES)) {
  const [bundlePath] = Object.entries(web.metafile.outputs).find(([, out]) => out.entryPoint === entry);
  assets[name] = basename(bundlePath);
  const stable = name === 'chat.js' ? [join(WEB_OUT, name)] : []; // only embedders need an unhashed URL
  for (const file of stable) copyFileSync(bundlePath, file);
  for (const file of [bundlePath, ...stable]) {
    const source = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${file}.gz`, gzipSync(source, { level: 9 }));
  }
}
writeFileSync(join(WEB_OUT, '.assets.json'), `${JSON.stringify(assets)}\n`);
for (const page of readdirSync(PAGES).filter((name) => name.endsWith('.html'))) {
  const html = readFileSync(join(PAGES, page), 'utf8');
  let rewritten = html;
  for (const [name, hashed] of Object.entries(assets))
    rewritten = rewritten.replaceAll(`src="/${name}"`, `src="/${hashed}"`);
  if (rewritten === html) throw new Error(`${page} loads neither /chat.js nor /admin.js`);
  writeFileSync(join(WEB_OUT, page), rewritten);
}
