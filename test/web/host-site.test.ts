import type { Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createHostSite } from '../../examples/host-site/site.js';
import { freePort } from '../free-port.js';
import { TEST_AUTH_SECRET } from '../jwt.js';
import { eventually, log, messageTexts, openPage, say, screenshot, useBrowser, useSharedWebServer } from './browser.js';

// The host site's origin must be in the chat server's CORS_ORIGINS before either starts.
const hostPort = await freePort();
const hostOrigin = `http://127.0.0.1:${hostPort}`;
const browser = useBrowser();
const chat = useSharedWebServer({ authSecret: TEST_AUTH_SECRET, corsOrigins: [hostOrigin] });
let host: Server;
let contexts: BrowserContext[] = [];

beforeAll(async () => {
  host = createHostSite({ authSecret: TEST_AUTH_SECRET, chatUrl: chat.url });
  await new Promise<void>((resolve) => host.listen(hostPort, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));
afterEach(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

/** Signs in on the example host site (no password there) and waits for the chat to name them. */
async function signIn(name: string, moderator = false): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 1000, height: 700 } });
  contexts.push(context);
  const page = await openPage(context, hostOrigin);
  await page.getByLabel('Your name').fill(name);
  if (moderator) await page.getByLabel('Sign in as a moderator').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page
    .locator('chat-app [part="nick"]')
    .filter({ hasText: `@${name}` })
    .waitFor();
  await eventually(() => page.locator('chat-app chat-status [part="label"]').textContent()).toContain('Online');
  return page;
}

const members = (page: Page) => page.locator('chat-member-list li[part~="member"]:not([part~="banned"]) .name');

test('two users signed in on the host site chat at once, with no nickname form', async () => {
  const ana = await signIn('ana');
  const bea = await signIn('bea');
  for (const page of [ana, bea]) {
    expect(await page.getByLabel('Nickname', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Change nickname/ }).count()).toBe(0);
    expect(await page.locator('chat-room-list').count()).toBe(0); // the host page locks it to "support"
  }
  await eventually(() => members(ana).allTextContents()).toEqual(['ana', 'bea']);
  await say(ana, 'Is the rye bread vegan?');
  await say(bea, 'Yes, it is.');
  for (const page of [ana, bea]) {
    await log(page).getByText('Yes, it is.').waitFor();
    expect(await messageTexts(page)).toEqual(['Is the rye bread vegan?', 'Yes, it is.']);
  }
  expect(await ana.locator('chat-app [part="title"]').textContent()).toContain('# support');
  // Guests get no moderator actions.
  expect(await ana.locator('chat-member-list [part="ban-button"]').count()).toBe(0);
  await screenshot(bea, 'host-site-user');
});

test('a moderator deletes another user’s message and both pages show it deleted', async () => {
  const mia = await signIn('mia', true);
  const ben = await signIn('ben');
  await say(ben, 'cheap watches here');
  await say(mia, 'Welcome, ben');
  await log(mia).getByText('cheap watches here').waitFor();
  // Others' messages carry no Delete for a user; a moderator's, for everyone's.
  await log(ben).getByText('Welcome, ben').waitFor();
  expect(await ben.getByRole('button', { name: /Delete mia/ }).count()).toBe(0);
  await mia.locator('[part~="message"]').filter({ hasText: 'cheap watches here' }).hover();
  await mia.getByRole('button', { name: 'Actions for ben’s message' }).click();
  await mia.getByRole('button', { name: 'Delete ben’s message' }).click();
  await screenshot(mia, 'moderator-view');
  await mia.locator('[part="delete-confirm-button"]').click();
  for (const page of [mia, ben]) {
    await eventually(async () => (await messageTexts(page)).slice(-2)).toEqual(['Message deleted', 'Welcome, ben']);
  }
});

test('a moderator bans a user from the room: notice for both, BANNED on send, Retry after the unban sends', async () => {
  const max = await signIn('max', true);
  const cy = await signIn('cy');
  await eventually(() => members(max).allTextContents()).toEqual(['cy', 'max']);
  await max.getByRole('button', { name: 'Ban cy from this room for 60 minutes' }).click();
  for (const page of [max, cy]) {
    await log(page)
      .getByText(/cy was banned by max until \d/)
      .waitFor();
  }
  await eventually(() => members(max).allTextContents()).toEqual(['max']);
  await say(cy, 'let me in');
  await cy.getByText('Not sent: You are banned from this room.').waitFor();
  await screenshot(max, 'moderator-banned-list');
  await max.getByRole('button', { name: 'Unban cy' }).click();
  await log(max).getByText('cy was unbanned by max').waitFor();
  // Out of the room, cy is not told; Retry joins it again and sends.
  await cy.getByRole('button', { name: 'Retry' }).click();
  await log(max).getByText('let me in').waitFor();
  await eventually(() => members(max).allTextContents()).toEqual(['cy', 'max']);
});
