import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { chatAs, disconnectAll } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { eventually, log, openPage, openPageWith, register, useBrowser, useWebServer } from './browser.js';
import { usePeople } from './people.js';

// Private conversations as people use them, in Chromium against the real server, on a desktop and on a phone:
// a direct message from the member list, a private room with an invitation and a removal, and the support widget
// answered from a moderator's Support inbox.

const browser = useBrowser();
const server = useWebServer({ authSecret: TEST_AUTH_SECRET });
const people = usePeople(browser);
let contexts: BrowserContext[] = [];

afterEach(async () => {
  disconnectAll();
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

const SHOTS = '/tmp/parley-shots';
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

const SIZES = [
  { label: 'desktop', width: 1280, height: 760 },
  { label: 'phone', width: 390, height: 844 },
] as const;

for (const size of SIZES) {
  describe(`${size.label} (${size.width} px)`, () => {
    async function context(): Promise<BrowserContext> {
      const made = await browser().newContext({
        viewport: { width: size.width, height: size.height },
        hasTouch: size.label === 'phone',
      });
      contexts.push(made);
      return made;
    }

    /** A guest on the chat server's own page, with a nick. */
    async function person(nick: string): Promise<Page> {
      const page = await people.open(server.url, {
        viewport: { width: size.width, height: size.height },
        hasTouch: size.label === 'phone',
      });
      await register(page, nick);
      return page;
    }

    /** The room list: on a phone it is behind the Rooms button. */
    async function openRooms(page: Page): Promise<void> {
      const toggle = page.locator('chat-app .toggle.rooms');
      if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      await page.locator('chat-room-list').waitFor();
    }

    async function openMembers(page: Page): Promise<void> {
      const toggle = page.locator('chat-app .toggle.members');
      if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    }

    const title = (page: Page) => page.locator('chat-app [part="title"]').textContent();
    const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / });
    async function sayHere(page: Page, text: string): Promise<void> {
      await composer(page).fill(text);
      await composer(page).press('Enter');
      await log(page).getByText(text).waitFor();
    }
    const section = (page: Page, heading: string) =>
      page.locator('chat-room-list section').filter({ has: page.getByRole('heading', { name: heading }) });
    const activeRoom = (page: Page) => page.evaluate(() => document.querySelector('chat-app')!.controller.active);

    test('Message next to a member opens a direct conversation, and the two write to each other', async () => {
      const ana = await person('ana');
      const bea = await person('bea');
      await openMembers(ana);
      await ana.getByRole('button', { name: 'Send bea a direct message' }).click();
      await eventually(() => title(ana)).toMatch(/^\s*bea\s*Direct message/);
      await ana.getByText('Only you and bea can read this conversation.').waitFor();
      await sayHere(ana, 'psst, lunch at noon?');

      // bea: the conversation appears under "Direct messages", named after ana, with one unread message.
      await openRooms(bea);
      const entry = section(bea, 'Direct messages').getByRole('button', { name: /^ana/ });
      await entry.waitFor();
      await eventually(() => entry.locator('[part="badge"]').textContent()).toBe('1');
      await eventually(() => entry.locator('[part="preview"]').textContent()).toBe('ana: psst, lunch at noon?');
      await shot(bea, `dm-unread-${size.label}`);
      await entry.click();
      await log(bea).getByText('psst, lunch at noon?').waitFor();
      await sayHere(bea, 'yes, see you there');
      await log(ana).getByText('yes, see you there').waitFor();
      await shot(ana, `dm-open-${size.label}`);

      // To anyone else the conversation does not exist.
      const room = await activeRoom(ana);
      expect(room).toMatch(/^_dm-/);
      expect(await activeRoom(bea)).toBe(room);
      const eve = await chatAs(server.url, 'eve');
      expect(await eve.emitWithAck('room:join', room!)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

      // A reload (the session's token brings the membership back) shows the same conversation and its history.
      await ana.reload();
      await eventually(() => title(ana)).toMatch(/^\s*bea\s*Direct message/);
      await log(ana).getByText('yes, see you there').waitFor();
      expect(await activeRoom(ana)).toBe(room);
    });

    test('a private room: created, a second person invited sees it and chats, then is removed', async () => {
      const ana = await person('ana');
      const bea = await person('bea');
      await openRooms(ana);
      await ana.getByRole('button', { name: 'New private room' }).click();
      await ana.getByLabel('Title of the private room').fill('Launch plans');
      await ana.getByRole('button', { name: 'Create', exact: true }).click();
      await eventually(() => title(ana)).toMatch(/^\s*Launch plans\s*Private room · 1 member/);

      await ana.locator('[part="invite-button"]').click();
      await ana.getByLabel('Nickname to invite').fill('bea');
      await ana.locator('[part="invite-form"] button[type="submit"]').click();
      await eventually(() => ana.locator('[part="members-panel"] li').allTextContents()).toEqual([
        expect.stringMatching(/ana\s*\(you\)/),
        expect.stringMatching(/bea\s*Remove/),
      ]);
      await shot(ana, `private-members-${size.label}`);

      await openRooms(bea);
      const entry = section(bea, 'Private rooms').getByRole('button', { name: /^Launch plans/ });
      await entry.click();
      await eventually(() => title(bea)).toMatch(/Launch plans/);
      await eventually(() => bea.locator('[part="note"]').textContent()).toMatch(/Private room:\s*ana, bea/);
      await sayHere(bea, 'count me in');
      await log(ana).getByText('count me in').waitFor();
      // bea did not create the room and is no moderator: no Remove for her.
      await bea.locator('[part="members-button"]').click();
      expect(await bea.locator('[part="remove-button"]').count()).toBe(0);

      await ana.getByRole('button', { name: 'Remove bea from this room' }).click();
      await bea.getByText('You are no longer a member of “Launch plans”.').waitFor();
      await eventually(() => title(bea)).toContain('# lobby');
      await shot(bea, `private-removed-${size.label}`);
      await openRooms(bea);
      const gone = section(bea, 'Private rooms').getByRole('button', { name: /^Launch plans/ });
      expect(await gone.count()).toBe(0);
      await eventually(() => ana.locator('[part="members-panel"] li').count()).toBe(1);
    });

    test('support widget: a visitor asks, a moderator answers from the Support inbox', async () => {
      const jwt = await signJwt({ sub: 'staff-1', name: 'mia', role: 'moderator' });
      const mia = await openPageWith(
        await context(),
        server.url,
        `<style>body { margin: 0 }</style><chat-app jwt="${jwt}" style="height: 100vh"></chat-app>`,
      );
      await mia.locator('chat-app [part="nick"]').filter({ hasText: '@mia' }).waitFor();
      await openRooms(mia);
      await section(mia, 'Support').getByText('No support conversations yet').waitFor();

      const zoe = await openPage(await context(), `${server.url}/embed.html`);
      await register(zoe, 'zoe');
      await eventually(() => title(zoe)).toContain('Support');
      await zoe.getByText('Only you and our team can read this conversation.').waitFor();
      expect(await zoe.locator('chat-room-list').count()).toBe(0);
      await sayHere(zoe, 'Is the rye bread vegan?');
      await shot(zoe, `support-visitor-${size.label}`);

      const entry = section(mia, 'Support').getByRole('button', { name: /^zoe/ });
      await eventually(() => entry.locator('[part="preview"]').textContent()).toBe('zoe: Is the rye bread vegan?');
      await shot(mia, `support-inbox-${size.label}`);
      await entry.click();
      await log(mia).getByText('Is the rye bread vegan?').waitFor();
      await eventually(() => title(mia)).toMatch(/zoe\s*Support/);
      await sayHere(mia, 'Yes, it is.');
      await log(zoe).getByText('Yes, it is.').waitFor();
      await shot(zoe, `support-answered-${size.label}`);

      // Another visitor has a conversation of their own, and reads nothing of zoe's.
      const max = await openPage(await context(), `${server.url}/embed.html`);
      await register(max, 'max');
      await eventually(() => title(max)).toContain('Support');
      await max.getByText('No messages yet. Say hello!').waitFor();
      expect(await log(max).getByText('Is the rye bread vegan?').count()).toBe(0);
    });
  });
}
