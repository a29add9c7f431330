import { rmSync } from 'node:fs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { LocalBus } from '../../server/lib/bus.js';
import { CachedBans } from '../../server/stores/cached-bans.js';
import type { Ban, BanStore } from '../../server/stores/bans.js';
import { SqliteBans } from '../../server/stores/sqlite-bans.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import { tempDataDir } from '../helpers.js';

let dir: string;
let shared: SqliteBans;
let other: SqliteBans; // another node's view of the same database
let published: string[];
let cached: CachedBans;
let bus: LocalBus;

beforeEach(() => {
  dir = tempDataDir();
  shared = new SqliteBans(SqliteDatabase.open(dir));
  other = new SqliteBans(SqliteDatabase.open(dir));
  published = [];
  bus = new LocalBus((err) => {
    throw err;
  });
  bus.subscribe<{ room: string; nickKey: string }>('ban:changed', ({ room, nickKey }) => {
    published.push(`${room}/${nickKey}`);
  });
  cached = new CachedBans(shared, bus);
});
afterEach(async () => {
  await Promise.all([cached.close(), other.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const ban = { room: 'lobby', nick: 'Bea', nickKey: 'bea', by: 'Mod', at: 1 };

test('its own bans and unbans are seen at once and published to the other nodes', async () => {
  expect(await cached.active('lobby', 'bea', Date.now())).toBeUndefined();
  await cached.ban({ ...ban, until: null });
  expect(await cached.active('lobby', 'bea', Date.now())).toEqual({ ...ban, until: null });
  expect(await cached.unban('lobby', 'bea')).toBe(true);
  expect(await cached.active('lobby', 'bea', Date.now())).toBeUndefined();
  expect(published).toEqual(['lobby/bea', 'lobby/bea']);
});

test('another node’s change is seen after its message on the bus, not before', async () => {
  expect(await cached.active('lobby', 'bea', Date.now())).toBeUndefined(); // cached: not banned
  await other.ban({ ...ban, until: null });
  expect(await cached.active('lobby', 'bea', Date.now())).toBeUndefined();
  await bus.publish('ban:changed', { room: 'lobby', nickKey: 'bea' });
  expect(await cached.active('lobby', 'bea', Date.now())).toMatchObject({ nick: 'Bea' });
});

test('a cached timed ban ends on time', async () => {
  const now = Date.now();
  await cached.ban({ ...ban, until: now + 60_000 });
  expect(await cached.active('lobby', 'bea', now)).toMatchObject({ until: now + 60_000 });
  expect(await cached.active('lobby', 'bea', now + 60_000)).toBeUndefined();
});

/** The database's bans, counting the queries that reach it and able to hold `list` until released. */
class CountedBans implements BanStore {
  queries: string[] = [];
  held: (() => void) | undefined;
  constructor(private readonly store: BanStore) {}
  ban(b: Ban) {
    return this.store.ban(b);
  }
  unban(room: string, nickKey: string) {
    return this.store.unban(room, nickKey);
  }
  active(room: string, nickKey: string, now: number) {
    this.queries.push(`active ${room}`);
    return this.store.active(room, nickKey, now);
  }
  async list(room: string, now: number) {
    this.queries.push(`list ${room}`);
    const bans = await this.store.list(room, now);
    if (this.held) await new Promise<void>((release) => (this.held = release));
    return bans;
  }
  close() {
    return Promise.resolve();
  }
}

test('a room full of new nicks costs one query, not one per nick', async () => {
  const counted = new CountedBans(shared);
  const perRoom = new CachedBans(counted, bus);
  await shared.ban({ ...ban, until: null });
  const nicks = Array.from({ length: 100 }, (_, i) => `guest${i}`);
  for (const nick of nicks) expect(await perRoom.active('lobby', nick, Date.now())).toBeUndefined();
  expect(await perRoom.active('lobby', 'bea', Date.now())).toMatchObject({ nick: 'Bea' });
  expect(await perRoom.active('other', 'bea', Date.now())).toBeUndefined();
  expect(counted.queries).toEqual(['list lobby', 'list other']);
});

test('a lookup overtaken by a ban answers once and is not kept', async () => {
  const counted = new CountedBans(shared);
  const perRoom = new CachedBans(counted, bus);
  counted.held = () => {}; // hold the next `list` after it has read the database
  const before = perRoom.active('lobby', 'bea', Date.now());
  await expect.poll(() => counted.queries).toEqual(['list lobby']);
  await perRoom.ban({ ...ban, until: null });
  counted.held?.();
  counted.held = undefined;
  expect(await before).toBeUndefined(); // read before the ban
  expect(await perRoom.active('lobby', 'bea', Date.now())).toMatchObject({ nick: 'Bea' });
  expect(counted.queries).toEqual(['list lobby', 'list lobby']);
});
