import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { chatAs, disconnectAll } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { eventually, log, messageTexts, openPage, say, screenshot, useBrowser, useSharedWebServer } from './browser.js';

// Edit and Delete must be reachable on every message whatever its length, by mouse, keyboard and touch: they
// once sat beside the bubble, under the room list (1280 px) or off the screen (390 px) for any long message.
const browser = useBrowser();
const server = useSharedWebServer({ authSecret: TEST_AUTH_SECRET });
let context: BrowserContext | undefined;
let room = 0;

afterEach(async () => {
  disconnectAll();
  await context?.close();
});

/** Ten lines that each fill the column at any width: the bubble is as wide and as tall as it gets. */
const tenLines = (who: string) =>
  Array.from(
    { length: 10 },
    (_, i) => `${who} line ${i + 1}: ${'a long line of words that wraps, '.repeat(3).trim()}`,
  ).join('\n');

/** Where a person would press `target`: inside the viewport and the message's row, on top, covering no text. */
const reach = (target: Locator) =>
  target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
    // document.elementFromPoint stops at a shadow host: walk down the shadow roots.
    let hit = document.elementFromPoint(x, y);
    while (hit?.shadowRoot) {
      const inner = hit.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    const row = el.closest('li')!.getBoundingClientRect();
    const text = el.closest('li')!.querySelector('[part~="text"]')!.getBoundingClientRect();
    const overlaps = r.left < text.right && r.right > text.left && r.top < text.bottom && r.bottom > text.top;
    return {
      inViewport: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
      topmost: hit === el || el.contains(hit) ? true : `${hit?.tagName}#${hit?.id}`,
      inMessage: r.left >= row.left && r.right <= row.right && r.top >= row.top && r.bottom <= row.bottom,
      coversText: overlaps,
    };
  });
const REACHABLE = { inViewport: true, topmost: true, inMessage: true, coversText: false };

async function press(page: Page, touch: boolean, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  expect(await reach(target)).toEqual(REACHABLE);
  if (touch) await target.tap();
  else await target.click();
}

/** What a person does to get at a message's actions: hover it (a mouse) and press its "⋯" button if it has one. */
async function openActions(page: Page, touch: boolean, item: Locator): Promise<void> {
  const more = item.locator('[part="actions-button"]');
  if ((await more.count()) === 0) {
    if (touch) await item.locator('[part~="text"]').tap();
    else await item.hover();
    return;
  }
  await more.scrollIntoViewIfNeeded();
  // Without hover (touch), "⋯" is visible from the start.
  if (touch) expect(await more.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
  else await item.hover();
  await press(page, touch, more);
}

/** A phone-ready page (viewport meta) whose whole height is the chat, as a site that is only the chat has it. */
async function fullPageChat(context: BrowserContext, element: string): Promise<Page> {
  const url = `${server.url}/actions-page-${++pages}.html`;
  await context.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><title>Chat</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>html, body { height: 100%; margin: 0 } chat-app { display: block; height: 100% }</style>
        <script type="module" src="/chat.js"></script></head><body>${element}</body></html>`,
    }),
  );
  return openPage(context, url);
}
let pages = 0;

const message = (page: Page, text: string) =>
  log(page)
    .locator('li[part~="message"]')
    .filter({ hasText: text.split('\n')[0]! });

test.each([
  { width: 1280, height: 800, touch: false },
  { width: 1024, height: 768, touch: false },
  { width: 390, height: 844, touch: true },
])(
  'at $width px (touch: $touch) a moderator edits and deletes own messages and deletes others’, short and long',
  { timeout: 90_000 },
  async ({ width, height, touch }) => {
    context = await browser().newContext({ viewport: { width, height }, hasTouch: touch, isMobile: touch });
    const name = `actions${++room}`;
    const jwt = await signJwt({ sub: `u-mia-${room}`, name: `mia${room}`, role: 'moderator' });
    const page = await fullPageChat(context, `<chat-app jwt="${jwt}" room="${name}"></chat-app>`);
    await page.locator('chat-app [part="nick"]').waitFor();
    if (touch) expect(await page.evaluate(() => matchMedia('(hover: none)').matches)).toBe(true);
    const bea = await chatAs(server.url, `bea${room}`);
    await bea.emitWithAck('room:join', name);
    const own = ['mine, short', tenLines('mine')];
    const others = ['theirs, short', tenLines('theirs')];
    for (const text of others) await bea.emitWithAck('message:send', { room: name, text });
    for (const text of own) await say(page, text);
    await eventually(() => messageTexts(page)).toHaveLength(4);
    await eventually(() => page.locator('[part~="pending"]').count()).toBe(0);

    const composer = page.getByRole('textbox', { name: /^Message #/ });
    for (const text of own) {
      const item = message(page, text);
      await openActions(page, touch, item);
      if (text === own[1]) await screenshot(page, `actions-open-${width}`);
      await press(page, touch, item.locator('[part="edit-button"]'));
      await page.locator('chat-composer [part="editing"]').waitFor();
      await eventually(() => composer.inputValue()).toBe(text);
      await composer.press('Escape');
      await eventually(() => page.locator('chat-composer [part="editing"]').count()).toBe(0);
    }
    for (const text of [...own, ...others]) {
      const item = message(page, text);
      await openActions(page, touch, item);
      const mine = own.includes(text);
      const deleteButton = mine
        ? item.locator('[part="delete-button"]')
        : item.getByRole('button', { name: `Delete bea${room}’s message` });
      await press(page, touch, deleteButton);
      // The whole question is on screen, with its answers.
      const question = item.getByText('Delete this message?');
      expect(await reach(question)).toMatchObject({ inViewport: true, topmost: true, inMessage: true });
      if (text === others[1]) await screenshot(page, `actions-confirm-${width}`);
      await press(page, touch, item.locator('[part="delete-confirm-button"]'));
    }
    await eventually(() => messageTexts(page)).toEqual(Array(4).fill('Message deleted'));
  },
);

test('keyboard: Tab reaches "⋯", Enter opens the actions, Escape closes them and returns to "⋯"', async () => {
  context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  const name = `keys${++room}`;
  const jwt = await signJwt({ sub: `u-kim-${room}`, name: `kim${room}` });
  const page = await fullPageChat(context, `<chat-app jwt="${jwt}" room="${name}"></chat-app>`);
  await page.locator('chat-app [part="nick"]').waitFor();
  await say(page, 'typed with keys');
  await eventually(() => page.locator('[part~="pending"]').count()).toBe(0);
  const more = message(page, 'typed with keys').getByRole('button', { name: 'Actions for your message' });
  await more.focus();
  expect(await more.getAttribute('aria-expanded')).toBe('false');
  await page.keyboard.press('Enter');
  await eventually(() => more.getAttribute('aria-expanded')).toBe('true');
  const edit = page.getByRole('group', { name: 'Actions for your message' }).getByRole('button', { name: 'Edit' });
  await eventually(() => edit.evaluate((el) => el.matches(':focus'))).toBe(true);
  await page.keyboard.press('Escape');
  await eventually(() => edit.count()).toBe(0);
  await eventually(() => more.evaluate((el) => el.matches(':focus'))).toBe(true);
});
