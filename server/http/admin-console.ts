import type Router from '@koa/router';
import type { NodeReports } from '../lib/node-reports.js';
import type { AdminOverview, AdminRoomList, NamespaceSockets } from '../protocol/admin-console.js';
import type { RoomSummary } from '../protocol/events.js';
import { type AdminAccess, callerOf } from './admin-access.js';

export interface ConsoleDeps {
  /** Every live node's latest counts and health (this node's made at the call). */
  nodes: NodeReports;
  /** Public rooms with someone in them, busiest first (what `rooms:list` answers). */
  rooms: () => Promise<RoomSummary[]>;
  /** The days a room keeps messages (0 = forever), from the retention overrides in memory. */
  retentionDays: (room: string) => Promise<number>;
}

/**
 * What the admin console (`/admin`) reads besides the moderation routes: who the caller is, and an overview of
 * the deployment and its rooms. All staff routes: a moderator sees what ADMIN_TOKEN sees here.
 */
export function consoleRoutes(router: Router, access: AdminAccess, deps: ConsoleDeps): void {
  router.get('/api/admin/me', ...access.staff, (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = callerOf(ctx);
  });

  router.get('/api/admin/overview', ...access.staff, (ctx) => {
    const nodes = deps.nodes.all();
    const sockets: NamespaceSockets = { chat: 0, news: 0 };
    let messagesPerMinute = 0;
    for (const node of nodes) {
      sockets.chat += node.sockets.chat;
      sockets.news += node.sockets.news;
      messagesPerMinute += node.messagesPerMinute;
    }
    const body: AdminOverview = { sockets, messagesPerMinute, nodes };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  router.get('/api/admin/rooms', ...access.staff, async (ctx) => {
    const rooms = await Promise.all(
      (await deps.rooms()).map(async ({ name, members }) => ({
        ...{ name, members },
        retentionDays: await deps.retentionDays(name),
      })),
    );
    const body: AdminRoomList = { rooms };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
}
