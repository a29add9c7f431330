import type { BrowserContext } from 'playwright-core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { chatAs } from '../helpers.js';
import type { ChatNamespaceDemo, NewsTicker } from '../../web/index.js';
import { eventually, useBrowser, messageTexts, openPage, register, screenshot, useWebServer } from './browser.js';

const browser = useBrowser();
// The server skips news for a reader once 64 KiB wait for it (server/lib/backpressure.ts): at 150 items/s
// per topic that takes well under the 2 s pause below.
const server = useWebServer({ newsRate: 1 });
let context: BrowserContext;

beforeEach(async () => {
  context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
});
afterEach(() => context.close());

test('/namespaces.html: chat and news share one WebSocket; slowed down, news is dropped and chat is not', async () => {
  const page = await openPage(context, `${server.url}/namespaces.html`);
  await register(page, 'ana');
  const packetsIn = (nsp: string) =>
    page.locator(`chat-namespace-demo tr[data-nsp="${nsp}"] td.in`).textContent().then(Number);
  await eventually(() => packetsIn('/news')).toBeGreaterThan(3);
  expect(await packetsIn('/chat')).toBeGreaterThan(0);

  const { io } = server.app;
  expect(io.engine.clientsCount).toBe(1);
  const [chatSocket] = io.of('/chat').sockets.values();
  const [newsSocket] = io.of('/news').sockets.values();
  expect(chatSocket?.conn).toBe(newsSocket?.conn);
  expect(chatSocket?.conn.transport.name).toBe('websocket');
  expect(await page.locator('[data-testid="transport"]').textContent()).toBe('websocket');
  expect(await page.locator('news-ticker .missed').textContent()).toBe('0 missed');

  const bot = await chatAs(server.url, 'bot');
  await bot.emitWithAck('room:join', 'namespaces');
  const missed = () =>
    page
      .locator('news-ticker .missed')
      .textContent()
      .then((t) => parseInt(t ?? '', 10));
  const received = () => page.locator('news-ticker').evaluate((el) => (el as NewsTicker).connection.received);
  await page.locator('chat-namespace-demo').evaluate((el: ChatNamespaceDemo) => {
    el.pauseMs = 2000;
    el.readMs = 2000;
  });
  await page.getByRole('switch', { name: 'Slow this page down' }).click();
  await eventually(() => page.locator('[data-testid="transport"]').textContent(), { timeout: 5000 }).toBe('polling');
  // News keeps flowing over polling before the first pause: the reconnect itself is not what drops items.
  const before = { missed: await missed(), received: await received() };
  await eventually(received, { timeout: 10_000 }).toBeGreaterThan(before.received + 5);
  await eventually(() => page.locator('[data-testid="reading"]').textContent(), { timeout: 5000 }).toBe('Not reading');
  const sent = Array.from({ length: 12 }, (_, i) => `chat ${i + 1}`);
  for (const text of sent) await bot.emitWithAck('message:send', { room: 'namespaces', text });
  await eventually(() => messageTexts(page), { timeout: 10_000 }).toEqual(sent);
  await eventually(missed, { timeout: 10_000 }).toBeGreaterThan(before.missed);
  await screenshot(page, 'namespaces-slow');

  await page.getByRole('switch', { name: 'Slow this page down' }).click();
  await eventually(() => page.locator('[data-testid="transport"]').textContent(), { timeout: 15_000 }).toBe(
    'websocket',
  );
  expect(io.engine.clientsCount).toBe(2); // this page and the bot
}, 40_000);
