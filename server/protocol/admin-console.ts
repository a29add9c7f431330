/**
 * The wire contract of the routes the admin console (`/admin`) reads besides the moderation ones:
 * `GET /api/admin/me`, `/overview` and `/rooms` (docs/protocol.md, "The admin console's routes"). Type-only, so
 * the console in the browser imports it.
 */

/** Whose token called: ADMIN_TOKEN (`admin`, every right) or a moderator's signed token (staff routes only). */
export type AdminRole = 'admin' | 'moderator';

/** `GET /api/admin/me`: the rights of the caller's token; a moderator's carries its token's name and `sub`. */
export type AdminMe = { role: 'admin' } | { role: 'moderator'; nick: string; sub: string };

/** Connected sockets per namespace. */
export interface NamespaceSockets {
  chat: number;
  news: number;
}

/**
 * What one node last reported of itself (every NODE_REPORT_MS, and when a new node shows up): its `/healthz`
 * details (`ok`, `nodeId`, and in a cluster Redis, PostgreSQL and fencing) with its own counts.
 */
export interface NodeOverview {
  node: string;
  /** False when the node cannot store sends or is cut off from the others (its /healthz answers 503). */
  ok: boolean;
  /** When the node made this report, in ms since the epoch. */
  at: number;
  sockets: NamespaceSockets;
  /** Messages this node stored in the last 60 seconds. */
  messagesPerMinute: number;
  [health: string]: unknown;
}

/** `GET /api/admin/overview`: totals over the live nodes, and each node (this one first). */
export interface AdminOverview {
  sockets: NamespaceSockets;
  messagesPerMinute: number;
  nodes: NodeOverview[];
}

/** One public room with people in it, as `GET /api/admin/rooms` lists it. */
export interface AdminRoom {
  name: string;
  /** Distinct nicks in the room now, on every node. */
  members: number;
  /** How many days the room keeps messages (its override, else RETENTION_DAYS); 0 = forever. */
  retentionDays: number;
}

/** `GET /api/admin/rooms`: public rooms with someone in them, busiest first (at most MAX_LISTED_ROOMS). */
export interface AdminRoomList {
  rooms: AdminRoom[];
}
