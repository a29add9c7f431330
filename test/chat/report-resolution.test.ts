import { expect, test } from 'vitest';
import type { AuditEntry, BanList } from '../../server/protocol/admin.js';
import type { MessageDeleted, Notice } from '../../server/protocol/events.js';
import type { Report } from '../../server/protocol/reports.js';
import { ok, refusal } from '../conversations.js';
import { type ChatClient, chatAs, chatSigned, collect, inRoom, sendText, settle, useFreshServer } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';

// Resolving reports over the admin API and a moderator's socket: each action's effect, and one audit entry each.
const ADMIN_TOKEN = 'admin-s3cret';
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET, adminToken: ADMIN_TOKEN });

function admin(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) {
  return fetch(`${server.url}/api/admin${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

const resolve = (id: number, body: unknown) => admin('POST', `/reports/${id}/resolve`, body);

async function json<T>(res: Promise<Response>, status = 200): Promise<T> {
  const answer = await res;
  expect(answer.status).toBe(status);
  return (await answer.json()) as T;
}

const audit = async () => (await json<{ entries: AuditEntry[] }>(admin('GET', '/audit'))).entries;
const listed = async (query = '') => (await json<{ reports: Report[] }>(admin('GET', `/reports${query}`))).reports;

/** Bea's message in the lobby, reported by Ana; the room's clients and the report. */
async function reported(text = 'buy pills'): Promise<{ bea: ChatClient; ana: ChatClient; report: Report }> {
  const [bea, ana] = [await inRoom(await chatAs(server.url, 'bea')), await inRoom(await chatAs(server.url, 'ana'))];
  const id = await sendText(bea, text);
  await ok(ana.emitWithAck('message:report', { room: 'lobby', id, reason: 'selling pills' }));
  const [report] = await listed();
  return { bea, ana, report: report! };
}

const entry = (report: Report, reason: string) => ({
  ...{ id: expect.any(Number), at: expect.any(Number), actor: 'admin-api', action: 'resolve-report' },
  ...{ room: 'lobby', target: String(report.id), reason },
});

test('the list: open by default, by state, newest first; bad state 400; staff only', async () => {
  const { bea, ana } = await reported();
  const second = await sendText(bea, 'more');
  await ok(ana.emitWithAck('message:report', { room: 'lobby', id: second, reason: 'again' }));
  const open = await listed();
  expect(open.map((r) => r.reason)).toEqual(['again', 'selling pills']);
  expect(await listed('?state=open')).toEqual(open);
  expect(await listed('?state=dismissed')).toEqual([]);
  const res = await admin('GET', '/reports');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect((await admin('GET', '/reports?state=closed')).status).toBe(400);
  expect((await admin('GET', '/reports?state=open&state=open')).status).toBe(400);
  expect((await admin('GET', '/reports', undefined, null)).status).toBe(401);
  expect((await admin('GET', '/reports', undefined, 'wrong')).status).toBe(401);
});

test('dismiss: the message stays; one audit entry; moderators see the new state; twice is 409', async () => {
  const { report } = await reported();
  const mod = await chatSigned(server.url, await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' }));
  const events = collect<Report>(mod, 'report');
  const resolved = await json<Report>(resolve(report.id, { action: 'dismiss' }));
  expect(resolved).toEqual({ ...report, state: 'dismissed' });
  await expect.poll(() => events).toEqual([resolved]);
  expect(await listed()).toEqual([]);
  expect(await listed('?state=dismissed')).toEqual([resolved]);
  expect(await audit()).toEqual([entry(report, 'dismiss')]);

  const again = await json<{ error: string }>(resolve(report.id, { action: 'delete' }), 409);
  expect(again.error).toMatch(/^CONFLICT: report \d+ is dismissed already$/);
  expect(await audit()).toHaveLength(1);
  const history = await ok(mod.emitWithAck('room:history', { room: 'lobby' }));
  expect(history.messages.map((m) => m.deleted ?? false)).toEqual([false]);
});

test('delete: the room gets message:deleted; one entry, resolve-report and no delete', async () => {
  const { bea, report } = await reported();
  const deletions = collect<MessageDeleted>(bea, 'message:deleted');
  expect(await json<Report>(resolve(report.id, { action: 'delete' }))).toMatchObject({ state: 'deleted' });
  await expect.poll(() => deletions).toEqual([{ id: report.messageId, room: 'lobby' }]);
  expect(await audit()).toEqual([entry(report, 'delete')]);
  expect(JSON.stringify(await audit())).not.toContain('pills');
});

test("ban: the author's nick is banned with the report's reason; one entry, resolve-report and no ban", async () => {
  const { bea, ana, report } = await reported();
  const notices = collect<Notice>(ana, 'notice');
  const before = Date.now();
  expect(await json<Report>(resolve(report.id, { action: 'ban', minutes: 5 }))).toMatchObject({ state: 'banned' });
  await expect.poll(() => notices.map((n) => [n.type, n.nick, n.reason])).toEqual([['ban', 'bea', 'selling pills']]);
  expect(await refusal(bea.emitWithAck('room:join', 'lobby'))).toBe('BANNED');
  const { bans } = await json<BanList>(admin('GET', '/rooms/lobby/bans'));
  expect(bans).toMatchObject([{ nick: 'bea', reason: 'selling pills', by: 'admin' }]);
  expect(bans[0]!.until).toBeGreaterThanOrEqual(before + 5 * 60_000);
  expect(await audit()).toEqual([entry(report, 'ban')]);
});

test('bad requests: unknown id 404, bad id or body 400, no token 401; none audited', async () => {
  const { report } = await reported();
  expect((await resolve(report.id + 100, { action: 'dismiss' })).status).toBe(404);
  expect((await admin('POST', '/reports/0x10/resolve', { action: 'dismiss' })).status).toBe(400);
  expect((await admin('POST', '/reports/0/resolve', { action: 'dismiss' })).status).toBe(400);
  for (const body of [{}, { action: 'nuke' }, { action: 'dismiss', minutes: 5 }, { action: 'ban', minutes: -1 }]) {
    expect((await resolve(report.id, body)).status, JSON.stringify(body)).toBe(400);
  }
  expect((await admin('POST', `/reports/${report.id}/resolve`)).status).toBe(400);
  const noToken = await admin('POST', `/reports/${report.id}/resolve`, { action: 'dismiss' }, null);
  expect(noToken.status).toBe(401);
  expect(await audit()).toEqual([]);
  expect(await listed()).toEqual([report]);
});

test('report:resolve: moderators only, audited as the moderator; a resolved report is NOT_ALLOWED', async () => {
  const { ana, report } = await reported();
  const mod = await chatSigned(server.url, await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' }));
  expect(await refusal(ana.emitWithAck('report:resolve', { id: report.id, action: 'dismiss' }))).toBe('NOT_ALLOWED');
  // @ts-expect-error: a malformed action on purpose
  expect(await refusal(mod.emitWithAck('report:resolve', { id: report.id, action: 'nuke' }))).toBe('BAD_REQUEST');
  const reply = await ok(mod.emitWithAck('report:resolve', { id: report.id, action: 'dismiss' }));
  expect(reply.report).toMatchObject({ id: report.id, state: 'dismissed' });
  expect(await refusal(mod.emitWithAck('report:resolve', { id: report.id, action: 'dismiss' }))).toBe('NOT_ALLOWED');
  expect(await refusal(mod.emitWithAck('report:resolve', { id: report.id + 9, action: 'dismiss' }))).toBe('NOT_FOUND');
  await settle(mod);
  expect(await audit()).toEqual([{ ...entry(report, 'dismiss'), actor: { nick: 'Mod', sub: 'mod-1' } }]);
});
