import type { Page } from 'playwright-core';
import { expect, onTestFinished, test } from 'vitest';
import type { ChatSocketData } from '../../server/protocol/events.js';
import { connectChat } from '../helpers.js';
import { TEST_AUTH_SECRET, inSeconds, signJwt } from '../jwt.js';
import { eventually, log, openPageWith, register, say, screenshot, useBrowser, useSharedWebServer } from './browser.js';

const browser = useBrowser();
const server = useSharedWebServer({ authSecret: TEST_AUTH_SECRET });

/**
 * A page of its own with `body`, closed when the test ends. A concurrent test passes its own `onTestFinished`
 * (the global one cannot tell concurrent tests apart).
 */
async function pageWith(body: string, finished = onTestFinished): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 900, height: 640 } });
  finished(() => context.close());
  return openPageWith(context, server.url, body);
}

/** A page whose `<chat-app>` starts with `jwt` and gets `fresh` from its `refreshJwt` (counted in refreshCalls). */
const pageRefreshing = (jwt: string, fresh: string, attributes = '', finished = onTestFinished) =>
  pageWith(
    `<chat-app jwt="${jwt}" ${attributes} style="height: 26rem"></chat-app>
    <script type="module">
      window.refreshCalls = 0;
      document.querySelector('chat-app').refreshJwt = async () => {
        window.refreshCalls++;
        return '${fresh}';
      };
    </script>`,
    finished,
  );

const status = (page: Page) => page.locator('chat-app chat-status [part="label"]').textContent();

test('a jwt the server refuses shows why in the element; the page and its ticker keep working', async () => {
  const forged = await signJwt(
    { sub: 'u1', name: 'eve', role: 'moderator' },
    { secret: 'not-the-secret-of-this-server-0123' },
  );
  const context = await browser().newContext({ viewport: { width: 900, height: 640 } });
  onTestFinished(() => context.close());
  const warnings: string[] = [];
  context.on('console', (msg) => {
    if (msg.type() === 'warning') warnings.push(msg.text());
  });
  const page = await openPageWith(
    context,
    server.url,
    `<h1 id="shop">The shop</h1>
    <chat-app jwt="${forged}" room="support" style="height: 26rem"></chat-app>
    <news-ticker topics="tech" style="height: 8rem"></news-ticker>`,
  );
  await eventually(() => status(page)).toBe('Sign-in not accepted');
  // the site owner gets the code and the server's reason in the console (the visitor gets the sentence)
  await eventually(() => warnings.join('\n')).toContain(
    '(AUTH_INVALID): the jwt was refused: signature verification failed',
  );
  expect(warnings.join('\n')).not.toContain(forged);
  await page.getByRole('alert').filter({ hasText: 'The chat did not accept your sign-in from this site' }).waitFor();
  expect(await page.getByLabel('Nickname', { exact: true }).count()).toBe(0);
  expect(await page.getByRole('textbox', { name: /^Message #/ }).count()).toBe(0);
  // The ticker shares the connection, and /news does not care about the chat's token.
  await eventually(() => server.app.io.of('/news').adapter.rooms.get('topic:tech')?.size ?? 0).toBe(1);
  await expect(page.locator('#shop').textContent()).resolves.toBe('The shop');
  await screenshot(page, 'auth-invalid');
});

test('an expired jwt is replaced through refreshJwt and the user is signed in', async () => {
  const expired = await signJwt({ sub: 'u-ivy', name: 'ivy', exp: inSeconds(-60) });
  const fresh = await signJwt({ sub: 'u-ivy', name: 'ivy' });
  const page = await pageRefreshing(expired, fresh, 'room="support"');
  await page.locator('chat-app [part="nick"]').filter({ hasText: '@ivy' }).waitFor();
  await eventually(() => status(page)).toBe('Online');
  expect(await page.evaluate(() => (window as unknown as { refreshCalls: number }).refreshCalls)).toBe(1);
  await say(page, 'signed in again');
  await log(page).getByText('signed in again').waitFor();
});

// The next three wait for real expiry times, 7-8 s each, and so run at once (tokens and sockets are each test's own).
test.concurrent(
  'refreshJwt is called before exp, and the next handshake carries the fresh token',
  async ({ onTestFinished }) => {
    const short = await signJwt({ sub: 'u-kim', name: 'kim', exp: inSeconds(7) });
    const fresh = await signJwt({ sub: 'u-kim', name: 'kim' });
    const page = await pageRefreshing(short, fresh, '', onTestFinished);
    await page.locator('chat-app [part="nick"]').filter({ hasText: '@kim' }).waitFor();
    // The earlier tests' pages may still be leaving: only kim's sockets count.
    const jwtOf = (s: { handshake: { auth: object } }) => (s.handshake.auth as { jwt?: string }).jwt ?? '';
    const kims = () => [...server.app.io.of('/chat').sockets.values()].filter((s) => [short, fresh].includes(jwtOf(s)));
    const tokens = () => kims().map(jwtOf);
    expect(tokens()).toEqual([short]);
    // 5 s before exp, while the connection is up.
    const calls = () => page.evaluate(() => (window as unknown as { refreshCalls: number }).refreshCalls);
    await eventually(calls, { timeout: 8000 }).toBe(1);
    kims()[0]!.conn.close(); // the connection drops; the client reconnects
    await eventually(tokens).toEqual([fresh]);
    await eventually(() => status(page)).toBe('Reconnected, nothing missed');
    expect(await calls()).toBe(1);
  },
);

test.concurrent(
  'the refreshed token reaches the live socket, which then outlives the first exp',
  async ({ onTestFinished }) => {
    const firstExp = inSeconds(7);
    const short = await signJwt({ sub: 'u-lee', name: 'lee', exp: firstExp });
    const freshExp = inSeconds(3600);
    const fresh = await signJwt({ sub: 'u-lee', name: 'lee', exp: freshExp });
    const page = await pageRefreshing(short, fresh, '', onTestFinished);
    await page.locator('chat-app [part="nick"]').filter({ hasText: '@lee' }).waitFor();
    const signed = (s: { data: unknown }) => (s.data as ChatSocketData).signed;
    const lee = () => [...server.app.io.of('/chat').sockets.values()].find((s) => signed(s)?.sub === 'u-lee');
    const socketId = lee()?.id;
    await eventually(() => signed(lee()!)?.exp, { timeout: 8000 }).toBe(freshExp); // auth:refresh arrived
    await eventually(() => Date.now() > firstExp * 1000 + 1000, { timeout: 10_000 }).toBe(true);
    expect(lee()?.id).toBe(socketId); // the same socket, never cut
    expect(await status(page)).toBe('Online');
  },
);

test.concurrent(
  'a live socket whose jwt expires without refreshJwt is told, and says the sign-in expired',
  async ({ onTestFinished }) => {
    // 8 s, not 3: on a loaded CI machine the page once took longer than 3 s to sign in, and the token had expired
    // before the widget was ever signed in.
    const short = await signJwt({ sub: 'u-mo', name: 'mo', exp: inSeconds(8) });
    const page = await pageWith(`<chat-app jwt="${short}" style="height: 26rem"></chat-app>`, onTestFinished);
    await page.locator('chat-app [part="nick"]').filter({ hasText: '@mo' }).waitFor();
    await eventually(() => status(page), { timeout: 15_000 }).toBe('Sign-in expired');
  },
);

test('an expired jwt without refreshJwt says the sign-in expired', async () => {
  const expired = await signJwt({ sub: 'u-jo', name: 'jo', exp: inSeconds(-60) });
  const page = await pageWith(`<chat-app jwt="${expired}" style="height: 26rem"></chat-app>`);
  await eventually(() => status(page)).toBe('Sign-in expired');
  await page.getByRole('alert').filter({ hasText: 'Your sign-in for the chat has expired' }).waitFor();
});

test('a guest whose nick a signed user takes is renamed on its page by the server’s identity', async () => {
  const page = await pageWith(`<chat-app style="height: 26rem"></chat-app>`);
  await register(page, 'dan');
  const signed = await connectChat(server.url, 'websocket', {
    auth: { jwt: await signJwt({ sub: 'u-dan', name: 'dan' }) },
  });
  expect(signed.connected).toBe(true);
  const nickButton = page.locator('chat-app [part="nick-button"]');
  await eventually(async () => (await nickButton.textContent())?.trim()).toMatch(/^@dan.+/);
  const nick = (await nickButton.textContent())!.trim().slice(1);
  await say(page, 'still here');
  await log(page).getByText('still here').waitFor();
  await eventually(() => page.locator('[part~="message"][part~="own"] [part="author"]').first().textContent()).toBe(
    `${nick} (you)`,
  );
});

test('with GUESTS=off the nickname form says to sign in on the site', async () => {
  await server.restartWith({ authSecret: TEST_AUTH_SECRET, guests: false });
  const page = await pageWith(`<chat-app style="height: 26rem"></chat-app>`);
  await page.getByLabel('Nickname', { exact: true }).fill('guest');
  await page.getByRole('button', { name: 'Start chatting' }).click();
  await page.getByRole('alert').filter({ hasText: 'Sign in on this site to chat.' }).waitFor();
});
