import type { Redis } from 'ioredis';
import type { NickOwner, NickRegistry } from '../nicks.js';
import { LuaScript } from './lua.js';

// KEYS: the claim, the claiming node's set. ARGV: session, node, key, prefix, guard.
// A claim is a hash { session, node }; each node's set lists the keys claimed through it, for removeNode.
// Exactly one winner: the check and the write are one script, so no other claim runs between them.
// With guard = '1' (cluster mode), a free key is refused (-1) while nodes re-assert what an empty Redis lost:
// while no node has seen this Redis yet (no epoch), and while `reasserting` lasts.
const CLAIM = new LuaScript(`
local session = redis.call('HGET', KEYS[1], 'session')
if session and session ~= ARGV[1] then return 0 end
if not session and ARGV[5] == '1' then
  if redis.call('EXISTS', ARGV[4] .. 'epoch') == 0 or redis.call('EXISTS', ARGV[4] .. 'reasserting') == 1 then
    return -1
  end
end
local node = redis.call('HGET', KEYS[1], 'node')
if node and node ~= ARGV[2] then redis.call('SREM', ARGV[4] .. 'nicks:node:' .. node, ARGV[3]) end
redis.call('HSET', KEYS[1], 'session', ARGV[1], 'node', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return 1
`);

// KEYS: the claim. ARGV: session, key, prefix.
const RELEASE = new LuaScript(`
if redis.call('HGET', KEYS[1], 'session') ~= ARGV[1] then return 0 end
local node = redis.call('HGET', KEYS[1], 'node')
redis.call('DEL', KEYS[1])
redis.call('SREM', ARGV[3] .. 'nicks:node:' .. node, ARGV[2])
return 1
`);

// KEYS: the node's set. ARGV: node, prefix.
const REMOVE_NODE = new LuaScript(`
local freed = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local claim = ARGV[2] .. 'nick:' .. key
  if redis.call('HGET', claim, 'node') == ARGV[1] then
    redis.call('DEL', claim)
    table.insert(freed, key)
  end
end
redis.call('DEL', KEYS[1])
return freed
`);

/** Thrown while Redis has just come back empty and live claims are being re-asserted: try again shortly. */
export class ReassertingError extends Error {}

/** Nick claims in Redis: `<prefix>nick:<key>` → { session, node }; `<prefix>nicks:node:<node>` → keys. */
export class RedisNickRegistry implements NickRegistry {
  /** `guarded`: cluster mode, where nodes re-assert their claims after Redis lost them (see NodeLeases). */
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:',
    private readonly guarded = false,
  ) {}

  async claim(key: string, owner: NickOwner): Promise<boolean> {
    const won = await this.run(key, owner, this.guarded ? '1' : '0');
    if (won === -1) throw new ReassertingError('nick claims are being re-asserted after a Redis restart');
    return won === 1;
  }

  /** A claim by a session that held the key before Redis lost it; not held back while nodes re-assert. */
  async reassert(key: string, owner: NickOwner): Promise<boolean> {
    return (await this.run(key, owner, '0')) === 1;
  }

  async release(key: string, session: string): Promise<void> {
    await RELEASE.run(this.redis, [this.claimKey(key)], [session, key, this.prefix]);
  }

  async owner(key: string): Promise<NickOwner | undefined> {
    const [session, node] = await this.redis.hmget(this.claimKey(key), 'session', 'node');
    return session && node ? { session, node } : undefined;
  }

  async removeNode(node: string): Promise<string[]> {
    return (await REMOVE_NODE.run(this.redis, [this.nodeKey(node)], [node, this.prefix])) as string[];
  }

  private async run(key: string, owner: NickOwner, guard: string): Promise<number> {
    const keys = [this.claimKey(key), this.nodeKey(owner.node)];
    return Number(await CLAIM.run(this.redis, keys, [owner.session, owner.node, key, this.prefix, guard]));
  }

  private claimKey = (key: string) => `${this.prefix}nick:${key}`;
  private nodeKey = (node: string) => `${this.prefix}nicks:node:${node}`;
}
