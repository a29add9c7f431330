/**
 * The console's view of admin routes whose server side is built on other branches (reports, retention,
 * people; docs/protocol.md). When their types land in server/protocol/admin.ts, import them from there instead.
 */

export type ReportState = 'open' | 'resolved';

/** One report, as `GET /api/admin/reports?state=open` lists it. */
export interface AdminReport {
  id: number;
  room: string;
  messageId: number;
  author: string;
  reporter: string;
  reason: string | null;
  /** When it was reported, in ms since the epoch. */
  at: number;
  state: ReportState;
}

export interface ReportList {
  reports: AdminReport[];
}

/** `POST /api/admin/reports/:id/resolve`; `minutes` only with `ban` (absent: no end). */
export interface ReportResolution {
  action: 'dismiss' | 'delete' | 'ban';
  minutes?: number;
}

/** `GET /api/admin/rooms/:room/retention`: `override` false means `days` is the default (RETENTION_DAYS). */
export interface RoomRetention {
  room: string;
  /** Whole days messages are kept; 0: kept for ever. */
  days: number;
  override: boolean;
}

/** The first line of `GET /api/admin/users/:sub/export` (NDJSON). */
export interface ExportHeader {
  type: 'export';
  sub: string;
  at: number;
  counts: { messages: number; bans: number; memberships: number; readState: number };
}

/** `DELETE /api/admin/users/:sub`. */
export interface Erased {
  ok: true;
  messages: number;
}
