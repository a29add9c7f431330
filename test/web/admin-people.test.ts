import { text } from 'node:stream/consumers';
import { afterEach, expect, test } from 'vitest';
import { chatSigned, disconnectAll, inRoom, sendText } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { ConsolePages } from './admin-console-pages.js';
import { eventually, screenshot, useBrowser, useSharedWebServer } from './browser.js';

// The console's People view against GET /api/admin/users/:sub/export and DELETE /api/admin/users/:sub.

const ADMIN_TOKEN = 'people-admin-s3cret';
const browser = useBrowser();
const server = useSharedWebServer({ adminToken: ADMIN_TOKEN, authSecret: TEST_AUTH_SECRET });
const pages = new ConsolePages(browser, () => server.url);

afterEach(async () => {
  disconnectAll();
  await pages.closeAll();
});

test('Export downloads the NDJSON through a Blob link; Erase needs the sub typed again', async () => {
  const kim = await inRoom(await chatSigned(server.url, await signJwt({ sub: 'u-kim', name: 'Kim' })));
  await sendText(kim, 'one');
  await sendText(kim, 'two');
  const page = await pages.signedIn(ADMIN_TOKEN);
  await pages.view(page, 'People');
  await page.getByLabel('Subject (sub)').fill('u-kim');
  await page.getByRole('button', { name: 'Export' }).click();
  const link = page.getByRole('link', { name: 'Download export-u-kim.ndjson' });
  await link.waitFor();
  expect(await link.getAttribute('href')).toMatch(/^blob:/); // the token never goes in a URL
  expect(
    await page
      .locator('admin-people')
      .getByText(/Export of u-kim: 2 messages, /)
      .count(),
  ).toBe(1);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  // a stream, not a path: the browser may run in another process (test/web/global-setup.ts)
  const first = JSON.parse((await text(await download.createReadStream())).split('\n')[0]!) as unknown;
  expect(first).toMatchObject({ type: 'export', sub: 'u-kim', counts: { messages: 2 } });
  await screenshot(page, 'admin-people-export');

  const erase = page.getByRole('button', { name: 'Erase u-kim' });
  expect(await erase.isDisabled()).toBe(true);
  await page.getByLabel('Type u-kim to confirm').fill('u-ki');
  expect(await erase.isDisabled()).toBe(true);
  await page.getByLabel('Type u-kim to confirm').fill('u-kim');
  await page.getByLabel('Type u-kim to confirm').press('Enter');
  await eventually(() => page.getByRole('status').filter({ hasText: 'Erased' }).textContent()).toBe(
    'Erased u-kim: 2 messages deleted.',
  );
});

test('a moderator’s token is forbidden to export or erase (admin routes)', async () => {
  const jwt = await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' });
  const headers = { authorization: `Bearer ${jwt}` };
  expect((await fetch(`${server.url}/api/admin/users/u-kim/export`, { headers })).status).toBe(403);
  expect((await fetch(`${server.url}/api/admin/users/u-kim`, { method: 'DELETE', headers })).status).toBe(403);
});
