import type { Redis } from 'ioredis';
import {
  type AddressLimit,
  type DetachResult,
  type Session,
  type SessionStore,
  type SocketRef,
  newSessionToken,
} from '../sessions.js';
import { LuaScript, SWEEP_BATCH, pairs } from './lua.js';

// A session is `<p>s:<token>` (hash: created, nick, nickKey, exp) and `<p>s:<token>:sockets` (socket → node);
// `<p>s:expiring` orders detached sessions by expiry; `<p>s:node:<node>` lists the tokens with a socket there.
// Every script gets ARGV[1] = prefix, ARGV[2] = token, ARGV[3] = now (the caller's clock: expiry is data).
const PRELUDE = `
local p, token, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local meta, sockets = p .. 's:' .. token, p .. 's:' .. token .. ':sockets'
local function read(t)
  return { t, redis.call('HGETALL', p .. 's:' .. t), redis.call('HGETALL', p .. 's:' .. t .. ':sockets') }
end
local function live()
  if redis.call('EXISTS', meta) == 0 then return false end
  local exp = redis.call('HGET', meta, 'exp')
  return not exp or tonumber(exp) > now
end
local function attach(id, node)
  redis.call('HSET', sockets, id, node)
  redis.call('HDEL', meta, 'exp')
  redis.call('ZREM', p .. 's:expiring', token)
  redis.call('SADD', p .. 's:node:' .. node, token)
end
`;
const script = (body: string) => new LuaScript(PRELUDE + body);

const GET = script(`if not live() then return false end return read(token)`);
// ARGV[4] = socket id, ARGV[5] = node, ARGV[6] = client address or '', ARGV[7] = its most live sessions.
// \`<p>s:addr\` counts the live sessions of each address; TAKE_EXPIRED counts them out.
const CREATE = script(`
local address = ARGV[6]
if address ~= '' then
  if tonumber(redis.call('HGET', p .. 's:addr', address) or '0') >= tonumber(ARGV[7]) then return 'full' end
  redis.call('HINCRBY', p .. 's:addr', address, 1)
  redis.call('HSET', meta, 'addr', address)
end
redis.call('HSET', meta, 'created', now)
attach(ARGV[4], ARGV[5])
return read(token)
`);
// ARGV[6] = most sockets the session may hold ('' = any number).
const OPEN = script(`
local max = tonumber(ARGV[6])
if max and redis.call('HEXISTS', sockets, ARGV[4]) == 0 and redis.call('HLEN', sockets) >= max then return 'full' end
if redis.call('EXISTS', meta) == 0 then redis.call('HSET', meta, 'created', now) end
attach(ARGV[4], ARGV[5])
return read(token)
`);
// ARGV[6] = most sockets the session may hold ('' = any number).
const ATTACH = script(`
if not live() then return false end
local max = tonumber(ARGV[6])
if max and redis.call('HEXISTS', sockets, ARGV[4]) == 0 and redis.call('HLEN', sockets) >= max then return 'full' end
attach(ARGV[4], ARGV[5])
return read(token)
`);
// ARGV[4] = socket id, ARGV[5] = grace ms. Returns { lastSocketGone, session } or false.
const DETACH = script(`
if redis.call('EXISTS', meta) == 0 then return false end
local node = redis.call('HGET', sockets, ARGV[4])
if not node then return false end
redis.call('HDEL', sockets, ARGV[4])
local still = false
for _, n in ipairs(redis.call('HVALS', sockets)) do if n == node then still = true end end
if not still then redis.call('SREM', p .. 's:node:' .. node, token) end
local last = redis.call('HLEN', sockets) == 0
if last then
  local exp = now + tonumber(ARGV[5])
  redis.call('HSET', meta, 'exp', exp)
  redis.call('ZADD', p .. 's:expiring', exp, token)
end
return { last and 1 or 0, read(token) }
`);
// ARGV[4] = nick, ARGV[5] = nick key.
const SET_NICK = script(`
if not live() then return false end
redis.call('HSET', meta, 'nick', ARGV[4], 'nickKey', ARGV[5])
return read(token)
`);
// Each expired session is deleted by the script that returns it: exactly one sweeper gets it. ARGV[4] = most
// sessions per call, so one sweep never blocks Redis for long (the sweeper calls again while it gets a full batch).
const TAKE_EXPIRED = script(`
local taken = {}
for _, t in ipairs(redis.call('ZRANGEBYSCORE', p .. 's:expiring', '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))) do
  local session = read(t)
  local address = redis.call('HGET', p .. 's:' .. t, 'addr')
  if address and redis.call('HINCRBY', p .. 's:addr', address, -1) <= 0 then redis.call('HDEL', p .. 's:addr', address) end
  for _, n in ipairs(redis.call('HVALS', p .. 's:' .. t .. ':sockets')) do redis.call('SREM', p .. 's:node:' .. n, t) end
  redis.call('DEL', p .. 's:' .. t, p .. 's:' .. t .. ':sockets')
  redis.call('ZREM', p .. 's:expiring', t)
  table.insert(taken, session)
end
return taken
`);
// ARGV[2] = the dead node (not a token here), ARGV[4] = grace ms. Nothing while the node holds a lease again.
// ARGV[5] = most sessions per call; returns { sessions taken, orphaned }, and the caller calls again while a full
// batch was taken.
const REMOVE_NODE = script(`
local node, orphaned = ARGV[2], {}
if redis.call('EXISTS', p .. 'node:' .. node) == 1 then return { 0, orphaned } end
local taken = redis.call('SPOP', p .. 's:node:' .. node, tonumber(ARGV[5]))
for _, t in ipairs(taken) do
  local socketsKey = p .. 's:' .. t .. ':sockets'
  local before = redis.call('HLEN', socketsKey)
  local held = redis.call('HGETALL', socketsKey)
  for i = 1, #held, 2 do if held[i + 1] == node then redis.call('HDEL', socketsKey, held[i]) end end
  if before > 0 and redis.call('HLEN', socketsKey) == 0 and redis.call('EXISTS', p .. 's:' .. t) == 1 then
    local exp = now + tonumber(ARGV[4])
    redis.call('HSET', p .. 's:' .. t, 'exp', exp)
    redis.call('ZADD', p .. 's:expiring', exp, t)
    table.insert(orphaned, read(t))
  end
end
return { #taken, orphaned }
`);
// ARGV[4] = socket id, ARGV[5] = node, ARGV[6] = nick or '', ARGV[7] = nick key or ''.
const REASSERT = script(`
if redis.call('EXISTS', meta) == 0 then redis.call('HSET', meta, 'created', now) end
if ARGV[6] ~= '' then redis.call('HSET', meta, 'nick', ARGV[6], 'nickKey', ARGV[7]) end
attach(ARGV[4], ARGV[5])
return read(token)
`);

function decode(raw: unknown): Session | undefined {
  if (!Array.isArray(raw)) return undefined;
  const [token, metaFlat, socketsFlat] = raw as [string, unknown, unknown];
  const meta = pairs(metaFlat);
  const session: Session = { token, sockets: pairs(socketsFlat) };
  if (meta.nick !== undefined) session.nick = meta.nick;
  if (meta.nickKey !== undefined) session.nickKey = meta.nickKey;
  if (meta.exp !== undefined) session.expiresAt = Number(meta.exp);
  if (meta.addr !== undefined) session.address = meta.addr;
  return session;
}

/** Sessions in Redis, shared by every node; each step is one Lua script. `now` is injectable for tests. */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:',
    private readonly now: () => number = Date.now,
  ) {}

  create(socket: SocketRef): Promise<Session>;
  create(socket: SocketRef, limit: AddressLimit): Promise<Session | 'full'>;
  async create(socket: SocketRef, limit?: AddressLimit): Promise<Session | 'full'> {
    const raw = await this.run(
      CREATE,
      newSessionToken(),
      socket.id,
      socket.node,
      limit?.address ?? '',
      limit?.max ?? 0,
    );
    if (raw === 'full') return raw;
    const session = decode(raw);
    if (!session) throw new Error('session create returned nothing');
    return session;
  }

  async get(token: string): Promise<Session | undefined> {
    return decode(await this.run(GET, token));
  }

  async attach(token: string, socket: SocketRef, maxSockets?: number): Promise<Session | 'full' | undefined> {
    const raw = await this.run(ATTACH, token, socket.id, socket.node, maxSockets ?? '');
    return raw === 'full' ? 'full' : decode(raw);
  }

  open(token: string, socket: SocketRef): Promise<Session>;
  open(token: string, socket: SocketRef, maxSockets: number): Promise<Session | 'full'>;
  async open(token: string, socket: SocketRef, maxSockets?: number): Promise<Session | 'full'> {
    const raw = await this.run(OPEN, token, socket.id, socket.node, maxSockets ?? '');
    if (raw === 'full') return raw;
    const session = decode(raw);
    if (!session) throw new Error('session open returned nothing');
    return session;
  }

  async detach(token: string, socketId: string, graceMs: number): Promise<DetachResult> {
    const raw = await this.run(DETACH, token, socketId, graceMs);
    if (!Array.isArray(raw)) return { lastSocketGone: false };
    const session = decode(raw[1]);
    return session ? { lastSocketGone: raw[0] === 1, session } : { lastSocketGone: raw[0] === 1 };
  }

  async setNick(token: string, nick: string, nickKey: string): Promise<Session | undefined> {
    return decode(await this.run(SET_NICK, token, nick, nickKey));
  }

  async takeExpired(): Promise<Session[]> {
    const taken: Session[] = [];
    for (;;) {
      const raw = (await this.run(TAKE_EXPIRED, '', SWEEP_BATCH)) as unknown[];
      taken.push(...raw.map(decode).filter((s): s is Session => s !== undefined));
      if (raw.length < SWEEP_BATCH) return taken;
    }
  }

  async removeNode(node: string, graceMs: number): Promise<Session[]> {
    const orphaned: Session[] = [];
    for (;;) {
      const [taken, raw] = (await this.run(REMOVE_NODE, node, graceMs, SWEEP_BATCH)) as [number, unknown[]];
      orphaned.push(...raw.map(decode).filter((s): s is Session => s !== undefined));
      if (taken < SWEEP_BATCH) return orphaned;
    }
  }

  /** Puts back a live socket's session after Redis lost it (restarted empty). */
  async reassert(token: string, socket: SocketRef, nick?: { nick: string; key: string }): Promise<void> {
    await this.run(REASSERT, token, socket.id, socket.node, nick?.nick ?? '', nick?.key ?? '');
  }

  private run(lua: LuaScript, token: string, ...rest: (string | number)[]): Promise<unknown> {
    return lua.run(this.redis, [], [this.prefix, token, this.now(), ...rest]);
  }
}
