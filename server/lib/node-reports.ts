import type { NodeOverview } from '../protocol/admin-console.js';
import type { StorageHealth } from '../stores/history.js';
import type { Bus } from './bus.js';
import type { MembershipHealth } from './membership.js';

/** How often each node tells the others its counts and health, for the admin overview. */
export const NODE_REPORT_MS = 5000;
/** A node silent for this many report periods is taken for gone (its lease has run out by then too). */
const STALE_AFTER_REPORTS = 3;
const TOPIC = 'admin:node-report';
/** A node that leaves says so, and the others drop its report at once instead of after STALE_AFTER_REPORTS. */
const GONE_TOPIC = 'admin:node-gone';

/**
 * Every live node's latest report of itself, for the admin overview. Each node publishes its own on the bus every
 * `intervalMs`, and once more when it hears from a node it did not know (so a new node learns the others at once,
 * not a period later); reading is local, with no round trip to the other nodes. One process: its own report only.
 */
export class NodeReports {
  /** By node: its latest report, and when this node heard it (this clock: the nodes' clocks may differ). */
  private readonly latest = new Map<string, { report: NodeOverview; heardAt: number }>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * `own` makes this node's report now: it probes the storage (on SQLite, a write-lock probe), so it is called
   * only to publish or to answer the overview, never to learn this node's id.
   */
  constructor(
    private readonly bus: Bus,
    private readonly nodeId: string,
    private readonly own: () => NodeOverview,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = NODE_REPORT_MS,
  ) {
    bus.subscribe<NodeOverview>(TOPIC, (report) => this.handleReport(report));
    bus.subscribe<string>(GONE_TOPIC, (node) => this.latest.delete(node));
  }

  start(): void {
    this.publish();
    this.timer = setInterval(() => this.publish(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops reporting and tells the others this node is gone (before the bus closes). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.bus.publish(GONE_TOPIC, this.nodeId).catch(this.onError);
  }

  /** This node's report made now, then every other node heard from lately, by node id. */
  all(): NodeOverview[] {
    const mine = this.own();
    const since = Date.now() - this.intervalMs * STALE_AFTER_REPORTS;
    const others = [...this.latest.values()]
      .filter(({ report, heardAt }) => report.node !== this.nodeId && heardAt >= since)
      .map(({ report }) => report);
    return [mine, ...others.sort((a, b) => a.node.localeCompare(b.node))];
  }

  private publish(): void {
    this.bus.publish(TOPIC, this.own()).catch(this.onError);
  }

  private handleReport(report: NodeOverview): void {
    const known = this.latest.has(report.node);
    this.latest.set(report.node, { report, heardAt: Date.now() });
    if (!known && report.node !== this.nodeId) this.publish();
  }
}

/** What a node reports of itself: its /healthz details (membership and storage) and its counts, now. */
export function nodeReport(parts: {
  health: MembershipHealth;
  storage: StorageHealth;
  sockets: Record<string, number>;
  messagesPerMinute: number;
}): NodeOverview {
  const { ok, nodeId, ...membership } = parts.health;
  const { chat = 0, news = 0 } = parts.sockets;
  return {
    ...membership,
    storage: parts.storage,
    node: nodeId,
    ok: ok && parts.storage.ok,
    at: Date.now(),
    sockets: { chat, news },
    messagesPerMinute: parts.messagesPerMinute,
  };
}
