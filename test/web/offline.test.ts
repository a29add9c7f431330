import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { type ChatClient, type TestServer, chatAs, collect, disconnectAll } from '../helpers.js';
import type { Message } from '../../server/protocol/events.js';
import type { AppDeps } from '../../server/app.js';
import { memoryLimits } from '../../server/lib/rate-limit.js';
import { ACK_TIMEOUT_MS } from '../../web/connection/request.js';
import {
  eventually,
  useBrowser,
  log,
  messageTexts,
  openPage,
  register,
  say,
  screenshot,
  startWebServer,
} from './browser.js';

const browser = useBrowser();
let server: TestServer;
let context: BrowserContext;

afterEach(async () => {
  disconnectAll();
  await context.close();
  await server.close();
});

async function setUp(options: Partial<AppDeps> = {}): Promise<{ page: Page; bea: ChatClient; seenByBea: Message[] }> {
  server = await startWebServer(options);
  context = await browser().newContext({ viewport: { width: 1100, height: 760 } });
  const page = await openPage(context, `${server.url}/`);
  await register(page, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const seenByBea = collect<Message>(bea, 'message');
  await say(page, 'before the tunnel');
  await eventually(() => seenByBea.length).toBe(1);
  return { page, bea, seenByBea };
}

const status = (page: Page) => page.locator('chat-app chat-status [part="label"]').textContent();
const pending = (page: Page) => page.locator('[part~="pending"] [part~="text"]').allTextContents();
/**
 * Back online, the client waits for its next reconnection attempt (backoff up to 3 s), then registers and rejoins
 * before the status says how it went; on a loaded 2-core machine that has taken over 10 s (never asserted).
 */
const RECONNECTED_MS = 20_000;

/**
 * `wait`, failing with what the client holds added: this wait failed twice in CI ("Online" for 20 s), and a
 * status line alone does not say which step of the reconnect (register, rejoin) did not happen.
 */
async function explained(page: Page, wait: Promise<unknown>): Promise<void> {
  try {
    await wait;
  } catch (err) {
    const state = await page.locator('chat-app').evaluate((el: HTMLElementTagNameMap['chat-app']) => {
      const chat = el.controller;
      const socket = chat.connection.socket;
      return {
        ready: chat.ready,
        nick: chat.nick,
        nickError: chat.nickError,
        note: chat.syncNote,
        rooms: [...chat.rooms.keys()],
        connected: socket?.connected,
        recovered: socket?.recovered,
        transport: socket?.io.engine?.transport?.name,
      };
    });
    throw new Error(`${(err as Error).message}\nthe client: ${JSON.stringify(state)}`, { cause: err });
  }
}

test('offline: typed messages wait as pending, then arrive once each and in order', async () => {
  const { page, seenByBea } = await setUp();
  await context.setOffline(true);
  await eventually(() => status(page), { timeout: 5000 }).toContain('Offline');
  const typed = ['one', 'two', 'three', 'four'];
  for (const text of typed) await say(page, text);
  expect(await pending(page)).toEqual(typed);
  expect(await page.locator('[part~="pending"] .state').first().textContent()).toContain('Waiting for the connection');
  await screenshot(page, 'offline-pending');

  await context.setOffline(false);
  await eventually(() => seenByBea.map((m) => m.text), { timeout: RECONNECTED_MS }).toEqual([
    'before the tunnel',
    ...typed,
  ]);
  await eventually(() => pending(page)).toEqual([]);
  await eventually(() => messageTexts(page)).toEqual(['before the tunnel', ...typed]);
  const ids = await page
    .locator('chat-message-list [part~="message"]')
    .evaluateAll((els) => els.map((el) => Number(el.dataset.id)));
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(seenByBea.map((m) => m.id)).size).toBe(seenByBea.length);
}, 45_000);

test('after an outage longer than the recovery window, the client rejoins and catches up from history', async () => {
  const { page, bea } = await setUp({ recoveryWindowMs: 1 });
  await context.setOffline(true);
  await eventually(() => status(page), { timeout: 5000 }).toContain('Offline');
  const missed = ['while you were away 1', 'while you were away 2', 'while you were away 3'];
  for (const text of missed) await bea.emitWithAck('message:send', { room: 'lobby', text });
  await say(page, 'typed offline');

  await context.setOffline(false);
  await explained(
    page,
    eventually(() => status(page), { timeout: RECONNECTED_MS }).toContain('caught up (3 missed messages)'),
  );
  await log(page).getByText('Caught up on 3 missed messages').waitFor();
  await eventually(() => messageTexts(page)).toEqual(['before the tunnel', ...missed, 'typed offline']);
  // The nick is still ana (the token got it back), and she is in the lobby again.
  expect(await bea.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['ana', 'bea'] });
  await screenshot(page, 'offline-caught-up');
}, 45_000);

test('a message the server refuses shows why and can be retried or discarded', async () => {
  // A small budget (5 per 5 s), so the burst below is over it however slowly the machine sends it.
  const { page } = await setUp({ limits: memoryLimits({ messages: { points: 5, windowSeconds: 5 } }) });
  // More than the message budget at once: the server refuses the excess with RATE_LIMITED.
  const burst = Array.from({ length: 8 }, (_, i) => `burst ${i + 1}`);
  await page.locator('chat-app').evaluate((el: HTMLElementTagNameMap['chat-app'], texts) => {
    for (const text of texts) el.controller.send('lobby', text);
  }, burst);
  const failed = page.locator('[part~="pending"].failed');
  await failed.first().waitFor({ timeout: 10_000 });
  expect(await failed.first().textContent()).toContain('You are sending too fast');
  await screenshot(page, 'outbox-failed');
  const count = await failed.count();
  await failed.first().getByRole('button', { name: 'Discard' }).click();
  await eventually(() => failed.count()).toBe(count - 1);
  // Retry until the budget refills; each retry either stores the message or fails it again.
  await eventually(
    async () => {
      const retry = page.locator('[part~="pending"].failed').first().getByRole('button', { name: 'Retry' });
      if ((await retry.count()) > 0) await retry.click();
      return failed.count();
    },
    { timeout: 15_000, interval: 500 },
  ).toBe(0);
  const shown = await messageTexts(page);
  expect(shown).toHaveLength(1 + burst.length - 1);
  expect(new Set(shown).size).toBe(shown.length);
});

test('an ack lost on the way is retried with the same clientId: one stored copy, shown once', async () => {
  server = await startWebServer();
  context = await browser().newContext({ viewport: { width: 1100, height: 760 } });
  await context.clock.install(); // time flows as usual until the test moves it on
  const page = await context.newPage();
  const acks: string[] = [];
  let lostBroadcasts = 0;
  // Playwright sits between the page and the server's WebSocket and loses the first message:send ack and
  // the broadcast of that message, as a dying connection would: only a retry can tell the page it was stored.
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((frame) => upstream.send(frame));
    upstream.onMessage((frame) => {
      const text = typeof frame === 'string' ? frame : '';
      if (/^43\/chat,\d+\[\{"ok":true,"id":\d+,"ts":/.test(text) && acks.push(text) === 1) return;
      if (text.startsWith('42/chat,["message"') && lostBroadcasts++ === 0) return;
      ws.send(frame);
    });
  });
  await page.goto(`${server.url}/`);
  await register(page, 'ana');
  const [socket] = server.app.io.of('/chat').sockets.values();
  await eventually(() => socket?.conn.transport.name).toBe('websocket');
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const seenByBea = collect<Message>(bea, 'message');

  await say(page, 'said once');
  await eventually(() => acks.length).toBe(1);
  await page.clock.fastForward(ACK_TIMEOUT_MS); // the page gives up waiting for the lost ack and sends again
  await eventually(() => acks.length, { timeout: 15_000 }).toBe(2); // the first ack was lost, the retry's got through
  const [lost, retried] = acks.map((ack) => ack.replace(/^43\/chat,\d+/, '')); // the ack bodies: { ok, id, ts }
  expect(retried).toBe(lost); // the server recognised the clientId and answered with the first copy's id
  expect(lostBroadcasts).toBe(1); // the retry was not broadcast again
  await eventually(() => pending(page)).toEqual([]);
  expect(await messageTexts(page)).toEqual(['said once']);
  const stored = await bea.emitWithAck('room:history', { room: 'lobby' });
  expect(stored.ok && stored.messages.map((m) => m.text)).toEqual(['said once']);
  expect(seenByBea.map((m) => m.text)).toEqual(['said once']);
}, 30_000);
