import { beforeEach, describe, expect, test } from 'vitest';
import type { SessionStore } from '../../server/stores/sessions.js';

/** A clock the test moves by hand; stores take it as `now`. */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = 1_700_000_000_000): TestClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

/** What every SessionStore must do. `make` gets the clock the store must read its time from. */
export function describeSessionStore(name: string, make: (clock: TestClock) => Promise<SessionStore>): void {
  describe(`SessionStore: ${name}`, () => {
    let clock: TestClock;
    let sessions: SessionStore;
    beforeEach(async () => {
      clock = testClock();
      sessions = await make(clock);
    });

    test('create gives a 144-bit base64url token with the socket attached; get finds it', async () => {
      const session = await sessions.create({ id: 's1', node: 'n1' });
      expect(session.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(session.sockets).toEqual({ s1: 'n1' });
      expect(await sessions.get(session.token)).toEqual(session);
      expect(await sessions.get('A'.repeat(24))).toBeUndefined();
      expect((await sessions.create({ id: 's2', node: 'n1' })).token).not.toBe(session.token);
    });

    test('open creates a session with a chosen token, or attaches to it and cancels its expiry', async () => {
      const opened = await sessions.open('u.abc', { id: 's1', node: 'n1' });
      expect(opened).toMatchObject({ token: 'u.abc', sockets: { s1: 'n1' } });
      await sessions.setNick('u.abc', 'Ana', 'ana');
      await sessions.detach('u.abc', 's1', 1000);
      const again = await sessions.open('u.abc', { id: 's2', node: 'n2' });
      expect(again).toEqual({ token: 'u.abc', nick: 'Ana', nickKey: 'ana', sockets: { s2: 'n2' } });
      clock.advance(2000);
      expect(await sessions.takeExpired()).toEqual([]);
      expect(await sessions.get('u.abc')).toMatchObject({ nick: 'Ana' });
    });

    test('under an address limit, create is full at the limit until a session of that address is taken', async () => {
      const limit = { address: '10.0.0.1', max: 2 };
      const first = await sessions.create({ id: 's1', node: 'n1' }, limit);
      if (first === 'full') throw new Error('full at once');
      expect(first.address).toBe('10.0.0.1');
      expect(await sessions.create({ id: 's2', node: 'n1' }, limit)).not.toBe('full');
      expect(await sessions.create({ id: 's3', node: 'n1' }, limit)).toBe('full');
      expect(await sessions.create({ id: 's3', node: 'n1' }, { address: '10.0.0.2', max: 2 })).not.toBe('full');
      await sessions.detach(first.token, 's1', 1000);
      expect(await sessions.create({ id: 's3', node: 'n1' }, limit)).toBe('full'); // detached, not yet ended
      clock.advance(1000);
      expect((await sessions.takeExpired()).map((session) => session.token)).toEqual([first.token]);
      expect(await sessions.create({ id: 's3', node: 'n1' }, limit)).not.toBe('full');
    });

    test('takeExpired takes every expired session, however many', async () => {
      const tokens = [];
      for (let i = 0; i < 1200; i++) {
        const { token } = await sessions.create({ id: `s${i}`, node: 'n1' });
        await sessions.detach(token, `s${i}`, 10);
        tokens.push(token);
      }
      clock.advance(10);
      expect((await sessions.takeExpired()).map((session) => session.token).sort()).toEqual(tokens.sort());
      expect(await sessions.takeExpired()).toEqual([]);
    });

    test('open with a cap is full at the cap; a socket already attached is not counted twice', async () => {
      await sessions.open('u.cap', { id: 's1', node: 'n1' }, 2);
      expect(await sessions.open('u.cap', { id: 's2', node: 'n2' }, 2)).not.toBe('full');
      expect(await sessions.open('u.cap', { id: 's3', node: 'n1' }, 2)).toBe('full');
      expect(await sessions.open('u.cap', { id: 's2', node: 'n2' }, 2)).toMatchObject({
        sockets: { s1: 'n1', s2: 'n2' },
      });
    });

    test('setNick records the nick and its key', async () => {
      const { token } = await sessions.create({ id: 's1', node: 'n1' });
      await sessions.setNick(token, 'Zoë', 'zoe');
      expect(await sessions.get(token)).toMatchObject({ nick: 'Zoë', nickKey: 'zoe' });
      expect(await sessions.setNick('A'.repeat(24), 'x', 'x')).toBeUndefined();
    });

    test('only the last socket going starts the expiry; the store decides which is last', async () => {
      const { token } = await sessions.create({ id: 's1', node: 'n1' });
      await sessions.attach(token, { id: 's2', node: 'n2' });
      expect(await sessions.detach(token, 's1', 1000)).toMatchObject({ lastSocketGone: false });
      expect(await sessions.detach(token, 's1', 1000)).toMatchObject({ lastSocketGone: false }); // twice: no-op
      const last = await sessions.detach(token, 's2', 1000);
      expect(last).toMatchObject({ lastSocketGone: true, session: { expiresAt: clock.now() + 1000 } });
    });

    test('attach with a cap refuses a new socket of a full session, as one step; a socket it holds is fine', async () => {
      const { token } = await sessions.create({ id: 's1', node: 'n1' });
      const tries = await Promise.all(['s2', 's3', 's4'].map((id) => sessions.attach(token, { id, node: 'n1' }, 2)));
      expect(tries.filter((t) => t === 'full')).toHaveLength(2);
      expect(await sessions.attach(token, { id: 's1', node: 'n1' }, 2)).toMatchObject({ token });
      expect(Object.keys((await sessions.get(token))!.sockets)).toHaveLength(2);
    });

    test('a detached session can be attached again before it expires, which cancels the expiry', async () => {
      const { token } = await sessions.create({ id: 's1', node: 'n1' });
      await sessions.detach(token, 's1', 1000);
      clock.advance(999);
      expect(await sessions.attach(token, { id: 's2', node: 'n1' })).toMatchObject({ sockets: { s2: 'n1' } });
      clock.advance(10_000);
      expect(await sessions.takeExpired()).toEqual([]);
      expect(await sessions.get(token)).toBeDefined();
    });

    test('after its expiry a session is gone: not found, not attachable, taken by exactly one sweep', async () => {
      const { token } = await sessions.create({ id: 's1', node: 'n1' });
      await sessions.setNick(token, 'ana', 'ana');
      await sessions.detach(token, 's1', 1000);
      expect(await sessions.takeExpired()).toEqual([]);
      clock.advance(1000);
      expect(await sessions.get(token)).toBeUndefined();
      expect(await sessions.attach(token, { id: 's2', node: 'n1' })).toBeUndefined();
      const [first, second] = await Promise.all([sessions.takeExpired(), sessions.takeExpired()]);
      expect([...first, ...second]).toMatchObject([{ token, nick: 'ana', nickKey: 'ana' }]);
    });

    test('a clean disconnect (grace 0) expires at once', async () => {
      const { token } = await sessions.create({ id: 's1', node: 'n1' });
      await sessions.detach(token, 's1', 0);
      expect((await sessions.takeExpired()).map((s) => s.token)).toEqual([token]);
    });

    test("removeNode detaches exactly that node's sockets; sessions left without any expire after the grace", async () => {
      const onlyDead = await sessions.create({ id: 'a', node: 'dead' });
      const both = await sessions.create({ id: 'b', node: 'dead' });
      await sessions.attach(both.token, { id: 'c', node: 'alive' });
      const elsewhere = await sessions.create({ id: 'd', node: 'alive' });
      const orphaned = await sessions.removeNode('dead', 500);
      expect(orphaned.map((s) => s.token)).toEqual([onlyDead.token]);
      expect((await sessions.get(both.token))?.sockets).toEqual({ c: 'alive' });
      expect((await sessions.get(elsewhere.token))?.sockets).toEqual({ d: 'alive' });
      clock.advance(500);
      expect((await sessions.takeExpired()).map((s) => s.token)).toEqual([onlyDead.token]);
    });
  });
}
