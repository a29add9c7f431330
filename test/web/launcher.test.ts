import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { chatAs, disconnectAll, inRoom, sendText } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { eventually, openPageWith, screenshot, useBrowser, useSharedWebServer } from './browser.js';

// `<chat-launcher>` as a keyboard user meets it, on a desktop and on a phone: Tab reaches the button, whose name
// says how many messages are unread; Enter opens the chat; Escape closes it and focus returns to the button.

const browser = useBrowser();
const server = useSharedWebServer({ authSecret: TEST_AUTH_SECRET });
let contexts: BrowserContext[] = [];

afterEach(async () => {
  disconnectAll();
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

const SIZES = [
  { label: 'desktop', width: 1280, height: 760 },
  { label: 'phone', width: 390, height: 844 },
] as const;

/** The part of the launcher's shadow root that has focus ('' when focus is elsewhere). */
const focusedPart = (page: Page) =>
  page.evaluate(() => {
    const launcher = document.querySelector('chat-launcher');
    return document.activeElement === launcher ? (launcher?.shadowRoot?.activeElement?.getAttribute('part') ?? '') : '';
  });

for (const size of SIZES) {
  describe(`${size.label} (${size.width} px)`, () => {
    test('Tab, Enter, Escape: the button names the unread count, opens the chat and gets focus back', async () => {
      const sub = `u-${size.label}`;
      const jwt = await signJwt({ sub, name: `kim${size.label}` });
      const bea = await inRoom(await chatAs(server.url, `bea${size.label}`));
      const context = await browser().newContext({ viewport: { width: size.width, height: size.height } });
      contexts.push(context);
      const page = await openPageWith(
        context,
        server.url,
        `<h1>Shop</h1><p>Our products.</p><chat-launcher jwt="${jwt}"></chat-launcher>`,
      );
      const button = page.locator('chat-launcher [part="button"]');
      const panel = page.getByRole('dialog', { name: 'Chat' });
      await eventually(() => button.getAttribute('aria-label')).toBe('Chat');
      await page.waitForFunction(
        () => document.querySelector('chat-launcher')?.shadowRoot?.querySelector('chat-app')?.controller.ready,
      );

      // counted while the panel is closed: the chat inside is alive, only hidden
      await sendText(bea, 'is anyone there?');
      await sendText(bea, 'hello?');
      await eventually(() => button.getAttribute('aria-label')).toBe('Chat, 2 unread');
      expect(await page.locator('chat-launcher [part="button"] [part="badge"]').textContent()).toBe('2');
      expect(await panel.isVisible()).toBe(false);
      await screenshot(page, `launcher-closed-badge-${size.label}`);

      await page.keyboard.press('Tab');
      await eventually(() => focusedPart(page)).toBe('button');
      await page.keyboard.press('Enter');
      await panel.waitFor();
      await eventually(() => focusedPart(page)).toBe('close-button');
      await panel.getByText('hello?').last().waitFor();
      // seen in a focused page: read, and the name says so
      await eventually(() => button.getAttribute('aria-label')).toBe('Chat');
      await screenshot(page, `launcher-open-${size.label}`);
      if (size.label === 'phone') {
        const box = await page.locator('chat-launcher [part="panel"]').boundingBox();
        expect(box).toMatchObject({ x: 0, y: 0, width: size.width, height: size.height });
      }

      await page.keyboard.press('Escape');
      await eventually(() => panel.isVisible()).toBe(false);
      await eventually(() => focusedPart(page)).toBe('button');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
    });
  });
}

test('the panel stays open on the next page of the site, and opens in the corner asked for', async () => {
  const jwt = await signJwt({ sub: 'u-pages', name: 'lee' });
  const context = await browser().newContext({ viewport: { width: 1280, height: 760 } });
  contexts.push(context);
  const body = `<chat-launcher position="bottom-left" jwt="${jwt}"></chat-launcher>`;
  const first = await openPageWith(context, server.url, body);
  await first.locator('chat-launcher [part="button"]').click();
  await first.getByRole('dialog', { name: 'Chat' }).waitFor();
  const next = await openPageWith(context, server.url, body);
  await next.getByRole('dialog', { name: 'Chat' }).waitFor();
  const box = await next.locator('chat-launcher [part="button"]').boundingBox();
  expect(box!.x).toBeLessThan(100);
});
