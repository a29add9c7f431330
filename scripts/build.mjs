// Builds the server (dist/server.js) and the browser bundle (dist/web/chat.js) with esbuild.
import { build } from 'esbuild';

const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'es2022' };

await Promise.all([
  build({
    ...common,
    entryPoints: ['server/main.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: { chat: 'web/index.ts' },
    outdir: 'dist/web',
    platform: 'browser',
    format: 'esm',
    minify: true,
  }),
]);
