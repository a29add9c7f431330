import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  eventually,
  openPage,
  register,
  say,
  screenshot,
  startWebServer,
  useBrowser,
  useWebServer,
} from './browser.js';

const browser = useBrowser();
const server = useWebServer({ newsRate: 0 }); // the test publishes what it needs
let context: BrowserContext;

beforeEach(async () => {
  context = await browser().newContext({ viewport: { width: 1280, height: 1000 } });
});
afterEach(() => context.close());

const demo = (page: Page) => page.locator('chat-namespace-demo');
const cell = (page: Page, delivery: string, reader: string, what: 'got' | 'missed') =>
  demo(page).locator(`tr[data-delivery="${delivery}"] td[data-reader="${reader}"] .${what}`).textContent().then(Number);
const newsRoom = (key: string) => server.app.io.of('/news').adapter.rooms.get(key)?.size ?? 0;

async function burst(n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, i) => server.app.feed.publish('tech', `burst ${i}`)));
}

test('acks are counted with their round trips, and your message gets its stored tick when the ack arrives', async () => {
  const page = await openPage(context, `${server.url}/namespaces.html`);
  await register(page, 'ana');
  await eventually(() => demo(page).locator('tr[data-nsp="/chat"] .acked').textContent().then(Number)).toBeGreaterThan(
    1, // nick:register and room:join at least
  );
  expect(await demo(page).locator('tr[data-nsp="/chat"] .rtt').textContent()).toMatch(/^\d+ ms · \d+ ms$/);
  await eventually(() => demo(page).locator('tr[data-nsp="/news"] .acked').textContent().then(Number)).toBeGreaterThan(
    0, // news:topics and the subscriptions
  );
  await say(page, 'is it stored?');
  const mine = demo(page).locator('[part="sent"] li', { hasText: 'is it stored?' });
  await eventually(() => mine.getAttribute('data-state')).toBe('stored');
  expect(await mine.locator('.tick').textContent()).toBe('✓');
  expect(await mine.textContent()).toMatch(/stored · ack after \d+ ms/);
});

test('the delivery switch: volatile drops items in a burst even for a healthy reader, flow-controlled does not', async () => {
  const page = await openPage(context, `${server.url}/namespaces.html`);
  await register(page, 'ana');
  await eventually(() => newsRoom('topic:tech')).toBe(1);

  await page.getByRole('switch', { name: 'News with Socket.IO volatile' }).click();
  await eventually(() => newsRoom('topic-volatile:tech')).toBe(1);
  expect(newsRoom('topic:tech')).toBe(0);
  await burst(100);
  // Gaps show when a later item arrives: single items, published while the connection is idle, get through.
  await eventually(async () => {
    await server.app.feed.publish('tech', 'after the burst');
    return cell(page, 'volatile', 'healthy', 'missed');
  }).toBeGreaterThan(0);

  await page.getByRole('switch', { name: 'News with Socket.IO volatile' }).click();
  await eventually(() => newsRoom('topic:tech')).toBe(1);
  const before = await cell(page, 'flow-controlled', 'healthy', 'got');
  await burst(100);
  await eventually(() => cell(page, 'flow-controlled', 'healthy', 'got')).toBeGreaterThanOrEqual(before + 100);
  expect(await cell(page, 'flow-controlled', 'healthy', 'missed')).toBe(0);
  await screenshot(page, 'namespaces-delivery');
});

test('the headline and the counter agree: one connection, also after the slow-reader switch', async () => {
  const page = await openPage(context, `${server.url}/namespaces.html`);
  await register(page, 'ana');
  const connections = () => demo(page).locator('[data-testid="connections"]').textContent();
  await eventually(connections).toBe('1');
  await page.locator('chat-namespace-demo').evaluate((el: HTMLElement & { readMs: number }) => (el.readMs = 500));
  const slow = page.getByRole('switch', { name: 'Slow this page down' });
  await slow.click();
  await eventually(() => demo(page).locator('[data-testid="transport"]').textContent()).toBe('polling');
  // Switched back while the page is not reading: its long-polling transport is paused (or pausing), a state in
  // which engine.io's close() does nothing, so the switch must reopen it before reconnecting.
  await demo(page).getByText('Not reading').waitFor();
  await slow.click();
  await eventually(() => demo(page).locator('[data-testid="transport"]').textContent(), { timeout: 15_000 }).toBe(
    'websocket',
  );
  await eventually(connections).toBe('1');
  expect(await demo(page).locator('[data-testid="reconnects"]').textContent()).toMatch(/reopened \d+×/);
  expect(await page.locator('h1').textContent()).toContain('One connection');
  await eventually(() => server.app.io.engine.clientsCount).toBe(1);
  await screenshot(page, 'namespaces-headline');
}, 40_000);

test('with the demo feed, volatile loses most of each round even for a healthy reader; flow control loses nothing', async () => {
  const fed = await startWebServer({ newsRate: 10 }); // every topic, ten rounds a second
  try {
    const page = await openPage(context, `${fed.url}/namespaces.html`);
    await register(page, 'ana');
    await eventually(() => cell(page, 'flow-controlled', 'healthy', 'got'), { timeout: 10_000 }).toBeGreaterThan(30);
    expect(await cell(page, 'flow-controlled', 'healthy', 'missed')).toBe(0);

    await page.getByRole('switch', { name: 'News with Socket.IO volatile' }).click();
    // Only the first topic of each round gets through: the other two are missed, though they never arrive.
    await eventually(
      async () => {
        const [got, missed] = await Promise.all([
          cell(page, 'volatile', 'healthy', 'got'),
          cell(page, 'volatile', 'healthy', 'missed'),
        ]);
        return got >= 10 && missed > got;
      },
      { timeout: 10_000 },
    ).toBe(true);
    expect(await cell(page, 'flow-controlled', 'healthy', 'missed')).toBe(0);
    await screenshot(page, 'namespaces-volatile-misses');
  } finally {
    await fed.close();
  }
}, 40_000);

test('while the slowed page is not reading, the chat status does not say the connection is fine', async () => {
  const page = await openPage(context, `${server.url}/namespaces.html`);
  await register(page, 'ana');
  const status = page.locator('chat-app chat-status');
  await eventually(() => status.locator('[part="label"]').textContent()).toBe('Online');
  await page.getByRole('switch', { name: 'Slow this page down' }).click();
  await eventually(() => demo(page).locator('[data-testid="reading"]').textContent(), { timeout: 10_000 }).toBe(
    'Not reading',
  );
  expect(await status.locator('[part="label"]').textContent()).toBe('Not reading: new messages wait on the server');
  expect(await status.getAttribute('status')).not.toBe('online');
  await screenshot(page, 'namespaces-not-reading');
  await page.getByRole('switch', { name: 'Slow this page down' }).click();
  await eventually(() => status.locator('[part="label"]').textContent(), { timeout: 10_000 }).not.toContain(
    'Not reading',
  );
}, 40_000);
