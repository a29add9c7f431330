import type { Redis } from 'ioredis';
import type { RoomSummary } from '../../protocol/events.js';
import type { PresenceChange, PresenceEntry, PresenceLeft, PresenceRegistry } from '../presence.js';
import { LuaScript, SWEEP_BATCH } from './lua.js';

// A room is `<p>p:<room>:sockets` (socket → JSON entry) and `<p>p:<room>:nicks` (nick → sockets); `<p>rooms`
// ranks rooms by -people; `<p>p:node:<node>` lists `room\0socket` per node. Every diff (joined, left, count) is
// decided inside one script, so for one change exactly one caller sees `changed` and every node reads one count.
// ARGV[1] = prefix.
const PRELUDE = `
local p = ARGV[1]
local function keys(room) return p .. 'p:' .. room .. ':sockets', p .. 'p:' .. room .. ':nicks' end
local function recount(room, nicks)
  local count = redis.call('HLEN', nicks)
  if count == 0 then redis.call('ZREM', p .. 'rooms', room) else redis.call('ZADD', p .. 'rooms', -count, room) end
  return count
end
local function add(room, entry, json)
  local sockets, nicks = keys(room)
  redis.call('HSET', sockets, entry.socket, json)
  redis.call('SADD', p .. 'p:node:' .. entry.node, room .. '\\0' .. entry.socket)
  return redis.call('HINCRBY', nicks, entry.nick, 1) == 1
end
local function remove(room, socket)
  local sockets, nicks = keys(room)
  local json = redis.call('HGET', sockets, socket)
  if not json then return false end
  local entry = cjson.decode(json)
  redis.call('HDEL', sockets, socket)
  redis.call('SREM', p .. 'p:node:' .. entry.node, room .. '\\0' .. socket)
  if redis.call('HINCRBY', nicks, entry.nick, -1) <= 0 then
    redis.call('HDEL', nicks, entry.nick)
    return entry
  end
  return false
end
`;
const script = (body: string) => new LuaScript(PRELUDE + body);

// ARGV[2] = room, ARGV[3] = entry JSON.
const JOIN = script(`
local room = ARGV[2]
local sockets, nicks = keys(room)
local entry = cjson.decode(ARGV[3])
local held = redis.call('HGET', sockets, entry.socket)
if held then
  -- A socket recovered on another node keeps its id: the entry moves to that node, nobody joined.
  local old = cjson.decode(held)
  if old.node ~= entry.node then
    redis.call('SREM', p .. 'p:node:' .. old.node, room .. '\\0' .. entry.socket)
    redis.call('SADD', p .. 'p:node:' .. entry.node, room .. '\\0' .. entry.socket)
    old.node = entry.node
    redis.call('HSET', sockets, entry.socket, cjson.encode(old))
  end
  return { 0, redis.call('HLEN', nicks) }
end
local changed = add(room, entry, ARGV[3])
return { changed and 1 or 0, recount(room, nicks) }
`);
// ARGV[2] = room, ARGV[3] = socket.
const LEAVE = script(`
local room = ARGV[2]
local _, nicks = keys(room)
local gone = remove(room, ARGV[3])
return { gone and 1 or 0, recount(room, nicks) }
`);
// ARGV[2] = room, ARGV[3] = session, ARGV[4] = new nick.
const RENAME = script(`
local room = ARGV[2]
local sockets, nicks = keys(room)
local moved = {}
local held = redis.call('HGETALL', sockets)
for i = 1, #held, 2 do
  local entry = cjson.decode(held[i + 1])
  if entry.session == ARGV[3] then table.insert(moved, entry) end
end
for _, entry in ipairs(moved) do
  remove(room, entry.socket)
  entry.nick = ARGV[4]
  add(room, entry, cjson.encode(entry))
end
return { #moved > 0 and 1 or 0, recount(room, nicks) }
`);
// ARGV[2] = node, ARGV[3] = most entries per call. Returns { entries taken, { room, nick, count } per nick that
// left a room }; the caller calls again while a full batch was taken. Nothing while the node holds a lease
// (leases.ts): it restarted under the same id after it was found dead, and these entries are its new sockets'.
const REMOVE_NODE = script(`
if redis.call('EXISTS', p .. 'node:' .. ARGV[2]) == 1 then return { 0, {} } end
local left = {}
local taken = redis.call('SPOP', p .. 'p:node:' .. ARGV[2], tonumber(ARGV[3]))
for _, member in ipairs(taken) do
  local cut = string.find(member, '\\0', 1, true)
  local room, socket = string.sub(member, 1, cut - 1), string.sub(member, cut + 1)
  local _, nicks = keys(room)
  local gone = remove(room, socket)
  local count = recount(room, nicks)
  if gone then table.insert(left, { room, gone.nick, count }) end
end
return { #taken, left }
`);

const change = (raw: unknown): PresenceChange => {
  const [changed, count] = raw as [number, number];
  return { changed: changed === 1, count };
};

/** Presence in Redis: counts and diffs are the same for every node. */
export class RedisPresence implements PresenceRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:',
  ) {}

  async join(room: string, entry: PresenceEntry): Promise<PresenceChange> {
    const json = JSON.stringify({ nick: entry.nick, session: entry.session, socket: entry.socket, node: entry.node });
    return change(await this.run(JOIN, room, json));
  }

  async leave(room: string, socket: string): Promise<PresenceChange> {
    return change(await this.run(LEAVE, room, socket));
  }

  async rename(room: string, session: string, to: string): Promise<PresenceChange> {
    return change(await this.run(RENAME, room, session, to));
  }

  async members(room: string): Promise<string[]> {
    const nicks = await this.redis.hkeys(`${this.prefix}p:${room}:nicks`);
    return nicks.sort((a, b) => a.localeCompare(b));
  }

  async rooms(limit: number): Promise<RoomSummary[]> {
    // Ties come back in byte order of the name, which is the order of localeCompare for ASCII names.
    const flat = await this.redis.zrange(`${this.prefix}rooms`, 0, limit - 1, 'WITHSCORES');
    const rooms: RoomSummary[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) rooms.push({ name: flat[i]!, members: -Number(flat[i + 1]) });
    return rooms;
  }

  async removeNode(node: string): Promise<PresenceLeft[]> {
    const left: PresenceLeft[] = [];
    for (;;) {
      const [taken, batch] = (await this.run(REMOVE_NODE, node, String(SWEEP_BATCH))) as [
        number,
        [string, string, number][],
      ];
      left.push(...batch.map(([room, nick, count]) => ({ room, nick, count })));
      if (taken < SWEEP_BATCH) return left;
    }
  }

  private run(lua: LuaScript, ...args: string[]): Promise<unknown> {
    return lua.run(this.redis, [], [this.prefix, ...args]);
  }
}
