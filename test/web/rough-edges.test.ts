import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import type { AppDeps } from '../../server/app.js';
import type { Presence } from '../../server/protocol/events.js';
import { type TestServer, chatAs, collect, disconnectAll, settle } from '../helpers.js';
import { eventually, openPage, register, say, screenshot, startWebServer, useBrowser } from './browser.js';
import { usePeople } from './people.js';

const browser = useBrowser();
const people = usePeople(browser);
let server: TestServer | undefined;
let contexts: BrowserContext[] = [];
let sites: Server[] = [];

afterEach(async () => {
  disconnectAll();
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
  await people.release();
  for (const site of sites) site.close();
  sites = [];
  await server?.close();
  server = undefined;
});

async function start(options: Partial<AppDeps> = {}): Promise<TestServer> {
  server = await startWebServer(options);
  return server;
}

async function newContext(width = 1100, height = 760): Promise<BrowserContext> {
  const context = await browser().newContext({ viewport: { width, height } });
  contexts.push(context);
  return context;
}

async function person(url: string, nick: string, width = 1100, height = 760): Promise<Page> {
  const page = await people.open(url, { viewport: { width, height } });
  await register(page, nick);
  return page;
}

const stored = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('chat-session:'));
    return key ? (JSON.parse(localStorage.getItem(key)!) as { nick?: string; rooms?: string[] }) : undefined;
  });

test('a refused rename keeps the current nick: the form says why, can be cancelled, and the stored nick stays', async () => {
  const { url } = await start();
  await chatAs(url, 'bea');
  const ana = await person(url, 'ana');
  await ana.getByRole('button', { name: 'Change nickname: ana' }).click();
  await ana.getByLabel('Nickname', { exact: true }).fill('BEA');
  await ana.getByRole('button', { name: 'Save nickname' }).click();
  await ana.getByRole('alert').getByText('Someone else is using this nickname').waitFor();
  expect((await stored(ana))?.nick).toBe('ana');
  await ana.getByRole('button', { name: 'Cancel' }).click();
  await ana.getByRole('button', { name: 'Change nickname: ana' }).waitFor();
  await ana.reload();
  await ana.getByRole('button', { name: 'Change nickname: ana' }).waitFor();
  expect(await ana.getByLabel('Nickname', { exact: true }).count()).toBe(0);
});

test('a reload does not show the others "left" then "joined"', async () => {
  const { url } = await start({ presenceGraceMs: 2000 });
  const bea = await chatAs(url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const ana = await person(url, 'ana');
  await eventually(() => ana.locator('chat-member-list li').count()).toBe(2);
  // Collect only once bea has had ana's first `joined`: it comes before a reply that lists ana as a member.
  const members = async () => {
    const reply = await bea.emitWithAck('room:members', 'lobby');
    return reply.ok ? reply.members : [];
  };
  await eventually(members).toContain('ana');
  const presence = collect<Presence>(bea, 'presence');
  await ana.reload();
  await ana.getByRole('button', { name: 'Change nickname: ana' }).waitFor();
  await eventually(() => ana.locator('chat-member-list li').count()).toBe(2);
  // A marker that leaves after ana's reload: its `left` comes after any ana would have caused.
  const marker = await chatAs(url, 'marker');
  await marker.emitWithAck('room:join', 'lobby');
  marker.disconnect();
  await eventually(() => presence.some((p) => p.left === 'marker')).toBe(true);
  await settle(bea);
  expect(presence.filter((p) => p.joined === 'ana' || p.left === 'ana')).toEqual([]);
  expect(await bea.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['ana', 'bea'] });
});

test('the first room is announced with chat-room-change, and own bubbles follow --chat-accent', async () => {
  const { url } = await start();
  const page = await (await newContext()).newPage();
  await page.addInitScript(() => {
    const rooms: string[] = [];
    Object.assign(window, { rooms });
    document.addEventListener('chat-room-change', (e) => rooms.push((e as CustomEvent<{ room: string }>).detail.room));
    document.addEventListener('DOMContentLoaded', () =>
      document.querySelector('chat-app')?.style.setProperty('--chat-accent', 'rgb(200, 30, 30)'),
    );
  });
  await page.goto(`${url}/`);
  await register(page, 'ana');
  await eventually(() => page.evaluate(() => (window as unknown as { rooms: string[] }).rooms)).toEqual(['lobby']);
  await say(page, 'in red');
  const bubble = page.locator('[part~="message"][part~="own"] [part~="text"]').first();
  /** The bubble's background as [r, g, b] in 0-255; the pending bubble is replaced once stored, so read it again. */
  const channels = async () => {
    const rgb = await bubble.evaluate((el) => getComputedStyle(el).backgroundColor);
    // color-mix() computes to `color(srgb r g b)` with 0–1 channels
    const scale = rgb.startsWith('color(') ? 255 : 1;
    return (rgb.match(/[\d.]+/g) ?? []).map((n) => Number(n) * scale);
  };
  // reddish, not the default indigo
  await eventually(async () => {
    const [r = 0, g = 0, b = 0] = await channels();
    return Math.min(r - b, r - g);
  }).toBeGreaterThan(15);
  await screenshot(page, 'own-bubble-accent');
});

test('the ticker says when it is offline, can be collapsed (remembered), and a 360 px screen keeps room for the chat', async () => {
  const { url } = await start({ newsRate: 5 });
  const context = await newContext(360, 640);
  const page = await openPage(context, `${url}/`);
  await register(page, 'ana');
  const ticker = page.locator('news-ticker');
  await ticker.locator('[part="item"]').first().waitFor();
  await eventually(() => ticker.locator('[part="stats"]').textContent()).toContain('items/s');
  const [chatBox, tickerBox] = [await page.locator('chat-app').boundingBox(), await ticker.boundingBox()];
  expect(chatBox!.height).toBeGreaterThanOrEqual(640 * 0.55);
  expect(tickerBox!.height).toBeLessThanOrEqual(640 * 0.3);
  await screenshot(page, 'ticker-360');

  await context.setOffline(true);
  await eventually(() => ticker.locator('[part="stats"]').textContent(), { timeout: 5000 }).toContain('Offline');
  expect(await ticker.locator('[part="stats"]').textContent()).not.toContain('items/s');
  await screenshot(page, 'ticker-offline-360');
  await context.setOffline(false);
  await eventually(() => ticker.locator('[part="stats"]').textContent(), { timeout: 10_000 }).toContain('items/s');
  await eventually(() => ticker.locator('[part="item"]').count()).toBeGreaterThan(0);

  await ticker.getByRole('button', { name: 'Hide headlines' }).click();
  await eventually(() => ticker.locator('[part="list"]').isVisible()).toBe(false);
  const collapsed = (await ticker.boundingBox())!.height;
  expect(collapsed).toBeLessThan(80);
  await screenshot(page, 'ticker-collapsed-360');
  await page.reload();
  await ticker.getByRole('button', { name: 'Show headlines' }).waitFor();
  expect(await ticker.locator('[part="list"]').isVisible()).toBe(false);
  await ticker.getByRole('button', { name: 'Show headlines' }).click();
  await ticker.locator('[part="item"]').first().waitFor();
});

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A site that hosts its own copy of the bundle and points the element at a chat server that does not allow it. */
async function selfHostingSite(chatUrl: string): Promise<string> {
  const bundle = readFileSync(`${root}dist/web/chat.js`);
  const site = createServer((req, res) => {
    if (req.url === '/chat.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(bundle);
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><title>Blog</title>
      <script type="module" src="/chat.js"></script></head><body>
      <h1>A blog the chat server does not know</h1>
      <chat-app server="${chatUrl}" style="height: 26rem"></chat-app>
      <news-ticker server="${chatUrl}" style="height: 10rem"></news-ticker></body></html>`);
  });
  sites.push(site);
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}

test('on an origin the server refuses, the element says so in words and the console names CORS_ORIGINS', async () => {
  const { url } = await start();
  const origin = await selfHostingSite(url);
  const page = await (await newContext(900, 600)).newPage();
  const warnings: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'warning') warnings.push(msg.text());
  });
  await page.goto(origin);
  await page
    .locator('chat-app')
    .getByRole('alert')
    .getByText('its server does not accept connections from this site')
    .waitFor();
  await eventually(() => page.locator('chat-app chat-status [part="label"]').textContent()).toBe(
    'Not available on this site',
  );
  expect(await page.getByLabel('Nickname', { exact: true }).count()).toBe(0);
  await page.locator('news-ticker').getByRole('alert').getByText('Headlines cannot be shown on this page').waitFor();
  expect(await page.locator('news-ticker [part="stats"]').textContent()).toContain('Not available on this site');
  await eventually(() => warnings.join('\n')).toContain('CORS_ORIGINS');
  expect(warnings.join('\n')).toContain(origin);
  await screenshot(page, 'origin-refused');
});
