import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { chatAs, disconnectAll } from '../helpers.js';
import { log, openPage, openPageWith, register, screenshot, useBrowser, useSharedWebServer } from './browser.js';

const browser = useBrowser();
const server = useSharedWebServer();
let context: BrowserContext;

afterEach(async () => {
  disconnectAll();
  await context.close();
});

async function newContext(): Promise<BrowserContext> {
  context = await browser().newContext({ viewport: { width: 1000, height: 700 } });
  return context;
}

/** Each link in the log: its text, href, title, and whether its first character is drawn left of its last. */
const linksIn = (page: Page) =>
  page.locator('chat-message-list').evaluate((list) =>
    [...list.shadowRoot!.querySelectorAll('a')].map((a) => {
      // Lit puts comment markers around the text: take the text node itself.
      const text = [...a.childNodes].find((n): n is Text => n.nodeType === Node.TEXT_NODE && n.textContent !== '')!;
      const box = (from: number) => {
        const range = document.createRange();
        range.setStart(text, from);
        range.setEnd(text, from + 1);
        return range.getBoundingClientRect().left;
      };
      return {
        text: a.textContent,
        href: a.getAttribute('href'),
        title: a.getAttribute('title'),
        leftToRight: box(0) < box(text.length - 1),
        after: a.nextElementSibling?.getAttribute('part') === 'link-userinfo' ? a.nextElementSibling.textContent : '',
      };
    }),
  );

test('a link with user-info shows the host it goes to; the user-info is shown apart, not as the address', async () => {
  const page = await openPage(await newContext(), server.url);
  await register(page, 'ana');
  const mallory = await chatAs(server.url, 'mallory');
  await mallory.emitWithAck('room:join', 'lobby');
  await mallory.emitWithAck('message:send', { room: 'lobby', text: 'log in at https://www.paypal.com@evil.example' });
  await log(page).getByText('log in at').waitFor();
  expect(await linksIn(page)).toEqual([
    {
      text: 'https://evil.example',
      href: 'https://evil.example/',
      title: 'evil.example',
      leftToRight: true,
      after: '(“www.paypal.com@” before the address was left out)',
    },
  ]);
  await screenshot(page, 'link-userinfo');
});

test('bidi controls (stored before the server refused overrides) cannot reverse a link or a mention', async () => {
  const page = await openPageWith(
    await newContext(),
    server.url,
    `<chat-message-list nick="ana" style="display: block; height: 20rem"></chat-message-list>`,
  );
  await page.locator('chat-message-list').evaluate(async (list: HTMLElementTagNameMap['chat-message-list']) => {
    await customElements.whenDefined('chat-message-list');
    const message = (id: number, text: string) => ({ id, room: 'lobby', nick: 'mallory', text, ts: 1.7e12 + id });
    list.room = 'lobby';
    list.items = [
      { kind: 'message', key: '1', message: message(1, 'pay here \u202Ehttps://evil.tk/moc.lapyap.www//:sptth') },
      { kind: 'message', key: '2', message: message(2, 'or https://evil.tk/\u2067moc.lapyap.www\u2069') },
      { kind: 'message', key: '3', message: message(3, 'hi \u202E@yrrab and @ana') },
    ];
  });
  await page.locator('chat-message-list a').first().waitFor();
  expect(await linksIn(page)).toEqual([
    {
      text: 'https://evil.tk/moc.lapyap.www//:sptth',
      href: 'https://evil.tk/moc.lapyap.www//:sptth',
      title: 'evil.tk',
      leftToRight: true,
      after: '',
    },
    // A link ends before an isolate: it is never part of an address.
    { text: 'https://evil.tk/', href: 'https://evil.tk/', title: 'evil.tk', leftToRight: true, after: '' },
  ]);
  // The overrides are not shown at all: what was typed backwards reads backwards.
  const texts = await page.locator('chat-message-list [part~="text"]').allTextContents();
  expect(texts.map((t) => t.replace(/[\u2066-\u2069]/g, ''))).toEqual([
    'pay here https://evil.tk/moc.lapyap.www//:sptth',
    'or https://evil.tk/moc.lapyap.www',
    'hi @yrrab and @ana',
  ]);
  // Mentions are isolates too: the override reaches neither them nor what follows them.
  const mentions = await page
    .locator('chat-message-list')
    .evaluate((list) =>
      [...list.shadowRoot!.querySelectorAll('[part~="mention"]')].map(
        (m) => `${m.tagName} ${getComputedStyle(m).unicodeBidi}`,
      ),
    );
  expect(mentions).toEqual(['BDI isolate', 'BDI isolate']);
  await screenshot(page, 'link-bidi-override');
});
