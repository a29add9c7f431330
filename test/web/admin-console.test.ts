import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { chatAs, connectChat, connectNews, disconnectAll } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { focusedName, tabTo } from './admin-console-pages.js';
import { eventually, openPage, screenshot, useBrowser, useSharedWebServer } from './browser.js';

// The admin console (/admin) as an operator and a moderator use it, with the keyboard, on a desktop and a phone.

const ADMIN_TOKEN = 'console-admin-s3cret';
const browser = useBrowser();
const server = useSharedWebServer({ adminToken: ADMIN_TOKEN, authSecret: TEST_AUTH_SECRET });
let contexts: BrowserContext[] = [];

afterEach(async () => {
  disconnectAll();
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

const SIZES = [
  { label: 'desktop', width: 1280, height: 800 },
  { label: 'phone', width: 390, height: 844 },
] as const;

async function consolePage(width = 1280, height = 800): Promise<Page> {
  const context = await browser().newContext({ viewport: { width, height } });
  contexts.push(context);
  return openPage(context, `${server.url}/admin`);
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Token').fill(token);
  await page.getByLabel('Token').press('Enter');
}

function adminCall(method: string, path: string, body?: unknown) {
  return fetch(`${server.url}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const overflowsNothing = (page: Page, width: number, where: string) =>
  eventually(() => page.evaluate(() => document.documentElement.scrollWidth), { message: where }).toBeLessThanOrEqual(
    width,
  );

const navNames = (page: Page) =>
  page.getByRole('navigation', { name: 'Console views' }).getByRole('button').allInnerTexts();

test('/admin is the console page, loading its own hashed bundle, and may not be framed', async () => {
  const res = await fetch(`${server.url}/admin`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(await res.text()).toMatch(/<script type="module" src="\/admin-[A-Z0-9]{8}\.js"><\/script>/);
  const chat = await fetch(`${server.url}/`);
  expect(chat.headers.get('content-security-policy')).not.toContain("frame-ancestors 'none'");
});

test('a wrong token shows why and keeps the sign-in form; nothing is kept', async () => {
  const page = await consolePage();
  await signIn(page, 'not-the-token');
  await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('Wrong or expired token.');
  expect(await page.getByLabel('Token').isVisible()).toBe(true);
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  await screenshot(page, 'admin-sign-in-error');
});

test('ADMIN_TOKEN: the overview counts the connected clients; the token stays out of the URL', async () => {
  await chatAs(server.url, 'bea');
  await connectChat(server.url);
  await connectNews(server.url);
  const page = await consolePage();
  await signIn(page, ADMIN_TOKEN);
  await eventually(() => page.locator('[data-count="chat"]').textContent()).toBe('2');
  expect(await page.locator('[data-count="news"]').textContent()).toBe('1');
  expect(await page.locator('admin-overview tbody tr').count()).toBe(1);
  expect(await page.locator('admin-overview tbody td').nth(1).textContent()).toBe('OK');
  expect(await navNames(page)).toEqual(['Overview', 'Rooms', 'Bans', 'Reports', 'Audit log', 'People']);
  expect(page.url()).toBe(`${server.url}/admin`);
  await screenshot(page, 'admin-overview-desktop');

  await page.reload(); // the token is in sessionStorage: a reload stays signed in
  await page.getByRole('button', { name: 'Sign out' }).click();
  expect(await page.getByLabel('Token').isVisible()).toBe(true);
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
});

test('the bans view lists a ban made through the API and unbans it with the keyboard', async () => {
  expect((await adminCall('POST', '/rooms/lobby/bans', { nick: 'spammer', reason: 'links', minutes: 60 })).status).toBe(
    201,
  );
  const page = await consolePage();
  await signIn(page, ADMIN_TOKEN);
  await tabTo(page, 'Bans');
  await page.keyboard.press('Enter');
  await eventually(() => page.locator('admin-bans tbody tr').count()).toBe(1);
  expect((await page.locator('admin-bans tbody td').allTextContents()).slice(0, 4)).toEqual([
    'spammer',
    expect.any(String),
    'links',
    'admin',
  ]);
  await screenshot(page, 'admin-bans-desktop');
  await tabTo(page, 'Unban spammer');
  await page.keyboard.press('Enter');
  await eventually(() => page.getByText('No bans in lobby.').isVisible()).toBe(true);
  expect(await page.getByRole('status').filter({ hasText: 'spammer' }).textContent()).toBe(
    'spammer is no longer banned from lobby.',
  );
  expect(await (await adminCall('GET', '/rooms/lobby/bans')).json()).toEqual({ bans: [] });
});

test('the audit log pages with Older and Newer, 50 entries a page, newest first', async () => {
  for (let i = 0; i < 55; i++) await adminCall('POST', '/rooms/audited/bans', { nick: `n${i}` });
  // the server is shared by the file: other tests' entries come before these
  const { entries } = (await (await adminCall('GET', '/audit?limit=200')).json()) as { entries: unknown[] };
  const page = await consolePage();
  await signIn(page, ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Audit log' }).click();
  const rows = page.locator('admin-audit tbody tr');
  await eventually(() => rows.count()).toBe(50);
  expect(await rows.first().locator('td').nth(5).textContent()).toBe('n54');
  await screenshot(page, 'admin-audit-desktop');
  await tabTo(page, 'Older');
  await page.keyboard.press('Enter');
  await eventually(() => rows.count()).toBe(entries.length - 50);
  expect(await rows.first().locator('td').nth(5).textContent()).toBe('n4');
  expect(await page.getByText('Page 2', { exact: true }).isVisible()).toBe(true);
  expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
  await tabTo(page, 'Newer');
  await page.keyboard.press('Enter');
  await eventually(() => rows.count()).toBe(50);
  await eventually(() => focusedName(page)).toBe('Older'); // Newer is disabled on the first page: focus moved on
  expect(await rows.first().locator('td').nth(5).textContent()).toBe('n54');
});

test('a moderator’s token: its name in the header, and no audit log or people views', async () => {
  const page = await consolePage();
  await signIn(page, await signJwt({ sub: 'mod-7', name: 'Mo', role: 'moderator' }));
  await eventually(() => page.getByText('Moderator Mo').isVisible()).toBe(true);
  expect(await navNames(page)).toEqual(['Overview', 'Rooms', 'Bans', 'Reports']);
  await page.getByRole('button', { name: 'Rooms' }).click();
  await eventually(() => page.locator('admin-rooms').getByText('Nobody is in a public room.').isVisible()).toBe(true);
  expect(await page.getByRole('heading', { name: 'Retention' }).count()).toBe(0);
});

test('a signed token without the moderator role is refused at sign-in', async () => {
  const page = await consolePage();
  await signIn(page, await signJwt({ sub: 'u-1', name: 'Kim' }));
  await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('This token may not do that.');
});

test('the rooms view lists the public rooms in use and how long they keep messages; Bans opens that room’s bans', async () => {
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'café');
  const page = await consolePage();
  await signIn(page, ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Rooms' }).click();
  await eventually(() => page.locator('admin-rooms tbody td').allTextContents()).toEqual([
    'café',
    '1',
    'for ever',
    expect.any(String),
  ]);
  await screenshot(page, 'admin-rooms-desktop');
  await page.getByRole('button', { name: 'Bans in café' }).click();
  await eventually(() => page.getByText('No bans in café.').isVisible()).toBe(true);
});

for (const size of SIZES) {
  describe(`${size.label} (${size.width} px)`, () => {
    test('every view fits the width: nothing scrolls sideways but a table inside itself', async () => {
      await chatAs(server.url, `w${size.label}`).then((c) => c.emitWithAck('room:join', 'lobby'));
      await adminCall('POST', '/rooms/lobby/bans', { nick: `long-nick-${size.label}`, reason: 'a rather long reason' });
      const page = await consolePage(size.width, size.height);
      await overflowsNothing(page, size.width, 'sign-in');
      await signIn(page, ADMIN_TOKEN);
      await page.locator('[data-count="chat"]').waitFor();
      for (const view of ['Overview', 'Rooms', 'Bans', 'Reports', 'Audit log', 'People']) {
        await page.getByRole('navigation', { name: 'Console views' }).getByRole('button', { name: view }).click();
        await page.getByRole('heading', { name: view, exact: true }).waitFor();
        await overflowsNothing(page, size.width, view);
        await screenshot(page, `admin-${view.toLowerCase().replace(' ', '-')}-${size.label}`);
      }
    });
  });
}
