import { afterEach, expect, test } from 'vitest';
import { chatAs, disconnectAll, inRoom } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { ConsolePages } from './admin-console-pages.js';
import { eventually, screenshot, useBrowser, useSharedWebServer } from './browser.js';

// The console's retention panel (Rooms view, admin only) against GET/PUT /api/admin/rooms/:room/retention:
// needs the retention branch merged.

const ADMIN_TOKEN = 'retention-admin-s3cret';
const browser = useBrowser();
const server = useSharedWebServer({ adminToken: ADMIN_TOKEN, authSecret: TEST_AUTH_SECRET });
const pages = new ConsolePages(browser, () => server.url);

afterEach(async () => {
  disconnectAll();
  await pages.closeAll();
});

const retention = async (room: string) =>
  (
    await fetch(`${server.url}/api/admin/rooms/${room}/retention`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
  ).json() as Promise<unknown>;

test('a room’s retention is shown, set for the room, and put back to the default', async () => {
  await inRoom(await chatAs(server.url, 'bea'), 'lobby');
  const page = await pages.signedIn(ADMIN_TOKEN);
  await pages.view(page, 'Rooms');
  await page.getByRole('button', { name: 'Retention of lobby' }).click();
  const shown = page.locator('admin-retention [data-retention]');
  await eventually(() => shown.textContent()).toMatch(/\(the default\)/);

  await page.getByLabel('Days to keep (0: for ever)').fill('7');
  await page.getByLabel('Days to keep (0: for ever)').press('Enter');
  await eventually(() => shown.textContent()).toMatch(/7 days\s+\(set for this room\)/);
  expect(await retention('lobby')).toEqual({ room: 'lobby', days: 7, override: true });
  await screenshot(page, 'admin-retention-set');

  await page.getByRole('button', { name: 'Use the default' }).click();
  await eventually(() => shown.textContent()).toMatch(/\(the default\)/);
  expect(await retention('lobby')).toMatchObject({ room: 'lobby', override: false });
});

test('a moderator’s token is forbidden to read or set retention (admin routes)', async () => {
  const jwt = await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' });
  const headers = { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' };
  const url = `${server.url}/api/admin/rooms/lobby/retention`;
  expect((await fetch(url, { headers })).status).toBe(403);
  expect((await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ days: 1 }) })).status).toBe(403);
});
