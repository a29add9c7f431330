import type { Redis } from 'ioredis';
import { type NickOwner, type NickRegistry, SIGNED_SESSION_PREFIX, type Seizure } from '../nicks.js';
import { LuaScript } from './lua.js';

// KEYS: the claim. ARGV: session, node, key, prefix, guard, signed prefix. A claim is a hash { session, node }.
// A dead node's claims are not reaped with it: they belong to sessions, which keep them for the recovery window
// and free them when they expire (chat/sessions.ts).
// Exactly one winner: the check and the write are one script, so no other claim runs between them.
// With guard = '1' (cluster mode), a free key is refused (-1) while nodes re-assert what an empty Redis lost:
// while no node has seen this Redis yet (no epoch), and while `reasserting` lasts.
// With a signed prefix (seize), another session's claim gives way unless its token starts with that prefix;
// the reply then names the displaced session and node.
const CLAIM = new LuaScript(`
local session = redis.call('HGET', KEYS[1], 'session')
local seize = ARGV[6] ~= ''
if session and session ~= ARGV[1] then
  if not seize or string.sub(session, 1, #ARGV[6]) == ARGV[6] then return {0} end
end
if not session and ARGV[5] == '1' then
  if redis.call('EXISTS', ARGV[4] .. 'epoch') == 0 or redis.call('EXISTS', ARGV[4] .. 'reasserting') == 1 then
    return {-1}
  end
end
local node = redis.call('HGET', KEYS[1], 'node')
redis.call('HSET', KEYS[1], 'session', ARGV[1], 'node', ARGV[2])
if session and session ~= ARGV[1] then return {1, session, node} end
return {1}
`);

// KEYS: the claim. ARGV: session.
const RELEASE = new LuaScript(`
if redis.call('HGET', KEYS[1], 'session') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`);

/** Thrown while Redis has just come back empty and live claims are being re-asserted: try again shortly. */
export class ReassertingError extends Error {}

/** Nick claims in Redis: `<prefix>nick:<key>` → { session, node }. */
export class RedisNickRegistry implements NickRegistry {
  /** `guarded`: cluster mode, where nodes re-assert their claims after Redis lost them (see NodeLeases). */
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:',
    private readonly guarded = false,
  ) {}

  async claim(key: string, owner: NickOwner): Promise<boolean> {
    return (await this.run(key, owner, this.guarded ? '1' : '0', ''))[0] === 1;
  }

  async seize(key: string, owner: NickOwner): Promise<Seizure> {
    const [won, session, node] = await this.run(key, owner, this.guarded ? '1' : '0', SIGNED_SESSION_PREFIX);
    if (won !== 1) return { won: false };
    return typeof session === 'string' && typeof node === 'string'
      ? { won: true, displaced: { session, node } }
      : { won: true };
  }

  /** A claim by a session that held the key before Redis lost it; not held back while nodes re-assert. */
  async reassert(key: string, owner: NickOwner): Promise<boolean> {
    return (await this.run(key, owner, '0', ''))[0] === 1;
  }

  async release(key: string, session: string): Promise<void> {
    await RELEASE.run(this.redis, [this.claimKey(key)], [session]);
  }

  async owner(key: string): Promise<NickOwner | undefined> {
    const [session, node] = await this.redis.hmget(this.claimKey(key), 'session', 'node');
    return session && node ? { session, node } : undefined;
  }

  /** The script's reply: [1 | 0 | -1, displaced session?, its node?]; -1 throws ReassertingError. */
  private async run(key: string, owner: NickOwner, guard: string, signedPrefix: string): Promise<unknown[]> {
    const keys = [this.claimKey(key)];
    const args = [owner.session, owner.node, key, this.prefix, guard, signedPrefix];
    const reply = (await CLAIM.run(this.redis, keys, args)) as unknown[];
    if (reply[0] === -1) throw new ReassertingError('nick claims are being re-asserted after a Redis restart');
    return reply;
  }

  private claimKey = (key: string) => `${this.prefix}nick:${key}`;
}
