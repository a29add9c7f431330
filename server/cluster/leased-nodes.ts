import type { Redis } from 'ioredis';
import type { Logger } from '../lib/log.js';
import type { Membership, MembershipHealth } from '../lib/membership.js';
import { HEARTBEAT_MS } from './defaults.js';
import { NodeLeases } from './leases.js';

export interface LeasedNodesDeps {
  redis: Redis;
  prefix: string;
  nodeId: string;
  log: Logger;
  /** NODE_LEASE_MS (default LEASE_TTL_MS). */
  leaseMs?: number;
  /** Shared stores beside Redis whose reachability /healthz reports (PostgreSQL), probed every heartbeat. */
  probes?: Record<string, () => Promise<unknown>>;
}

/**
 * The nodes of a cluster as leases in Redis (see NodeLeases): this node renews its own every HEARTBEAT_MS; one
 * survivor per dead node tells the `nodeDown` handlers; a node that finds its lease lost tells the `leaseLost`
 * handlers (it steps down) and registers again; a Redis that came back empty (a new epoch) gets `reassert`.
 */
export class LeasedNodes implements Membership {
  readonly nodeId: string;
  readonly leases: NodeLeases;
  fenced = false;
  private readonly downHandlers: ((node: string) => Promise<void>)[] = [];
  private readonly lostHandlers: (() => void)[] = [];
  private readonly reassertHandlers: (() => Promise<void>)[] = [];
  private readonly held = new Map<string, boolean>();
  private readonly probed = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private fencing: Promise<void> | undefined;
  /** When the last renewal that succeeded was sent, on this process's monotonic clock. */
  private renewedAt = performance.now();

  constructor(private readonly deps: LeasedNodesDeps) {
    this.nodeId = deps.nodeId;
    this.leases = new NodeLeases(deps.redis, deps.prefix, deps.nodeId, deps.leaseMs);
  }

  onNodeDown(handler: (node: string) => Promise<void>): void {
    this.downHandlers.push(handler);
  }

  onLeaseLost(handler: () => void): void {
    this.lostHandlers.push(handler);
  }

  onReassert(handler: () => Promise<void>): void {
    this.reassertHandlers.push(handler);
  }

  stillMember(): boolean {
    if (this.fenced) return false;
    if (!this.leaseRanOut()) return true;
    void this.fence().catch((err) => this.deps.log.warn({ err }, 'stepping down failed'));
    return false;
  }

  lead(name: string): () => boolean {
    this.held.set(name, false);
    return () => this.holds(name);
  }

  /** Whether this node held the named lease at its last heartbeat. */
  holds(name: string): boolean {
    return this.held.get(name) === true;
  }

  health(): MembershipHealth {
    const redis = this.deps.redis.status === 'ready' ? 'up' : 'down';
    const probes = Object.fromEntries([...this.probed].map(([name, up]) => [name, up ? 'up' : 'down']));
    const ok = redis === 'up' && [...this.probed.values()].every(Boolean) && !this.fenced;
    return { ok, nodeId: this.nodeId, redis, ...probes, fenced: this.fenced };
  }

  async start(): Promise<void> {
    for (const name of Object.keys(this.deps.probes ?? {})) this.probed.set(name, true);
    await this.leases.register();
    this.renewedAt = performance.now();
    await this.reassert(); // a restarted node id starts from what it holds now
    this.deps.redis.on('ready', () => void this.beat());
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((err) => this.deps.log.warn({ err }, 'heartbeat failed'));
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  /** One heartbeat at a time: renew, react to a lost lease or a new epoch, reap the dead, probe the stores. */
  beat(): Promise<void> {
    this.beating ??= this.heartbeat().finally(() => (this.beating = undefined));
    return this.beating;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.beating?.catch(() => undefined);
    await this.leases.release().catch(() => undefined);
  }

  /**
   * A slow Redis is not a lost lease: renewals that fail or time out only delay. The node steps down when Redis
   * says its lease is gone (the survivors may have reaped it), or when a whole lease has passed on its own clock
   * since the last renewal that succeeded was sent: by then the others may have reaped it without its hearing.
   */
  private async heartbeat(): Promise<void> {
    void this.probe();
    const sentAt = performance.now();
    let renewal;
    try {
      renewal = await this.leases.renew();
    } catch (err) {
      if (this.leaseRanOut()) await this.fence();
      throw err;
    }
    if (renewal === 'renewed') this.renewedAt = sentAt;
    if (renewal === 'lost') await this.fence();
    else if (renewal === 'new-epoch') {
      await this.leases.register();
      await this.reassert();
      this.deps.log.info({ node: this.nodeId }, 'Redis was empty: re-asserted this node');
    }
    for (const name of this.held.keys()) this.held.set(name, await this.leases.hold(name));
    for (const node of await this.leases.deadNodes()) {
      if (await this.leases.lockReap(node)) await this.reap(node);
    }
  }

  /** A whole lease has passed on this process's clock since the last renewal that succeeded was sent. */
  private leaseRanOut(): boolean {
    return performance.now() - this.renewedAt >= this.leases.ttlMs;
  }

  /** Steps down once per loss, however many heartbeats find it. */
  private fence(): Promise<void> {
    this.fencing ??= this.stepDown().finally(() => (this.fencing = undefined));
    return this.fencing;
  }

  private async stepDown(): Promise<void> {
    this.fenced = true;
    this.deps.log.warn({ node: this.nodeId }, 'lease lost: dropping every connection');
    try {
      for (const handler of this.lostHandlers) handler();
      await this.leases.register();
    } finally {
      this.fenced = false;
      this.renewedAt = performance.now(); // while Redis stays out of reach, step down once per lease, not per beat
    }
  }

  private async reassert(): Promise<void> {
    for (const handler of this.reassertHandlers) await handler();
  }

  private async reap(node: string): Promise<void> {
    for (const handler of this.downHandlers) await handler(node);
    await this.leases.forgetNode(node);
    this.deps.log.warn({ node }, 'removed a dead node');
  }

  private async probe(): Promise<void> {
    await Promise.all(
      Object.entries(this.deps.probes ?? {}).map(async ([name, probe]) => {
        const timeout = new Promise<never>((_, reject) => {
          setTimeout(() => reject(new Error('timeout')), HEARTBEAT_MS).unref();
        });
        const up = await Promise.race([probe(), timeout]).then(
          () => true,
          () => false,
        );
        this.probed.set(name, up);
      }),
    );
  }
}
