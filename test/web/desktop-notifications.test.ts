import type { BrowserContext } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { NOTIFY_EVERY_MS } from '../../web/controllers/notifier.js';
import { chatAs, disconnectAll } from '../helpers.js';
import { eventually, log, openPage, register, useBrowser, useWebServer } from './browser.js';

// The full browser: the headless shell the other browser tests use denies notifications whatever is granted.
const browser = useBrowser('full');
const server = useWebServer();
let context: BrowserContext | undefined;

afterEach(async () => {
  disconnectAll();
  await context?.close();
  context = undefined;
});

test('desktop notifications: on from the bell; for a mention, and while hidden for the open room', async () => {
  context = await browser().newContext({ viewport: { width: 1100, height: 760 } });
  await context.grantPermissions(['notifications'], { origin: server.url });
  await context.addInitScript(() => {
    const Real = window.Notification;
    const seen: { title: string; body: string }[] = [];
    let asked = 0;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        seen.push({ title, body: options?.body ?? '' });
      }
      static override requestPermission(...args: Parameters<typeof Notification.requestPermission>) {
        asked++;
        return Real.requestPermission(...args);
      }
    }
    Object.assign(window, { Notification: Recorded, notificationsSeen: seen, permissionAsked: () => asked });
  });
  const ana = await openPage(context, `${server.url}/`);
  await register(ana, 'ana');
  await ana.clock.install(); // the page's timers from here on run when the test says (a room's 10 s window)
  const seen = () => ana.evaluate(() => (window as unknown as { notificationsSeen: unknown[] }).notificationsSeen);
  const bell = ana.locator('chat-app [part="notify-button"]');
  expect(await bell.getAttribute('aria-pressed')).toBe('false');
  await bell.click();
  await eventually(() => bell.getAttribute('aria-pressed')).toBe('true');

  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  await bea.emitWithAck('message:send', { room: 'lobby', text: 'just chatting' });
  await bea.emitWithAck('message:send', { room: 'lobby', text: 'hey @ana, look' });
  await log(ana).getByText('hey @ana, look').waitFor();
  await eventually(seen).toEqual([{ title: 'bea in #lobby', body: 'hey @ana, look' }]);
  // Granted already, so the click did not need to ask; and nothing asked on page load.
  expect(await ana.evaluate(() => (window as unknown as { permissionAsked: () => number }).permissionAsked())).toBe(0);

  // With the tab hidden, any message in the open room is announced.
  await ana.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await bea.emitWithAck('message:send', { room: 'lobby', text: 'are you there?' });
  await log(ana).getByText('are you there?').waitFor();
  // A room notifies at most once every 10 s: the latest message waits for the end of the window.
  expect(await seen()).toHaveLength(1);
  await ana.clock.runFor(NOTIFY_EVERY_MS);
  await eventually(seen).toEqual([
    { title: 'bea in #lobby', body: 'hey @ana, look' },
    { title: 'bea in #lobby', body: 'are you there?' },
  ]);
});
