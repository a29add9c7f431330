/**
 * Message reports (docs/protocol.md, "Reports"): members report a message to the moderators, who resolve each
 * report once. Type-only, shared by the server, the chat app and the admin console.
 */

/** `open` until resolved; then what the resolution did. */
export type ReportState = 'open' | 'dismissed' | 'deleted' | 'banned';

export const REPORT_STATES: readonly ReportState[] = ['open', 'dismissed', 'deleted', 'banned'];

/** What a moderator does with an open report: nothing, delete the message, or ban its author's nick from the room. */
export type ReportAction = 'dismiss' | 'delete' | 'ban';

/** `message:report`'s payload. */
export interface ReportMessage {
  room: string;
  /** The reported message's id. */
  id: number;
  /** Why, as the reporter wrote it: 1..MAX_REPORT_REASON_CODE_POINTS code points after trimming. */
  reason: string;
}

/** One report, as the `report` event and `GET /api/admin/reports` carry it. Never the message's text. */
export interface Report {
  /** Positive integer, rising in the order reports were made. */
  id: number;
  room: string;
  messageId: number;
  /** The reported message's nick. */
  author: string;
  /** The reporter's nick when it reported. */
  reporter: string;
  reason: string;
  /** When it was reported, in ms since the epoch. */
  at: number;
  state: ReportState;
}

/** `report:resolve` (moderators) and the body of `POST /api/admin/reports/:id/resolve`. */
export interface ResolveReport {
  action: ReportAction;
  /** `ban` only: the ban's length, as for `room:ban`; absent = no end. */
  minutes?: number;
}

/** `GET /api/admin/reports?state=`: newest first, at most REPORTS_PAGE_MAX. */
export interface ReportList {
  reports: Report[];
}
