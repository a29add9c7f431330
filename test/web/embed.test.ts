import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type TestServer, chatAs, disconnectAll, nextEvent } from '../helpers.js';
import type { Message } from '../../server/protocol/events.js';
import { eventually, useBrowser, log, openPage, register, say, screenshot, startWebServer } from './browser.js';

/** A third party's web server: one page that embeds the chat from the chat server, the documented way. */
async function thirdPartySite(chatServer: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body>
      <h1>A shop that embeds the chat</h1>
      <script type="module" src="${chatServer()}/chat.js"></script>
      <script type="module" src="${chatServer()}/chat.js?again"></script>
      <chat-app room="support" style="height: 30rem"></chat-app>
      <news-ticker topics="tech" style="height: 12rem"></news-ticker></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const browser = useBrowser();
let chat: TestServer;
let allowed: { origin: string; server: Server };
let stranger: { origin: string; server: Server };
let context: BrowserContext;

beforeEach(async () => {
  allowed = await thirdPartySite(() => chat.url);
  stranger = await thirdPartySite(() => chat.url);
  chat = await startWebServer({ corsOrigins: [allowed.origin] });
  context = await browser().newContext({ viewport: { width: 1000, height: 700 } });
});
afterEach(async () => {
  disconnectAll();
  await context.close();
  await chat.close();
  allowed.server.close();
  stranger.server.close();
});

/** Whether a page can open a raw Socket.IO WebSocket to the chat server (CORS does not cover WebSocket). */
const canOpenWebSocket = (page: Page, url: string) =>
  page.evaluate(
    (wsUrl) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl);
        ws.onopen = () => {
          ws.close();
          resolve('open');
        };
        ws.onerror = () => resolve('refused');
      }),
    `${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`,
  );

test('a page on an origin in CORS_ORIGINS embeds the chat (bundle loaded twice, harmlessly) and a ticker on one connection', async () => {
  const helper = await chatAs(chat.url, 'helper');
  await helper.emitWithAck('room:join', 'support');
  const page = await openPage(context, allowed.origin);
  await register(page, 'customer');
  const seen = nextEvent<Message>(helper, 'message');
  await say(page, 'Is the rye bread vegan?');
  expect(await seen).toMatchObject({ room: 'support', nick: 'customer', text: 'Is the rye bread vegan?' });
  await helper.emitWithAck('message:send', { room: 'support', text: 'Yes, it is.' });
  await log(page).getByText('Yes, it is.').waitFor();
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([expect.stringContaining('chat-session:')]);
  expect(await canOpenWebSocket(page, chat.url)).toBe('open');
  // The ticker on the same page rides the chat's connection and subscribed to its one topic.
  const news = chat.app.io.of('/news');
  await eventually(() => news.adapter.rooms.get('topic:tech')?.size).toBe(1);
  expect(news.adapter.rooms.get('topic:sports')).toBeUndefined();
  const [newsSocket] = news.sockets.values();
  const customer = [...chat.app.io.of('/chat').sockets.values()].find((s) => s.id !== helper.id);
  expect(newsSocket?.conn).toBe(customer?.conn);
  await screenshot(page, 'embed-cross-origin');
});

test('a page on an origin not in CORS_ORIGINS can neither load the bundle nor connect', async () => {
  const page = await context.newPage();
  await page.goto(stranger.origin);
  expect(await page.evaluate(() => customElements.get('chat-app'))).toBeUndefined();
  expect(await canOpenWebSocket(page, chat.url)).toBe('refused');
  expect(chat.app.io.engine.clientsCount).toBe(0);
});

test('the server’s own /embed.html is the support widget: the visitor’s own conversation, nothing else', async () => {
  const page = await openPage(context, `${chat.url}/embed.html`);
  await register(page, 'visitor');
  await eventually(() => page.locator('chat-app [part="title"]').textContent()).toContain('Support');
  // The page newcomers copy shows the safe pattern: a private conversation, no room list, no other rooms.
  expect(await page.locator('chat-app').getAttribute('support')).toBe('');
  expect(await page.locator('chat-app').getAttribute('lock-room')).toBeNull();
  expect(await page.locator('chat-room-list').count()).toBe(0);
  expect(await page.getByRole('button', { name: /Rooms/ }).count()).toBe(0);
  await say(page, 'hello from the bakery page');
  await log(page).getByText('hello from the bakery page').waitFor();
  expect(await page.locator('script[type="module"]').count()).toBe(1);
  // The message is in the visitor's support conversation, which nobody else can open.
  const room = await page.evaluate(() => document.querySelector('chat-app')!.controller.active ?? '');
  expect(room).toMatch(/^_support-/);
  const other = await chatAs(chat.url, 'other-visitor');
  expect(await other.emitWithAck('room:join', room)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  const listed = await other.emitWithAck('rooms:list');
  expect(listed.ok && listed.rooms.map((r) => r.name)).not.toContain(room);
  await screenshot(page, 'embed-page');
});
