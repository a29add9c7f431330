import { beforeEach, expect, test } from 'vitest';
import { LocalBus } from '../../server/lib/bus.js';
import { CachedSessions } from '../../server/stores/cached-sessions.js';
import { MemorySessionStore, type Session } from '../../server/stores/sessions.js';

/** The shared store, counting reads, with `get` held back on demand (an answer still on its way). */
class SharedStore extends MemorySessionStore {
  reads = 0;
  hold: Promise<void> | undefined;

  override async get(token: string): Promise<Session | undefined> {
    this.reads++;
    const answer = await super.get(token);
    await this.hold;
    return answer;
  }
}

let shared: SharedStore;
let nodeA: CachedSessions;
let nodeB: CachedSessions;

// Two nodes over one shared store and one bus, as a cluster runs them (in one process here).
beforeEach(() => {
  shared = new SharedStore();
  const bus = new LocalBus((err) => {
    throw err;
  });
  nodeA = new CachedSessions(shared, bus, 'a');
  nodeB = new CachedSessions(shared, bus, 'b');
});

test("a session of this node's socket is read from the store once; another node's change is seen after it", async () => {
  const { token } = await nodeA.create({ id: 's1', node: 'a' });
  await nodeA.setNick(token, 'ana', 'ana');
  for (let i = 0; i < 5; i++) expect(await nodeA.get(token)).toMatchObject({ nick: 'ana' });
  expect(shared.reads).toBe(0);

  await nodeB.attach(token, { id: 's2', node: 'b' }); // a second tab, on node B
  await nodeB.setNick(token, 'ana-2', 'ana-2');
  expect(await nodeA.get(token)).toMatchObject({ nick: 'ana-2', sockets: { s1: 'a', s2: 'b' } });
  expect(await nodeA.get(token)).toMatchObject({ nick: 'ana-2' });
  expect(shared.reads).toBe(1);
});

test('an answer overtaken by a change notice is not kept', async () => {
  const { token } = await nodeA.create({ id: 's1', node: 'a' });
  await nodeB.setNick(token, 'old', 'old'); // node A's copy dropped: its next get asks the store
  let release = () => undefined as void;
  shared.hold = new Promise<void>((resolve) => (release = resolve));
  const stale = nodeA.get(token); // answered 'old', held on its way back
  await Promise.resolve();
  shared.hold = undefined;
  await nodeB.setNick(token, 'new', 'new'); // its notice reaches node A before the old answer
  release();
  expect(await stale).toMatchObject({ nick: 'old' });
  expect(await nodeA.get(token)).toMatchObject({ nick: 'new' });
});

test("another node's sessions are not kept: each read asks the store", async () => {
  const { token } = await nodeB.create({ id: 's1', node: 'b' });
  await nodeA.get(token);
  await nodeA.get(token);
  expect(shared.reads).toBe(2);
});

test('a session whose last socket here went is dropped from the copies', async () => {
  const { token } = await nodeA.create({ id: 's1', node: 'a' });
  await nodeA.detach(token, 's1', 60_000);
  await nodeA.get(token);
  expect(shared.reads).toBe(1);
});

test('a lost change notice leaves a copy stale for SESSION_COPY_MAX_AGE_MS at most', async () => {
  const silent = () => new LocalBus(() => undefined); // each node its own bus: no notice ever crosses
  const [soonA, soonB] = [new CachedSessions(shared, silent(), 'a', 50), new CachedSessions(shared, silent(), 'b')];
  const { token } = await soonA.create({ id: 's1', node: 'a' });
  await soonA.setNick(token, 'ana', 'ana');
  await soonB.setNick(token, 'ana-2', 'ana-2');
  expect(await soonA.get(token)).toMatchObject({ nick: 'ana' }); // the notice was lost
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(await soonA.get(token)).toMatchObject({ nick: 'ana-2' });
});
