import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { ACK_TIMEOUT_MS } from '../../web/connection/request.js';
import { type TestServer, chatAs, collect, disconnectAll } from '../helpers.js';
import type { MessageUpdated } from '../../server/protocol/events.js';
import type { AppDeps } from '../../server/app.js';
import {
  eventually,
  log,
  messageTexts,
  openPage,
  openPageWith,
  register,
  say,
  screenshot,
  startWebServer,
  useBrowser,
} from './browser.js';
import { usePeople } from './people.js';

const browser = useBrowser();
const people = usePeople(browser);
/** Two browser pages to register, or a 5 s ack timeout to wait for: slow on a busy 2-core machine (never asserted). */
const SLOW = { timeout: 90_000 };
let server: TestServer;
let contexts: BrowserContext[] = [];

afterEach(async () => {
  disconnectAll();
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
  await people.release();
  await server.close();
});

async function start(options: Partial<AppDeps> = {}): Promise<void> {
  server = await startWebServer(options);
}

async function newContext(): Promise<BrowserContext> {
  const context = await browser().newContext({ viewport: { width: 1100, height: 760 } });
  contexts.push(context);
  return context;
}

async function person(nick: string, path = '/', context?: BrowserContext): Promise<Page> {
  const url = `${server.url}${path}`;
  const page = context
    ? await openPage(context, url)
    : await people.open(url, { viewport: { width: 1100, height: 760 } });
  await register(page, nick);
  return page;
}

const message = (page: Page, text: string) =>
  page.locator('chat-message-list li[part~="message"]').filter({ hasText: text });
const composer = (page: Page) => page.getByRole('textbox', { name: /^Message #/ });

test(
  'links, formatting, mentions and text direction render as elements, never as HTML from the text',
  SLOW,
  async () => {
    await start();
    const ana = await person('ana');
    const bea = await person('bea');
    await say(
      bea,
      'docs at https://example.org/a_b and mailto:ana@example.org, not javascript:alert(1) or data:text/html,x',
    );
    await say(bea, '*bold* _italic_ `a <b>code</b>` <b>not bold</b> @Ana please look, @cyd too');
    await say(bea, 'block:\n```\nconst x = 1;\n```\nafter the block');
    await say(bea, 'مرحبا بالجميع');
    await log(ana).getByText('مرحبا بالجميع').waitFor();

    const anchors = ana.locator('chat-message-list [part~="text"] a');
    await eventually(() =>
      anchors.evaluateAll((els) => (els as HTMLAnchorElement[]).map((a) => [a.getAttribute('href'), a.rel, a.target])),
    ).toEqual([
      ['https://example.org/a_b', 'noopener noreferrer nofollow ugc', '_blank'],
      ['mailto:ana@example.org', 'noopener noreferrer nofollow ugc', '_blank'],
    ]);
    const formatted = message(ana, 'italic').locator('[part~="text"]');
    expect(await formatted.locator('strong').allTextContents()).toEqual(['bold']);
    expect(await formatted.locator('em').allTextContents()).toEqual(['italic']);
    expect(await formatted.locator('code').allTextContents()).toEqual(['a <b>code</b>']);
    expect(await formatted.locator('b').count()).toBe(0);
    expect(await formatted.textContent()).toContain('<b>not bold</b>');
    expect(await message(ana, 'block:').locator('pre code').textContent()).toBe('const x = 1;');
    // A mention of ana (any case) is hers: the mention and the message are marked on her page, not on bea's.
    expect(await formatted.locator('[part~="mention"]').allTextContents()).toEqual(['@Ana', '@cyd']);
    expect(await formatted.locator('[part~="mention"][part~="self"]').allTextContents()).toEqual(['@Ana']);
    expect(await message(ana, 'italic').getAttribute('part')).toContain('mention');
    expect(await message(bea, 'italic').getAttribute('part')).not.toContain('mention');
    // Every text and nick gets dir=auto, so Arabic lays out right to left inside an English page.
    const dirs = await ana
      .locator('chat-message-list [part~="text"], chat-message-list [part~="author"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('dir')));
    expect(dirs.length).toBeGreaterThan(3);
    expect(new Set(dirs)).toEqual(new Set(['auto']));
    expect(
      await log(ana)
        .getByText('مرحبا بالجميع')
        .evaluate((el) => getComputedStyle(el).direction),
    ).toBe('rtl');
    await screenshot(ana, 'messages-formatting');
    await ana.screenshot({ path: '/tmp/messages-formatting.png' });
  },
);

test('a mention is counted apart in the room badge, and the page title shows the unread count', async () => {
  await start();
  const ana = await person('ana');
  await ana.getByLabel('Join or create a room').fill('random');
  await ana.getByRole('button', { name: 'Join', exact: true }).click();
  await eventually(() => ana.locator('[part="title"]').textContent()).toContain('# random');
  const title = await ana.title();
  expect(title).not.toMatch(/^\(/);

  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  await bea.emitWithAck('message:send', { room: 'lobby', text: 'hello everyone' });
  await bea.emitWithAck('message:send', { room: 'lobby', text: 'and @ANA in particular' });
  const lobby = ana.locator('chat-room-list li').filter({ hasText: '# lobby' });
  await eventually(() => lobby.locator('[part="badge"]').textContent()).toBe('2');
  expect(await lobby.locator('[part="mention-badge"]').textContent()).toBe('@1');
  await eventually(() => ana.title()).toBe(`(2) ${title}`);
  await ana.screenshot({ path: '/tmp/messages-mention-badge.png' });

  await lobby.getByRole('button', { name: /# lobby/ }).click();
  await eventually(() => ana.title()).toBe(title);
  expect(await lobby.locator('[part="mention-badge"]').count()).toBe(0);
});

test('an embedded chat leaves the host page title alone', async () => {
  await start();
  // An embed with a room list (embed.html locks its widget to one room).
  const page = await openPageWith(await newContext(), server.url, '<chat-app room="support"></chat-app>');
  await register(page, 'ana');
  const title = await page.title();
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  await page.evaluate(() => document.querySelector('chat-app')!.controller.join('lobby'));
  await page.evaluate(() => document.querySelector('chat-app')!.controller.select('support'));
  await bea.emitWithAck('message:send', { room: 'lobby', text: 'psst' });
  await eventually(() => page.locator('chat-room-list [part="badge"]').textContent()).toBe('1');
  expect(await page.title()).toBe(title);
});

test(
  'edit your own message from its Edit button (keyboard); both pages show the new text and (edited)',
  SLOW,
  async () => {
    await start();
    const ana = await person('ana');
    const bea = await person('bea');
    await say(ana, 'frist try');
    await message(bea, 'frist try').waitFor();
    // Others' messages offer Report only; yours have Edit and Delete, reachable from the keyboard.
    await message(bea, 'frist try').locator('[part="actions-button"]').click();
    await message(bea, 'frist try').locator('[part="report-button"]').waitFor();
    expect(await message(bea, 'frist try').locator('[part="edit-button"]').count()).toBe(0);
    await message(ana, 'frist try').locator('[part="actions-button"]').focus();
    await ana.keyboard.press('Enter');
    await eventually(() =>
      message(ana, 'frist try')
        .locator('[part="edit-button"]')
        .evaluate((el) => el.matches(':focus')),
    ).toBe(true);
    await ana.keyboard.press('Enter');
    await ana.locator('chat-composer [part="editing"]').waitFor();
    await eventually(() => composer(ana).inputValue()).toBe('frist try');
    await composer(ana).fill('first try');
    await composer(ana).press('Enter');
    for (const page of [ana, bea]) {
      await eventually(() => messageTexts(page)).toEqual(['first try (edited)']);
      await message(page, 'first try').locator('[part="edited"]').waitFor();
    }
    await eventually(() => composer(ana).inputValue()).toBe('');
    await ana.screenshot({ path: '/tmp/messages-edited.png' });
  },
);

test('ArrowUp in the empty composer edits your last message, Escape cancels', async () => {
  await start();
  const ana = await person('ana');
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const updates = collect<MessageUpdated>(bea, 'message:updated');
  await say(ana, 'first');
  await say(ana, 'second, wrnog');
  await eventually(() => messageTexts(ana)).toEqual(['first', 'second, wrnog']);
  // ArrowUp edits your last *stored* message: wait for both acks, not only for the text on screen
  await eventually(() => ana.locator('[part~="pending"]').count()).toBe(0);
  await composer(ana).press('ArrowUp');
  await eventually(() => composer(ana).inputValue()).toBe('second, wrnog');
  await composer(ana).press('Escape');
  await eventually(() => composer(ana).inputValue()).toBe('');
  expect(await ana.locator('chat-composer [part="editing"]').count()).toBe(0);
  await composer(ana).press('ArrowUp');
  await eventually(() => composer(ana).inputValue()).toBe('second, wrnog');
  await message(ana, 'first').hover();
  await ana.screenshot({ path: '/tmp/messages-editing.png' });
  await composer(ana).fill('second, right');
  await composer(ana).press('Enter');
  await eventually(() => messageTexts(ana)).toEqual(['first', 'second, right (edited)']);
  await eventually(() => updates.map((u) => u.text)).toEqual(['second, right']);
});

test('delete your own message: both pages show the placeholder', SLOW, async () => {
  await start();
  const ana = await person('ana');
  const bea = await person('bea');
  await say(ana, 'keep this');
  await say(ana, 'oops, wrong room');
  await message(bea, 'oops, wrong room').waitFor();
  const mine = message(ana, 'oops, wrong room');
  await mine.hover();
  await mine.locator('[part="actions-button"]').click();
  await mine.locator('[part="delete-button"]').click();
  await ana.locator('[part="delete-confirm-button"]').click();
  for (const page of [ana, bea]) {
    await eventually(() => messageTexts(page)).toEqual(['keep this', 'Message deleted']);
    await page.locator('[part~="text"][part~="deleted"]').waitFor();
  }
  await ana.screenshot({ path: '/tmp/messages-deleted.png' });
});

test('an edit the server does not answer shows why under the message, like a send', SLOW, async () => {
  await start();
  const context = await newContext();
  await context.clock.install(); // time flows as usual until the test moves it on
  const ana = await person('ana', '/', context);
  await say(ana, 'hello');
  await message(ana, 'hello').locator('[part="actions-button"]').waitFor({ state: 'attached' });
  await context.setOffline(true);
  await eventually(() => ana.locator('chat-app chat-status [part="label"]').textContent()).toContain('Offline');
  await composer(ana).press('ArrowUp');
  await eventually(() => composer(ana).inputValue()).toBe('hello');
  await composer(ana).fill('hello!');
  await composer(ana).press('Enter');
  await ana.clock.fastForward(ACK_TIMEOUT_MS);
  const alert = message(ana, 'hello').getByRole('alert');
  await eventually(() => alert.textContent(), { timeout: 10_000 }).toBe(
    'Not changed: The server did not answer in time.',
  );
  await ana.screenshot({ path: '/tmp/messages-edit-timeout.png' });
  // Socket.IO drops a buffered request whose ack timed out, so nothing changed; trying again works.
  await context.setOffline(false);
  await eventually(() => ana.locator('chat-app chat-status [part="label"]').textContent(), {
    timeout: 10_000,
  }).not.toContain('Offline');
  expect(await messageTexts(ana)).toEqual(['hello']);
  await composer(ana).press('ArrowUp');
  await eventually(() => composer(ana).inputValue()).toBe('hello');
  await composer(ana).fill('hello!');
  await composer(ana).press('Enter');
  await eventually(() => messageTexts(ana)).toEqual(['hello! (edited)']);
  await eventually(() => alert.count()).toBe(0);
});
