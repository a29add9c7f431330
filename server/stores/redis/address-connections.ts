import type { Redis } from 'ioredis';
import type { Membership } from '../../lib/membership.js';
import type { SharedAddressCounts } from '../../lib/address-connections.js';
import { LuaScript } from './lua.js';

// `<p>conns:<node>` is a hash of client address → that node's open connections; `<p>nodes` lists the nodes.
// A total is the sum over every registered node, so a dead node's connections count until it is reaped.
const SUM = `
local function total(address)
  local sum = 0
  for _, node in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'nodes')) do
    sum = sum + tonumber(redis.call('HGET', ARGV[1] .. 'conns:' .. node, address) or '0')
  end
  return sum
end
`;

const TOTAL = new LuaScript(`${SUM} return total(ARGV[2])`);

const OPEN = new LuaScript(`${SUM}
redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
return total(ARGV[2])
`);

// KEYS[2] = the node's lease (leases.ts): a node that restarted under the same id keeps its new counts.
const FORGET = new LuaScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('DEL', KEYS[1]) end
return 1
`);

const CLOSE = new LuaScript(`
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1
`);

/**
 * MAX_CONNECTIONS_PER_IP across the nodes of a cluster: each node counts its own connections in Redis, and keeps
 * a copy of what it counted there, to put back when Redis lost it. A dead node's counts go with it.
 */
export class RedisAddressCounts implements SharedAddressCounts {
  private readonly counted = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly nodeId: string,
    membership: Membership,
  ) {
    membership.onNodeDown((node) => this.forgetNode(node));
    membership.onReassert(() => this.replace(this.counted)); // a restarted node id starts from its own
  }

  async total(address: string): Promise<number> {
    return Number(await TOTAL.run(this.redis, [], [this.prefix, address]));
  }

  async opened(address: string): Promise<number> {
    const total = Number(await OPEN.run(this.redis, [this.key(this.nodeId)], [this.prefix, address]));
    this.counted.set(address, (this.counted.get(address) ?? 0) + 1);
    return total;
  }

  async closed(address: string): Promise<void> {
    const left = (this.counted.get(address) ?? 1) - 1;
    if (left > 0) this.counted.set(address, left);
    else this.counted.delete(address);
    await CLOSE.run(this.redis, [this.key(this.nodeId)], [address]);
  }

  private async replace(counts: ReadonlyMap<string, number>): Promise<void> {
    const key = this.key(this.nodeId);
    const batch = this.redis.multi().del(key);
    if (counts.size > 0) batch.hset(key, Object.fromEntries(counts));
    await batch.exec();
  }

  /** A reaped node's connections are gone (unless it is back under the same id). */
  async forgetNode(node: string): Promise<void> {
    await FORGET.run(this.redis, [this.key(node), `${this.prefix}node:${node}`], []);
  }

  private key(node: string): string {
    return `${this.prefix}conns:${node}`;
  }
}
