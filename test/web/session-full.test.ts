import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { FULL_RETRY_MS } from '../../web/connection/chat-connection.js';
import { LOOPBACK_CLIENT_LIMITS } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { eventually, log, openPageWith, say, screenshot, useBrowser, useSharedWebServer } from './browser.js';

const browser = useBrowser();
// One window per person, so the second window of the same user is the one too many.
const server = useSharedWebServer({
  authSecret: TEST_AUTH_SECRET,
  clientLimits: { ...LOOPBACK_CLIENT_LIMITS, maxSocketsPerSession: 1 },
});
const contexts: BrowserContext[] = [];

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function windowOf(jwt: string): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 900, height: 560 } });
  contexts.push(context);
  await context.clock.install(); // time flows as usual until a test moves it on
  return openPageWith(context, server.url, `<chat-app jwt="${jwt}" room="support" style="height: 24rem"></chat-app>`);
}

const status = (page: Page) => page.locator('chat-app chat-status [part="label"]').textContent();

test('a window over MAX_SOCKETS_PER_SESSION says so, and joins by itself once another closes', async () => {
  const jwt = await signJwt({ sub: 'u-lea', name: 'lea' });
  const first = await windowOf(jwt);
  await eventually(() => status(first)).toBe('Online');

  const second = await windowOf(jwt);
  await eventually(() => status(second)).toBe('Open in too many windows');
  await second.getByRole('alert').filter({ hasText: 'open in too many of your tabs or devices' }).waitFor();
  expect(await second.getByRole('textbox', { name: /^Message #/ }).count()).toBe(0);
  await screenshot(second, 'session-full');

  await first.close();
  // The server must have seen the first window go before the retry, or the retry finds it full again (and the
  // next one is another FULL_RETRY_MS away on the page's stopped clock).
  await eventually(() => server.app.io.of('/chat').sockets.size).toBe(0);
  // FULL_RETRY_MS (10 s) later the second window tries again, and this time there is a place
  await second.clock.fastForward(FULL_RETRY_MS);
  await eventually(() => status(second)).toBe('Online');
  await say(second, 'my other window is closed');
  await log(second).getByText('my other window is closed').waitFor();
});
