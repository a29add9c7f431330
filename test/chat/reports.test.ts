import { expect, test } from 'vitest';
import { MESSAGE_LIMIT } from '../../server/lib/rate-limit.js';
import { MAX_REPORT_REASON_CODE_POINTS } from '../../server/protocol/limits.js';
import type { Report } from '../../server/protocol/reports.js';
import { ok, refusal } from '../conversations.js';
import {
  type ChatClient,
  chatAs,
  chatSigned,
  collect,
  connectChat,
  inRoom,
  sendText,
  settle,
  useFreshServer,
} from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';

// `message:report` on a real server (SQLite, or PostgreSQL in that project): who may report, what moderators get.
const ADMIN_TOKEN = 'admin-s3cret';
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET, adminToken: ADMIN_TOKEN });

const moderator = async (sub = 'mod-1', name = 'Mod') =>
  chatSigned(server.url, await signJwt({ sub, name, role: 'moderator' }));

const report = (client: ChatClient, id: number, reason = 'spam', room = 'lobby') =>
  client.emitWithAck('message:report', { room, id, reason });

async function listed(state = 'open'): Promise<Report[]> {
  const res = await fetch(`${server.url}/api/admin/reports?state=${state}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { reports: Report[] }).reports;
}

test('a member reports a message: every moderator gets `report`, nobody else does', async () => {
  const [bea, ana] = [await inRoom(await chatAs(server.url, 'bea')), await inRoom(await chatAs(server.url, 'ana'))];
  const [mod, other] = [await moderator(), await moderator('mod-2', 'Other')]; // in no room: reports still reach them
  const [toMod, toOther, toBea, toAna] = [mod, other, bea, ana].map((c) => collect<Report>(c, 'report')) as [
    Report[],
    Report[],
    Report[],
    Report[],
  ];
  const id = await sendText(bea, 'buy cheap pills');
  const before = Date.now();

  expect(await report(ana, id, '  spam, twice  ')).toEqual({ ok: true });
  await expect.poll(() => toMod.length).toBe(1);
  await expect.poll(() => toOther.length).toBe(1);
  const expected = { id: expect.any(Number), room: 'lobby', messageId: id, author: 'bea', reporter: 'ana' };
  expect(toMod[0]).toEqual({ ...expected, reason: 'spam, twice', at: expect.any(Number), state: 'open' });
  expect(toMod[0]!.at).toBeGreaterThanOrEqual(before);
  expect(toOther).toEqual(toMod);
  await Promise.all([settle(bea), settle(ana)]);
  expect([...toBea, ...toAna]).toEqual([]);
  expect(JSON.stringify(toMod)).not.toContain('pills'); // never the message's text
  expect(await listed()).toEqual(toMod);
});

test('a repeat, from the same tab or another of the same person, is ok and changes nothing', async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  const ana = await connectChat(server.url);
  const registered = await ok(ana.emitWithAck('nick:register', 'ana'));
  const tab = await connectChat(server.url, 'websocket', { auth: { token: registered.token } });
  await Promise.all([inRoom(ana), inRoom(tab)]);
  const mod = await moderator();
  const reports = collect<Report>(mod, 'report');
  const id = await sendText(bea, 'hello');

  expect(await report(ana, id, 'first')).toEqual({ ok: true });
  expect(await report(ana, id, 'again')).toEqual({ ok: true });
  expect(await report(tab, id, 'from the other tab')).toEqual({ ok: true });
  await settle(mod);
  expect(reports.map((r) => r.reason)).toEqual(['first']);
  expect((await listed()).map((r) => r.reason)).toEqual(['first']);
  // Another person reporting the same message is another report.
  expect(await report(bea, id, 'mine too')).toEqual({ ok: true });
  await expect.poll(() => reports.length).toBe(2);
});

test('NOT_FOUND, alike: no such message, a deleted one, another room, a room not heard, a private one', async () => {
  const [bea, ana] = [await inRoom(await chatAs(server.url, 'bea')), await inRoom(await chatAs(server.url, 'ana'))];
  const outsider = await chatAs(server.url, 'cy'); // joined nothing
  const id = await sendText(bea, 'hello');
  const gone = await sendText(bea, 'oops');
  await ok(bea.emitWithAck('message:delete', { room: 'lobby', id: gone }));
  await inRoom(bea, 'elsewhere');
  const elsewhere = await sendText(bea, 'there', 'elsewhere');
  const { room: secret } = await ok(bea.emitWithAck('room:create', { title: 'secret', private: true }));
  const hidden = await sendText(bea, 'members only', secret);
  const mod = await moderator();
  const reports = collect<Report>(mod, 'report');

  expect(await refusal(report(ana, id + 100))).toBe('NOT_FOUND');
  expect(await refusal(report(ana, gone))).toBe('NOT_FOUND');
  expect(await refusal(report(ana, elsewhere))).toBe('NOT_FOUND'); // that id is in another room
  expect(await refusal(report(outsider, id))).toBe('NOT_FOUND'); // a public room it has not joined
  // A private room the caller is not in answers exactly as a private name nobody created.
  const [real, none] = [await report(ana, hidden, 'x', secret), await report(ana, hidden, 'x', `_p-${'A'.repeat(22)}`)];
  expect(real).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  expect(none).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  expect(Object.keys(real)).toEqual(Object.keys(none));
  // Its members may report there.
  expect(await report(bea, hidden, 'x', secret)).toEqual({ ok: true });
  await expect.poll(() => reports.map((r) => r.room)).toEqual([secret]);
  expect((await listed()).length).toBe(1);
});

test('bad input answers its code and stores nothing', async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  const nobody = await connectChat(server.url);
  const id = await sendText(bea, 'hello');
  const send = (payload: unknown) =>
    // @ts-expect-error: malformed payloads on purpose
    bea.emitWithAck('message:report', payload);

  expect(await refusal(report(nobody, id))).toBe('NICK_REQUIRED');
  expect(await refusal(send(undefined))).toBe('BAD_REQUEST');
  expect(await refusal(send({ room: 'lobby', id }))).toBe('BAD_REQUEST'); // no reason
  expect(await refusal(send({ room: 'lobby', id: String(id), reason: 'x' }))).toBe('BAD_REQUEST');
  expect(await refusal(send({ room: 'lobby', id: 1.5, reason: 'x' }))).toBe('BAD_REQUEST');
  expect(await refusal(send({ room: 'lobby', id, reason: 42 }))).toBe('BAD_REQUEST');
  expect(await refusal(report(bea, id, ' \n\t '))).toBe('BAD_REQUEST');
  expect(await refusal(report(bea, id, 'x'.repeat(MAX_REPORT_REASON_CODE_POINTS + 1)))).toBe('BAD_REQUEST');
  expect(await refusal(report(bea, id, 'nul\u0000inside'))).toBe('BAD_REQUEST');
  expect(await refusal(report(bea, id, 'lone \ud800 half'))).toBe('BAD_REQUEST');
  expect(await refusal(report(bea, id, 'e' + '\u0301'.repeat(9)))).toBe('BAD_REQUEST');
  expect(await refusal(report(bea, id, 'x', 'no room'))).toBe('ROOM_INVALID');
  expect(await listed()).toEqual([]);
  // The longest reason, in code points: 500 emoji are 1000 UTF-16 units.
  expect(await report(bea, id, '🚩'.repeat(MAX_REPORT_REASON_CODE_POINTS))).toEqual({ ok: true });
});

test("reports draw on the session's message budget", async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  const ana = await inRoom(await chatAs(server.url, 'ana'));
  const id = await sendText(bea, 'hello');
  const replies = await Promise.all(Array.from({ length: MESSAGE_LIMIT.points + 5 }, () => report(ana, id)));
  expect(replies.filter((r) => r.ok)).toHaveLength(MESSAGE_LIMIT.points);
  expect(replies.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toHaveLength(5);
});

test('reports:list gives a moderator who connects later the open reports; anyone else NOT_ALLOWED', async () => {
  const [bea, ana] = [await inRoom(await chatAs(server.url, 'bea')), await inRoom(await chatAs(server.url, 'ana'))];
  const [first, second] = [await sendText(bea, 'one'), await sendText(bea, 'two')];
  await ok(report(ana, first, 'first'));
  await ok(report(ana, second, 'second'));
  const late = await moderator('mod-3', 'Late');
  const { reports } = await ok(late.emitWithAck('reports:list'));
  expect(reports.map((r) => [r.messageId, r.reason, r.state])).toEqual([
    [second, 'second', 'open'],
    [first, 'first', 'open'],
  ]);
  expect(reports).toEqual(await listed());
  expect(await refusal(ana.emitWithAck('reports:list'))).toBe('NOT_ALLOWED');
  expect(await refusal((await connectChat(server.url)).emitWithAck('reports:list'))).toBe('NICK_REQUIRED');
});
