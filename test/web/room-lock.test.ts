import type { BrowserContext } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { chatAs } from '../helpers.js';
import { eventually, log, openPageWith, register, say, screenshot, useBrowser, useWebServer } from './browser.js';

const browser = useBrowser();
const server = useWebServer();
let context: BrowserContext;

afterEach(() => context.close());

/** The chat rooms anyone is in, on the server. */
const occupiedRooms = () =>
  [...server.app.io.of('/chat').adapter.rooms]
    .filter(([key, sockets]) => key.startsWith('room:') && sockets.size > 0)
    .map(([key]) => key.slice('room:'.length));

test('a widget with lock-room shows and joins only its room: no room list, no switching, no hash', async () => {
  context = await browser().newContext({ viewport: { width: 900, height: 620 } });
  // Rooms joined on another page of this origin must not come back into the locked widget.
  await context.addInitScript(() => {
    if (location.pathname.startsWith('/test-page'))
      localStorage.setItem(`chat-session:${location.origin}`, JSON.stringify({ rooms: ['lobby', 'random'] }));
  });
  const page = await openPageWith(
    context,
    server.url,
    `<chat-app lock-room room="support" hash-routing style="height: 34rem; --chat-accent: #0b6e4f"></chat-app>`,
  );
  await register(page, 'customer');
  await eventually(() => page.locator('chat-app [part="title"]').textContent()).toContain('# support');
  await say(page, 'Where is my parcel?');
  await log(page).getByText('Where is my parcel?').waitFor();
  expect(await page.locator('chat-room-list').count()).toBe(0);
  expect(await page.getByRole('button', { name: /Rooms/ }).count()).toBe(0);
  expect(await page.getByLabel('Join or create a room').count()).toBe(0);
  expect(new URL(page.url()).hash).toBe('');
  expect(occupiedRooms()).toEqual(['support']);
  // The page script cannot join another room through the element either.
  const refused = await page.evaluate(
    async () => (await document.querySelector('chat-app')!.controller.join('lobby'))?.code,
  );
  expect(refused).toBe('NOT_ALLOWED');
  expect(occupiedRooms()).toEqual(['support']);
  await screenshot(page, 'locked-widget');
  // Narrow: still no Rooms button, the members stay behind their button.
  await page.setViewportSize({ width: 420, height: 620 });
  expect(await page.getByRole('button', { name: /Rooms/ }).count()).toBe(0);
  await page.getByRole('button', { name: 'Members' }).waitFor();
  await screenshot(page, 'locked-widget-narrow');
});

test('a rooms list offers exactly those rooms (busy or not) and no field to join others', async () => {
  const other = await chatAs(server.url, 'regular');
  await other.emitWithAck('room:join', 'lobby');
  await other.emitWithAck('room:join', 'news');
  context = await browser().newContext({ viewport: { width: 1100, height: 640 } });
  const page = await openPageWith(
    context,
    server.url,
    `<chat-app rooms="help, news, faq" style="height: 34rem"></chat-app>`,
  );
  await register(page, 'reader');
  await eventually(() => page.locator('chat-app [part="title"]').textContent()).toContain('# help');
  const offered = page.locator('chat-room-list [part="other-room"]');
  await eventually(() => offered.allTextContents()).toEqual([
    expect.stringMatching(/# news\s*1 person/),
    expect.stringMatching(/# faq\s*0 people/),
  ]);
  expect(await page.getByLabel('Join or create a room').count()).toBe(0);
  await offered.first().click();
  await eventually(() => page.locator('chat-app [part="title"]').textContent()).toContain('# news');
  await eventually(() => offered.allTextContents()).toEqual([expect.stringMatching(/# faq/)]);
  const refused = await page.evaluate(
    async () => (await document.querySelector('chat-app')!.controller.join('lobby'))?.code,
  );
  expect(refused).toBe('NOT_ALLOWED');
  await screenshot(page, 'rooms-list-widget');
});
