/** What /healthz reports about this node's place in the deployment; `ok` false answers 503. */
export interface MembershipHealth {
  ok: boolean;
  nodeId: string;
  [detail: string]: unknown;
}

/**
 * Which nodes are alive, seen from this one (Phoenix.Tracker is the model): features keep their own state right
 * by reacting to its events, and never ask whether there are other nodes. One process is a cluster of one
 * (`SingleNode`: no event ever fires); a cluster keeps leases in Redis (cluster/leased-nodes.ts).
 */
export interface Membership {
  readonly nodeId: string;
  /**
   * Another node's lease ran out: exactly one survivor is told, and the node is forgotten once every handler
   * has resolved. Handlers remove what the dead node held (its sockets' presence, sessions, counts).
   */
  onNodeDown(handler: (node: string) => Promise<void>): void;
  /**
   * This node learnt that it was presumed dead (paused or cut off past its lease, so the others may have reaped
   * it): the handler steps down at once, before anything else this node's clients sent is handled.
   */
  onLeaseLost(handler: () => void): void;
  /**
   * The shared state may lack this node's part: at start, and when it came back empty (Redis restarted without
   * its data). Handlers put back what this node holds.
   */
  onReassert(handler: () => Promise<void>): void;
  /**
   * Whether this node may still act as a member. False once a whole lease has passed on its own clock without a
   * renewal (it slept, or lost Redis, and the others may have reaped it): the first such call steps it down.
   */
  stillMember(): boolean;
  /** Competes for a lease one node holds at a time (e.g. the demo feed); says whether this node holds it now. */
  lead(name: string): () => boolean;
  health(): MembershipHealth;
  /** Resolves once this node is a member (its first reassert done). */
  start(): Promise<void>;
  /** Leaves: the others clean up after it at once instead of when its lease runs out. */
  close(): Promise<void>;
}

/** One process: the only node, never down, never fenced, the holder of every lease. */
export class SingleNode implements Membership {
  constructor(readonly nodeId: string) {}

  onNodeDown(_handler: (node: string) => Promise<void>): void {}

  onLeaseLost(_handler: () => void): void {}

  onReassert(_handler: () => Promise<void>): void {}

  stillMember(): boolean {
    return true;
  }

  lead(): () => boolean {
    return () => true;
  }

  health(): MembershipHealth {
    return { ok: true, nodeId: this.nodeId };
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {}
}
