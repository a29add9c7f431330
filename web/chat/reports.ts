import type { ReactiveControllerHost } from 'lit';
import type { Report } from '../../server/protocol/reports.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import { type ClientError, NO_ANSWER, request } from '../connection/request.js';

/** What became of your report of a message: taken, or why not. */
export type ReportOutcome = { sent: true } | { sent: false; error: ClientError };

/**
 * Reporting messages (`message:report`), and for a moderator the open reports: listed on sign-in
 * (`reports:list`), then kept current by `report` events (a new one is added, a resolved one dropped). The server checks the role; the role only
 * decides whether the list is shown.
 */
export class Reports {
  /** Your reports by message id, until the page reloads; a new map on each change, so the list re-renders. */
  outcomes: ReadonlyMap<number, ReportOutcome> = new Map();
  /** Open reports, newest first. */
  open: Report[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly deps: { socket: () => ChatSocket | undefined },
  ) {}

  async report(room: string, id: number, reason: string): Promise<void> {
    const res = await request(this.deps.socket(), 'message:report', { room, id, reason: reason.trim() });
    const outcome: ReportOutcome = res?.ok ? { sent: true } : { sent: false, error: res?.error ?? NO_ANSWER };
    this.outcomes = new Map([...this.outcomes, [id, outcome]]);
    this.host.requestUpdate();
  }

  /**
   * A moderator's list from the server (`reports:list`), on each sign-in: the reports made before it connected
   * or while it was away. A refusal or no answer keeps what the events brought.
   */
  async load(): Promise<void> {
    const res = await request(this.deps.socket(), 'reports:list');
    if (!res?.ok) return;
    const listed = new Set(res.reports.map((r) => r.id));
    this.open = [...res.reports, ...this.open.filter((r) => !listed.has(r.id))].sort((a, b) => b.id - a.id);
    this.host.requestUpdate();
  }

  /** A `report` event: a new open report, or a resolved one (which leaves the list). */
  apply(report: Report): void {
    const others = this.open.filter((r) => r.id !== report.id);
    this.open = report.state === 'open' ? [report, ...others].sort((a, b) => b.id - a.id) : others;
    this.host.requestUpdate();
  }
}
