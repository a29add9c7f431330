/**
 * The console's view of admin routes whose server side is built on another branch (retention;
 * docs/protocol.md). When their types land in server/protocol/admin.ts, import them from there instead.
 */

/** `GET /api/admin/rooms/:room/retention`: `override` false means `days` is the default (RETENTION_DAYS). */
export interface RoomRetention {
  room: string;
  /** Whole days messages are kept; 0: kept for ever. */
  days: number;
  override: boolean;
}
