import { Readable } from 'node:stream';
import type Router from '@koa/router';
import type Koa from 'koa';
import { type UserDataContext, eraseUser, exportUser, parseSub } from '../chat/user-data.js';
import { type AdminAccess, act, actorOf } from './admin-access.js';

/**
 * A signed user's data, by `sub`, for the operator only (ADMIN_TOKEN): `GET /api/admin/users/:sub/export`
 * streams it as NDJSON, `DELETE /api/admin/users/:sub` erases it (docs/protocol.md).
 */
export function userDataRoutes(router: Router, access: AdminAccess, deps: UserDataContext): void {
  router.get('/api/admin/users/:sub/export', ...access.admin, async (ctx) => {
    const lines = await act(ctx, () => exportUser(deps, parseSub(ctx.params.sub), actorOf(ctx)));
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/x-ndjson';
    // Pulled a line at a time as the client reads: a long history is never held in memory.
    ctx.body = Readable.from(
      (async function* () {
        for await (const line of lines) yield `${JSON.stringify(line)}\n`;
      })(),
    );
  });

  router.delete('/api/admin/users/:sub', ...access.admin, async (ctx) => {
    ctx.body = await act(ctx, () => eraseUser(deps, parseSub(ctx.params.sub), actorOf(ctx)));
  });

  // An empty `sub` matches no `:sub`: it is answered as the bad sub it is (400), not as an unknown route.
  const emptySub = async (ctx: Koa.Context) => act(ctx, () => Promise.resolve(parseSub('')));
  router.get('/api/admin/users//export', ...access.admin, emptySub);
  router.delete('/api/admin/users/', ...access.admin, emptySub);
}
