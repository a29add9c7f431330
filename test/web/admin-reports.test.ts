import { afterEach, expect, test } from 'vitest';
import type { BanList } from '../../server/protocol/admin.js';
import { chatAs, disconnectAll, inRoom, sendText } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { ConsolePages, tabTo } from './admin-console-pages.js';
import { eventually, screenshot, useBrowser, useSharedWebServer } from './browser.js';

// The console's Reports view against the reports routes (GET /api/admin/reports, POST …/:id/resolve) and the
// `message:report` socket event.

const ADMIN_TOKEN = 'reports-admin-s3cret';
const browser = useBrowser();
const server = useSharedWebServer({ adminToken: ADMIN_TOKEN, authSecret: TEST_AUTH_SECRET });
const pages = new ConsolePages(browser, () => server.url);

afterEach(async () => {
  disconnectAll();
  await pages.closeAll();
});

/** `author` says something in lobby and `reporter` reports it; returns the message id. */
async function reported(author: string, reporter: string, reason: string): Promise<number> {
  const a = await inRoom(await chatAs(server.url, author));
  const r = await inRoom(await chatAs(server.url, reporter));
  const id = await sendText(a, `buy cheap stuff from ${author}`);
  const ack = await r.emitWithAck('message:report', { room: 'lobby', id, reason });
  expect(ack).toEqual({ ok: true });
  return id;
}

test('an open report is listed and dismissed with the keyboard', async () => {
  const id = await reported('spam1', 'kind1', 'spam');
  const page = await pages.signedIn(ADMIN_TOKEN);
  await pages.view(page, 'Reports');
  const rows = page.locator('admin-reports tbody tr');
  await eventually(() => rows.count()).toBe(1);
  expect((await rows.first().locator('td').allTextContents()).slice(1, 6)).toEqual([
    'lobby',
    `#${id}`,
    'spam1',
    'kind1',
    'spam',
  ]);
  await screenshot(page, 'admin-reports-open');
  const res = await fetch(`${server.url}/api/admin/reports?state=open`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const { reports } = (await res.json()) as { reports: { id: number }[] };
  await tabTo(page, `Dismiss report ${reports[0]!.id}`);
  await page.keyboard.press('Enter');
  await eventually(() => page.getByText('No open reports.').isVisible()).toBe(true);
});

test('Ban author resolves the report with a ban of the minutes given', async () => {
  await reported('spam2', 'kind2', 'links');
  const page = await pages.signedIn(ADMIN_TOKEN);
  await pages.view(page, 'Reports');
  await page.getByLabel('Ban minutes for spam2 (empty: no end)').fill('30');
  await page.getByRole('button', { name: 'Ban spam2 from lobby' }).click();
  await eventually(() => page.getByText('No open reports.').isVisible()).toBe(true);
  const res = await fetch(`${server.url}/api/admin/rooms/lobby/bans`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const { bans } = (await res.json()) as BanList;
  expect(bans).toMatchObject([{ nick: 'spam2', until: expect.any(Number) }]);
});

test('a moderator signs in and sees the open reports too (a staff route)', async () => {
  await reported('spam3', 'kind3', 'rude');
  const page = await pages.signedIn(await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' }));
  await pages.view(page, 'Reports');
  await eventually(() => page.locator('admin-reports tbody tr').count()).toBeGreaterThan(0);
  expect(await page.getByRole('button', { name: 'Ban spam3 from lobby' }).isVisible()).toBe(true);
});
