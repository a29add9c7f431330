import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import { parseRoom } from '../chat/parse.js';
import type { RoomRetention } from '../chat/retention.js';
import type { RetentionSet, RetentionState } from '../protocol/admin.js';
import { MAX_RETENTION_DAYS } from '../protocol/limits.js';
import { type AdminAccess, act, actorOf } from './admin-access.js';

/** `{ days }` of a PUT: an integer 0..MAX_RETENTION_DAYS, or null (remove the override); anything else is 400. */
function parseDays(ctx: Koa.Context): number | null {
  const body: unknown = ctx.request.body;
  const days = typeof body === 'object' && body !== null && 'days' in body ? body.days : undefined;
  if (days === null) return null;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > MAX_RETENTION_DAYS)
    return ctx.throw(400, `BAD_REQUEST: days must be an integer from 0 to ${MAX_RETENTION_DAYS}, or null`);
  return days;
}

/**
 * `GET` and `PUT /api/admin/rooms/:room/retention`, ADMIN_TOKEN only: how long a room keeps its messages, and
 * its override of RETENTION_DAYS. A PUT writes one `set-retention` audit entry with the change.
 */
export function retentionRoutes(router: Router, access: AdminAccess, retention: RoomRetention): void {
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '1kb' });

  router.get('/api/admin/rooms/:room/retention', ...access.admin, async (ctx) => {
    const body: RetentionState = await act(ctx, async () => retention.state(parseRoom(ctx.params.room)));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  router.put('/api/admin/rooms/:room/retention', ...access.admin, json, async (ctx) => {
    const room = await act(ctx, () => Promise.resolve(parseRoom(ctx.params.room)));
    const days = parseDays(ctx);
    await retention.set(room, days, actorOf(ctx));
    const body: RetentionSet = { room, days };
    ctx.body = body;
  });
}
