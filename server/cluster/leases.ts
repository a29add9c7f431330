import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScript } from '../stores/redis/lua.js';
import { LEASE_TTL_MS } from './defaults.js';

// KEYS: the lease, the epoch. ARGV: holder token, ttl ms, the epoch this node knows.
// -1: the epoch differs (Redis came back empty, or another node found it so first); 0: the lease is gone or
// someone else's (this node was presumed dead); 1: renewed.
const RENEW = new LuaScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[3] then return -1 end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

// A lease anyone may take when free: KEYS: the lease. ARGV: holder, ttl ms. 1 when held by ARGV[1] afterwards.
const HOLD = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

// KEYS: the epoch, the hold-back marker. ARGV: a new epoch, whether this node knew an earlier one, ttl ms.
// Sets the epoch if Redis has none; if this node had known one (Redis lost it), new nick claims are held back
// in the same step, so no claim can slip in between.
const EPOCH = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX') and ARGV[2] == '1' then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
end
return redis.call('GET', KEYS[1])
`);

const FORGET = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[1]) end
return 1
`);

export type Renewal = 'renewed' | 'lost' | 'new-epoch';

/**
 * The keys that say which nodes are alive: `<p>node:<id>` (a lease renewed every HEARTBEAT_MS, gone after
 * LEASE_TTL_MS), `<p>nodes` (every node that registered), `<p>epoch` (a random value set by the first node
 * to see an empty Redis; a change means Redis lost everything).
 */
export class NodeLeases {
  private token = '';
  epoch = '';

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly nodeId: string,
    readonly ttlMs = LEASE_TTL_MS,
  ) {}

  /** Takes a fresh lease and learns the epoch, setting it if Redis has none (see EPOCH). */
  async register(): Promise<void> {
    this.token = randomBytes(9).toString('base64url');
    const keys = [this.key('epoch'), this.key('reasserting')];
    const args = [randomBytes(9).toString('base64url'), this.epoch === '' ? '0' : '1', this.ttlMs];
    this.epoch = String(await EPOCH.run(this.redis, keys, args));
    await this.redis
      .multi()
      .set(this.key(`node:${this.nodeId}`), this.token, 'PX', this.ttlMs)
      .sadd(this.key('nodes'), this.nodeId)
      .exec();
  }

  async renew(): Promise<Renewal> {
    const keys = [this.key(`node:${this.nodeId}`), this.key('epoch')];
    const result = Number(await RENEW.run(this.redis, keys, [this.token, this.ttlMs, this.epoch]));
    return result === 1 ? 'renewed' : result === 0 ? 'lost' : 'new-epoch';
  }

  /** Registered nodes whose lease has run out. */
  async deadNodes(): Promise<string[]> {
    const nodes = (await this.redis.smembers(this.key('nodes'))).filter((node) => node !== this.nodeId);
    if (nodes.length === 0) return [];
    const alive = await this.redis.exists(...nodes.map((node) => this.key(`node:${node}`)));
    if (alive === nodes.length) return [];
    const flags = await Promise.all(nodes.map((node) => this.redis.exists(this.key(`node:${node}`))));
    return nodes.filter((_, i) => flags[i] === 0);
  }

  /** One survivor gets to clean up after a dead node: SET NX, so the others skip it. */
  async lockReap(node: string): Promise<boolean> {
    return (await this.redis.set(this.key(`reap:${node}`), this.nodeId, 'PX', 30_000, 'NX')) === 'OK';
  }

  /** Unlists a reaped node, unless it registered again meanwhile (restarted under the same id). */
  async forgetNode(node: string): Promise<void> {
    await FORGET.run(this.redis, [this.key(`node:${node}`), this.key('nodes')], [node]);
  }

  /** Holds (or renews) a named lease for this node; false when another node holds it. */
  async hold(name: string): Promise<boolean> {
    return Number(await HOLD.run(this.redis, [this.key(`lease:${name}`)], [this.nodeId, this.ttlMs])) === 1;
  }

  /** A clean exit: the survivors clean up at their next check instead of waiting for the lease to run out. */
  async release(): Promise<void> {
    await this.redis.del(this.key(`node:${this.nodeId}`));
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }
}
