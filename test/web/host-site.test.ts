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

/**
 * How the page may show the end of a ban made at `bannedAt`: the time of day, with the date when the end is not
 * today. A ban made before midnight that ends after it shows its date, or not if the page rendered after midnight.
 */
function banEndAsShown(end: number, bannedAt: number): string[] {
  const time = { hour: 'numeric', minute: '2-digit' } as const;
  const shown = [new Date(end).toLocaleTimeString('en', time)];
  if (new Date(end).toDateString() !== new Date(bannedAt).toDateString())
    shown.push(new Date(end).toLocaleString('en', { month: 'short', day: 'numeric', ...time }));
  return shown;
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

test('a moderator bans a user after choosing how long and why; the banned page says until when and why', async () => {
  const max = await signIn('max', true);
  const cy = await signIn('cy');
  await eventually(() => members(max).allTextContents()).toEqual(['cy', 'max']);
  // Ban asks first, and for how long; Escape (or Cancel) bans nobody.
  await max.getByRole('button', { name: 'Ban cy from this room…' }).click();
  const form = max.getByRole('form', { name: 'Ban cy from this room?' });
  const length = form.getByRole('combobox', { name: 'For' });
  expect(await length.locator('option').allTextContents()).toEqual([
    '10 minutes',
    '1 hour',
    '1 day',
    'No end (permanent)',
  ]);
  await length.press('Escape');
  await eventually(() => form.count()).toBe(0);
  expect(
    await log(max)
      .getByText(/cy was banned/)
      .count(),
  ).toBe(0);
  await max.getByRole('button', { name: 'Ban cy from this room…' }).click();
  await length.selectOption({ label: '10 minutes' });
  await form.getByRole('textbox', { name: /^Reason/ }).fill('  links to a fake shop ');
  await screenshot(max, 'moderator-ban-form');
  const before = Date.now();
  await form.getByRole('button', { name: 'Ban', exact: true }).click();
  for (const page of [max, cy]) {
    await log(page)
      .getByText(/cy was banned by max until .+: “links to a fake shop”/)
      .waitFor();
  }
  const banned = cy.locator('chat-app [part="banned"]');
  const why = ' Reason: “links to a fake shop”.';
  await banned
    .getByText(
      /^You were banned from #support until ([A-Z][a-z]{2} \d{1,2}, )?\d{1,2}:\d\d [AP]M\. Reason: “links to a fake shop”\.$/,
    )
    .waitFor();
  const shown = (await banned.locator('span').textContent())!.replace(why, '').match(/until (.*)\.$/)![1]!;
  // The end shown is ten minutes on (the minute may turn over while the request travels).
  expect([...banEndAsShown(before + 10 * 60_000, before), ...banEndAsShown(before + 11 * 60_000, before)]).toContain(
    shown,
  );
  expect(await cy.getByRole('textbox', { name: /^Message #/ }).isDisabled()).toBe(true);
  expect(await cy.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
  await eventually(() => members(max).allTextContents()).toEqual(['max']);
  await eventually(() => members(cy).allTextContents()).toEqual(['max']);
  await screenshot(cy, 'banned-user');
  await screenshot(max, 'moderator-banned-list');
  // While the ban holds, trying again is refused and changes nothing.
  await cy.getByRole('button', { name: 'Try to join again' }).click();
  await banned.waitFor();
  await max.getByRole('button', { name: 'Unban cy' }).click();
  await log(max).getByText('cy was unbanned by max').waitFor();
  // Out of the room, cy is not told; trying again joins it.
  await cy.getByRole('button', { name: 'Try to join again' }).click();
  await eventually(() => banned.count()).toBe(0);
  await say(cy, 'let me in');
  await log(max).getByText('let me in').waitFor();
  await eventually(() => members(max).allTextContents()).toEqual(['cy', 'max']);
});
