import { describe, expect, test } from 'vitest';
import type { AuditEntry, RetentionState } from '../../server/protocol/admin.js';
import type { Message } from '../../server/protocol/events.js';
import { type ChatClient, chatAs, sendText, useFreshServer } from '../helpers.js';
import { idsOf, insertOld } from './retention-rows.js';

// Retention on a real server (SQLite, or PostgreSQL in that project): old rows are put straight into the table
// with an old `ts`, as if sent then.
const ADMIN_TOKEN = 'admin-s3cret';

function admin(url: string, method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) {
  return fetch(`${url}/api/admin${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const ids = (messages: readonly Message[]) => messages.map((m) => m.id);

async function join(client: ChatClient, room: string) {
  const res = await client.emitWithAck('room:join', room);
  if (!res.ok) throw new Error(res.error.code);
  return res;
}

/** Every message of a room a client can see, paged back through room:history from the latest. */
async function pagedBack(client: ChatClient, room: string): Promise<number[]> {
  const seen: number[] = [];
  let page = await client.emitWithAck('room:history', { room, limit: 3 });
  while (page.ok && page.messages.length > 0) {
    seen.unshift(...ids(page.messages));
    page = await client.emitWithAck('room:history', { room, before: page.messages[0]!.id, limit: 3 });
  }
  return seen;
}

describe('between sweeps', () => {
  // A sweep that never comes during a test: only the reads' own cutoff hides old messages.
  const server = useFreshServer({ adminToken: ADMIN_TOKEN, retentionDays: 30, retentionSweep: { everyMs: 3_600_000 } });

  test('history and joins never return a message past its age, though it is still stored', async () => {
    const old = await insertOld(server.dataDir, 'lobby', 6, 31);
    const ana = await chatAs(server.url, 'ana');
    const sent = [
      await sendText(await joined(ana, 'lobby'), 'one'),
      await sendText(ana, 'two'),
      await sendText(ana, 'three'),
    ];

    const res = await join(ana, 'lobby');
    expect(ids(res.history)).toEqual(sent);
    expect(res.retentionDays).toBe(30);
    const page = async (query: object) => {
      const reply = await ana.emitWithAck('room:history', { room: 'lobby', ...query });
      return reply.ok ? ids(reply.messages) : reply.error.code;
    };
    expect(await page({})).toEqual(sent);
    expect(await page({ before: sent[0] })).toEqual([]);
    expect(await page({ before: sent[1] })).toEqual([sent[0]]);
    expect(await page({ after: old[2] })).toEqual(sent);
    expect(await pagedBack(ana, 'lobby')).toEqual(sent);
    expect(await idsOf(server.dataDir, 'lobby')).toEqual([...old, ...sent]); // not purged yet
  });

  test("a room's override wins over RETENTION_DAYS, for reads as soon as it is set", async () => {
    const ana = await chatAs(server.url, 'ana');
    const tenDays = await insertOld(server.dataDir, 'short', 3, 10);
    const yesterday = await insertOld(server.dataDir, 'short', 2, 1);
    const ancient = await insertOld(server.dataDir, 'forever', 2, 400);
    expect(ids((await join(ana, 'short')).history)).toEqual([...tenDays, ...yesterday]);

    expect((await admin(server.url, 'PUT', '/rooms/short/retention', { days: 5 })).status).toBe(200);
    expect((await admin(server.url, 'PUT', '/rooms/forever/retention', { days: 0 })).status).toBe(200);
    const short = await join(ana, 'short');
    expect([ids(short.history), short.retentionDays]).toEqual([yesterday, 5]);
    const forever = await join(ana, 'forever');
    expect([ids(forever.history), forever.retentionDays]).toEqual([ancient, 0]);
    expect(await pagedBack(ana, 'short')).toEqual(yesterday);

    // Back to the default (30 days): the ten-day-old messages show again, as they were never purged.
    expect((await admin(server.url, 'PUT', '/rooms/short/retention', { days: null })).status).toBe(200);
    const back = await join(ana, 'short');
    expect([ids(back.history), back.retentionDays]).toEqual([[...tenDays, ...yesterday], 30]);
  });

  test('PUT and GET retention: the days in effect, whether overridden, one audit entry per PUT', async () => {
    const get = async (room: string) =>
      (await (await admin(server.url, 'GET', `/rooms/${room}/retention`)).json()) as RetentionState;
    expect(await get('lobby')).toEqual({ room: 'lobby', days: 30, override: false });
    for (const [days, reply] of [
      [7, { room: 'lobby', days: 7 }],
      [0, { room: 'lobby', days: 0 }],
      [null, { room: 'lobby', days: null }],
    ] as const) {
      const res = await admin(server.url, 'PUT', '/rooms/lobby/retention', { days });
      expect([res.status, await res.json()]).toEqual([200, reply]);
    }
    expect(await get('lobby')).toEqual({ room: 'lobby', days: 30, override: false });
    expect((await admin(server.url, 'PUT', '/rooms/lobby/retention', { days: 0 })).status).toBe(200);
    expect(await get('lobby')).toEqual({ room: 'lobby', days: 0, override: true });
    const res = await admin(server.url, 'GET', '/audit');
    const { entries } = (await res.json()) as { entries: AuditEntry[] };
    const entry = (target: string) => ({
      actor: 'admin-api',
      action: 'set-retention',
      room: 'lobby',
      target,
      reason: null,
    });
    expect(entries).toMatchObject([entry('0'), entry('default'), entry('0'), entry('7')]);
  });

  test('bad input is 400 with the error JSON and changes nothing; without the token, 401', async () => {
    const bodies = [{}, { days: -1 }, { days: 1.5 }, { days: '7' }, { days: 36_501 }, { day: 7 }, [7]];
    for (const body of bodies) {
      const res = await admin(server.url, 'PUT', '/rooms/lobby/retention', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/^BAD_REQUEST: /) });
    }
    // Not a JSON object at all: the body parser's 400.
    for (const body of ['{"days":', '7', 'null'])
      expect((await admin(server.url, 'PUT', '/rooms/lobby/retention', body)).status, body).toBe(400);
    const badRoom = await admin(server.url, 'PUT', '/rooms/no%20room/retention', { days: 1 });
    expect([badRoom.status, await badRoom.json()]).toEqual([400, { error: expect.stringMatching(/^ROOM_INVALID: /) }]);
    expect((await admin(server.url, 'GET', '/rooms/no%20room/retention')).status).toBe(400);
    for (const token of [null, 'wrong']) {
      expect((await admin(server.url, 'PUT', '/rooms/lobby/retention', { days: 1 }, token)).status).toBe(401);
      expect((await admin(server.url, 'GET', '/rooms/lobby/retention', undefined, token)).status).toBe(401);
    }
    const { entries } = (await (await admin(server.url, 'GET', '/audit')).json()) as { entries: AuditEntry[] };
    expect(entries).toEqual([]);
  });
});

describe('the sweep', () => {
  // Small batches, so a purge takes several; a sweep every 50 ms.
  const server = useFreshServer({
    adminToken: ADMIN_TOKEN,
    retentionDays: 30,
    retentionSweep: { everyMs: 50, batchRows: 7, pauseMs: 0 },
  });

  test('purges exactly the messages older than the limit, the override of a room winning, without gaps', async () => {
    const bea = await chatAs(server.url, 'bea');
    await join(bea, 'short'); // her read marker starts at 0 in an empty room: every later message is unread
    for (const [room, days] of [
      ['short', 5],
      ['forever', 0],
    ] as const)
      expect((await admin(server.url, 'PUT', `/rooms/${room}/retention`, { days })).status).toBe(200);
    const lobbyOld = await insertOld(server.dataDir, 'lobby', 25, 40);
    const lobbyKept = await insertOld(server.dataDir, 'lobby', 5, 10);
    const shortOld = await insertOld(server.dataDir, 'short', 10, 10);
    const shortKept = await insertOld(server.dataDir, 'short', 4, 1);
    const forever = await insertOld(server.dataDir, 'forever', 10, 400);

    await expect.poll(() => idsOf(server.dataDir, 'lobby')).toEqual(lobbyKept);
    await expect.poll(() => idsOf(server.dataDir, 'short')).toEqual(shortKept);
    expect(await idsOf(server.dataDir, 'forever')).toEqual(forever);
    expect(lobbyOld.length + shortOld.length).toBe(35);

    // What stays is paged back to the start with nothing missing, and counted as unread exactly.
    const ana = await chatAs(server.url, 'ana');
    await join(ana, 'lobby');
    expect(await pagedBack(ana, 'lobby')).toEqual(lobbyKept);
    expect(await pagedBack(ana, 'short')).toEqual(shortKept);
    const again = await join(bea, 'short');
    expect([again.unread, ids(again.history)]).toEqual([shortKept.length, shortKept]);
    // New messages after a purge carry on from the last id: none is reused.
    expect(await sendText(ana, 'new')).toBeGreaterThan(Math.max(...forever));
  });
});

async function joined(client: ChatClient, room: string): Promise<ChatClient> {
  await join(client, room);
  return client;
}
