import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { insertOld } from '../chat/retention-rows.js';
import { eventually, messageTexts, openPage, register, say, screenshot, useBrowser, useWebServer } from './browser.js';

// The beginning of a room says how long its messages are kept; messages past that age never show.
const browser = useBrowser();
const server = useWebServer({ adminToken: 'admin-s3cret', retentionDays: 30 });
let contexts: BrowserContext[] = [];

afterEach(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

async function person(nick: string, lang = 'en'): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 1000, height: 600 } });
  contexts.push(context);
  const page = await openPage(context, server.url);
  await register(page, nick); // the helper reads the English labels
  await page.evaluate((l) => document.documentElement.setAttribute('lang', l), lang);
  return page;
}

test('at the beginning of the room: "Messages in this room are kept for 30 days"; older ones are not shown', async () => {
  await insertOld(server.dataDir, 'lobby', 3, 40);
  await insertOld(server.dataDir, 'lobby', 2, 5); // "old text", 5 days old: kept
  const ana = await person('ana');
  await say(ana, 'hello');
  const list = ana.locator('chat-message-list');
  await list.getByText('This is the beginning of #lobby.').waitFor();
  await list.getByText('Messages in this room are kept for 30 days.').waitFor();
  await eventually(() => messageTexts(ana)).toEqual(['old text', 'old text', 'hello']);
  await screenshot(ana, 'retention-beginning');

  // A room kept forever says nothing about it.
  const res = await fetch(`${server.url}/api/admin/rooms/lobby/retention`, {
    method: 'PUT',
    headers: { authorization: 'Bearer admin-s3cret', 'content-type': 'application/json' },
    body: JSON.stringify({ days: 0 }),
  });
  expect(res.status).toBe(200);
  const bea = await person('bea');
  await eventually(() => messageTexts(bea)).toEqual([
    'old text',
    'old text',
    'old text',
    'old text',
    'old text',
    'hello',
  ]);
  await bea.locator('chat-message-list').getByText('This is the beginning of #lobby.').waitFor();
  expect(await bea.locator('chat-message-list [part="retention"]').count()).toBe(0);
});

test('in Arabic, the days take the plural form the number needs', async () => {
  await fetch(`${server.url}/api/admin/rooms/lobby/retention`, {
    method: 'PUT',
    headers: { authorization: 'Bearer admin-s3cret', 'content-type': 'application/json' },
    body: JSON.stringify({ days: 7 }),
  });
  await insertOld(server.dataDir, 'lobby', 1, 1); // a room with a message, so it has a beginning to show
  const ana = await person('ana', 'ar');
  await ana.locator('chat-message-list [part="retention"]').waitFor();
  expect(await ana.locator('chat-message-list [part="retention"]').textContent()).toBe(
    'تُحفظ الرسائل في هذه الغرفة لمدة 7 أيام.',
  );
  await screenshot(ana, 'retention-beginning-ar');
});
