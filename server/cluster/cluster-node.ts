import type { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';
import { type ChatNamespace, joinedRooms, roomKey } from '../chat/context.js';
import { PRESENCE_DELIVERIES_PER_TURN, type PresenceAnnouncer } from '../chat/presence-announcer.js';
import { inTurns } from '../lib/in-turns.js';
import type { Logger } from '../lib/log.js';
import type { NewsFeed, NewsNamespace } from '../news/feed.js';
import type { CachedBans } from '../stores/cached-bans.js';
import type { HistoryStore } from '../stores/history.js';
import type { RedisNickRegistry } from '../stores/redis/nicks.js';
import type { RedisPresence } from '../stores/redis/presence.js';
import type { RedisSessionStore } from '../stores/redis/sessions.js';
import { HEARTBEAT_MS, NodeLeases } from './leases.js';
import type { NewsItem } from '../protocol/events.js';
import type { Relayed, RedisRelay, TypingNotice } from './relay.js';
import type { RememberedSessions } from './remembered-sessions.js';
import type { LiveSockets } from './live-sockets.js';
import type { SessionRecords } from './session-records.js';
import type { RedisAddressCounts } from '../stores/redis/address-connections.js';

export interface ClusterNodeDeps {
  redis: Redis;
  prefix: string;
  nodeId: string;
  log: Logger;
  relay: RedisRelay;
  records: SessionRecords;
  liveSockets: LiveSockets;
  /** This node's connections per address, counted in Redis (MAX_CONNECTIONS_PER_IP across nodes). */
  addressCounts: RedisAddressCounts;
  nicks: RedisNickRegistry;
  presence: RedisPresence;
  sessions: RememberedSessions;
  redisSessions: RedisSessionStore;
  history: HistoryStore;
  /** The node's cache of the shared bans; the relay tells it when another node changed one. */
  bans: CachedBans;
  recoveryWindowMs: number;
  /** NODE_LEASE_MS (default LEASE_TTL_MS). */
  leaseMs?: number;
  /** Closes the Redis connections; called last by `close`. */
  disconnect(): Promise<void>;
}

/** What /healthz reports in cluster mode; `ok` false answers 503. */
export type ClusterHealth = {
  ok: boolean;
  nodeId: string;
  redis: 'up' | 'down';
  postgres: 'up' | 'down';
  fenced: boolean;
};

export interface ClusterParts {
  io: Server;
  chat: ChatNamespace;
  news: NewsNamespace;
  feed: NewsFeed;
  /** Whether this node runs a demo feed: only then does it compete for the demo feed's lease. */
  demoFeed: boolean;
  /** A dead node's members leave through it, batched in large or busy rooms like every other change. */
  announcer: PresenceAnnouncer;
  /** This node's open connections per address, put back in Redis when Redis comes back empty. */
  connectionCounts: () => ReadonlyMap<string, number>;
}

/** A node id as the start of an Engine.IO session id (`<prefix>.<random>`): URL-safe, no dot. */
export const sessionIdPrefix = (nodeId: string): string => nodeId.replace(/[^A-Za-z0-9_-]/g, '-');

/** Session records are rewritten this often (or at a third of the recovery window, if shorter). */
const RECORD_REFRESH_MS = 10_000;

/**
 * This process as one node of a cluster: it heartbeats its lease; cleans up after dead nodes (one survivor
 * per dead node); drops its connections when it finds it was presumed dead; puts back its sockets' nicks,
 * sessions and presence when Redis comes back empty; delivers relayed news and typing to its own sockets.
 */
export class ClusterNode {
  readonly leases: NodeLeases;
  fenced = false;
  holdsDemoFeed = false;
  private postgresUp = true;
  private parts: ClusterParts | undefined;
  private timers: NodeJS.Timeout[] = [];
  private beating: Promise<void> | undefined;
  private fencing: Promise<void> | undefined;
  /** When the last renewal that succeeded was sent, on this process's monotonic clock. */
  private renewedAt = performance.now();

  constructor(private readonly deps: ClusterNodeDeps) {
    this.leases = new NodeLeases(deps.redis, deps.prefix, deps.nodeId, deps.leaseMs);
  }

  async start(parts: ClusterParts): Promise<void> {
    this.parts = parts;
    const { chat } = parts;
    await this.deps.relay.start((relayed) => this.onRelayed(relayed, parts));
    chat.on('connection', (socket) => {
      this.deps.records.touch(socket);
      socket.on('disconnect', (reason) => {
        if (reason === 'client namespace disconnect' || reason === 'server namespace disconnect')
          this.deps.records.forget(socket).catch((err) => this.deps.log.warn({ err }, 'forgetting a record failed'));
      });
    });
    await this.leases.register();
    this.renewedAt = performance.now();
    await this.deps.addressCounts.replace(parts.connectionCounts()); // a restarted node id starts from its own
    this.deps.redis.on('ready', () => void this.beat());
    await this.beat();
    this.every(HEARTBEAT_MS, () => this.beat());
    const refreshMs = Math.min(RECORD_REFRESH_MS, this.deps.recoveryWindowMs / 3);
    this.every(refreshMs, () => this.deps.records.write(chat.sockets.values()));
  }

  /** What the relay brings: news and typing for this node's sockets, ban changes, questions about sockets. */
  private onRelayed(relayed: Relayed, { feed, chat }: ClusterParts): void {
    switch (relayed.kind) {
      case 'news':
        return feed.deliver(relayed.item);
      case 'typing': {
        const { room, nick, from } = relayed.notice;
        chat.local.to(roomKey(room)).except(from).volatile.emit('typing', { room, nick });
        return;
      }
      case 'ban':
        return this.deps.bans.forget(relayed.change.room, relayed.change.nickKey);
      case 'socket:query':
        this.deps.liveSockets.answer(relayed).catch((err) => this.deps.log.warn({ err }, 'answering a query failed'));
        return;
      case 'socket:answer':
        return this.deps.liveSockets.settle(relayed);
    }
  }

  /** One heartbeat at a time: renew, react to a lost lease or a new epoch, reap the dead, probe PostgreSQL. */
  beat(): Promise<void> {
    this.beating ??= this.heartbeat().finally(() => (this.beating = undefined));
    return this.beating;
  }

  publishNews = (item: NewsItem): Promise<void> => this.deps.relay.publish({ kind: 'news', item });

  publishTyping = (notice: TypingNotice): Promise<void> => this.deps.relay.publish({ kind: 'typing', notice });

  /** A socket's session record changed: write it ahead (see SessionRecords). */
  touch = (socket: Socket): void => this.deps.records.touch(socket);

  health(): ClusterHealth {
    const redis = this.deps.redis.status === 'ready' ? 'up' : 'down';
    const postgres = this.postgresUp ? 'up' : 'down';
    const ok = redis === 'up' && postgres === 'up' && !this.fenced;
    return { ok, nodeId: this.deps.nodeId, redis, postgres, fenced: this.fenced };
  }

  /** Stops the timers and gives up the lease, so the survivors clean up at once. Closes Redis last. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.beating?.catch(() => undefined);
    await this.leases.release().catch(() => undefined);
    await this.deps.disconnect();
  }

  private every(ms: number, task: () => Promise<void>): void {
    const timer = setInterval(() => {
      task().catch((err) => this.deps.log.warn({ err }, 'cluster task failed'));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  /**
   * A slow Redis is not a lost lease: renewals that fail or time out only delay. The node steps down when Redis
   * says its lease is gone (the survivors may have reaped it), or when a whole lease has passed on its own clock
   * since the last renewal that succeeded was sent: by then the others may have reaped it without its hearing.
   */
  private async heartbeat(): Promise<void> {
    void this.probePostgres();
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
    else if (renewal === 'new-epoch') await this.reassert();
    this.holdsDemoFeed = this.parts?.demoFeed === true && (await this.leases.hold('demo-feed'));
    for (const node of await this.leases.deadNodes()) {
      if (await this.leases.lockReap(node)) await this.reap(node);
    }
  }

  /** A whole lease has passed on this process's clock since the last renewal that succeeded was sent. */
  private leaseRanOut(): boolean {
    return performance.now() - this.renewedAt >= this.leases.ttlMs;
  }

  /** This node was presumed dead (paused, cut off): its clients go elsewhere rather than see stale state. */
  private fence(): Promise<void> {
    this.fencing ??= this.stepDown().finally(() => (this.fencing = undefined));
    return this.fencing;
  }

  private async stepDown(): Promise<void> {
    this.fenced = true;
    this.deps.log.warn({ node: this.deps.nodeId }, 'lease lost: dropping every connection');
    try {
      for (const nsp of this.parts ? [this.parts.chat, this.parts.news] : []) {
        for (const socket of nsp.sockets.values()) socket.conn.close(); // a cut: sessions keep their grace
      }
      await this.leases.register();
    } finally {
      this.fenced = false;
      this.renewedAt = performance.now(); // while Redis stays out of reach, step down once per lease, not per beat
    }
  }

  /** Redis came back empty: put back every live nick, session and presence entry of this node's sockets. */
  private async reassert(): Promise<void> {
    await this.leases.register();
    const { nodeId, sessions, redisSessions, nicks, presence, records } = this.deps;
    const sockets = [...(this.parts?.chat.sockets.values() ?? [])];
    for (const socket of sockets) {
      const token = socket.data.sessionToken;
      if (token === undefined) continue;
      const known = sessions.nicks.get(token);
      await redisSessions.reassert(token, { id: socket.id, node: nodeId }, known);
      if (!known) continue;
      await nicks.reassert(known.key, { session: token, node: nodeId });
      for (const room of joinedRooms(socket)) {
        await presence.join(room, { nick: known.nick, session: token, socket: socket.id, node: nodeId });
      }
    }
    await records.write(sockets);
    await this.deps.addressCounts.replace(this.parts?.connectionCounts() ?? new Map());
    this.deps.log.info({ sockets: sockets.length }, 'Redis was empty: re-asserted this node');
  }

  /** Exactly one `left` per nick that leaves a room by it: the presence script decides, once. */
  private async reap(node: string): Promise<void> {
    const left = await this.deps.presence.removeNode(node);
    const orphaned = await this.deps.sessions.removeNode(node, this.deps.recoveryWindowMs);
    const announcer = this.parts?.announcer;
    if (announcer)
      await inTurns(
        left,
        PRESENCE_DELIVERIES_PER_TURN,
        (l) => l.count,
        (l) => announcer.announce(l.room, { left: l.nick }, l.count),
      );
    await this.deps.addressCounts.forgetNode(node);
    await this.leases.forgetNode(node);
    this.deps.log.warn({ node, left: left.length, sessions: orphaned.length }, 'removed a dead node');
  }

  private async probePostgres(): Promise<void> {
    const probe = this.deps.history.latest('', 1);
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error('timeout')), HEARTBEAT_MS).unref();
    });
    this.postgresUp = await Promise.race([probe, timeout]).then(
      () => true,
      () => false,
    );
  }
}
