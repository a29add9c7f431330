import type { BrowserContext } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { chatAs, disconnectAll } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { eventually, log, openPageWith, register, screenshot, useBrowser, useSharedWebServer } from './browser.js';

// Reporting a message from the page, and a moderator's Reports view and message ids, in real Chromium.
const browser = useBrowser();
const server = useSharedWebServer({ authSecret: TEST_AUTH_SECRET });
const contexts: BrowserContext[] = [];
let room = 0;

afterEach(async () => {
  disconnectAll();
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function newContext(): Promise<BrowserContext> {
  const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  contexts.push(context);
  return context;
}

test('a member reports a message with a reason; a moderator sees it listed and copies the message id', async () => {
  const name = `reports${++room}`;
  const bea = await chatAs(server.url, `bea${room}`);
  await bea.emitWithAck('room:join', name);
  const sent = await bea.emitWithAck('message:send', { room: name, text: 'cheap pills here' });
  if (!sent.ok) throw new Error('send failed');

  const jwt = await signJwt({ sub: `mod-${room}`, name: `mod${room}`, role: 'moderator' });
  const modPage = await openPageWith(
    await newContext(),
    server.url,
    `<chat-app jwt="${jwt}" room="${name}"></chat-app>`,
  );
  await modPage.locator('chat-app [part="nick"]').waitFor();
  const reportsButton = modPage.locator('chat-app [part="reports-button"]');
  await eventually(() => reportsButton.textContent()).toMatch(/^\s*Reports\s*$/);

  const page = await openPageWith(await newContext(), server.url, `<chat-app room="${name}"></chat-app>`);
  await register(page, `ana${room}`);
  const item = log(page).locator('li[part~="message"]').filter({ hasText: 'cheap pills here' });
  await item.hover();
  await item.getByRole('button', { name: `Actions for bea${room}’s message` }).click();
  expect(await item.locator('[part="message-id"]').count()).toBe(0); // ids are for moderators
  expect(await item.locator('[part="delete-button"]').count()).toBe(0);
  await item.getByRole('button', { name: `Report bea${room}’s message to the moderators` }).click();
  const reason = item.getByLabel('Why are you reporting it?', { exact: false });
  await eventually(() => reason.evaluate((el) => el.matches(':focus'))).toBe(true);
  await reason.fill('selling pills');
  await screenshot(page, 'report-form');
  await item.getByRole('button', { name: 'Send report' }).click();
  await eventually(() => item.locator('[part="report-sent"]').textContent()).toBe(
    'Reported. The moderators will take a look.',
  );

  // The moderator's count follows the `report` event; the list shows who, whose, where, why and the id.
  await eventually(() => reportsButton.textContent()).toMatch(/Reports \(1\)/);
  await reportsButton.click();
  const listed = modPage.locator('chat-report-list [part="report"]');
  await eventually(() => listed.count()).toBe(1);
  expect(await listed.textContent()).toContain(`ana${room} reported bea${room}’s message in #${name}`);
  expect(await listed.locator('[part="reason"]').textContent()).toBe('selling pills');
  expect(await listed.locator('[part="message-id"]').textContent()).toBe(`Message id ${sent.id}`);
  await screenshot(modPage, 'reports-view');
  await listed.getByRole('button', { name: `Open #${name}` }).click();
  await eventually(() => modPage.locator('chat-report-list').count()).toBe(0);

  // The moderator sees the message's id among its actions and copies it.
  const modItem = log(modPage).locator('li[part~="message"]').filter({ hasText: 'cheap pills here' });
  await modItem.hover();
  await modItem.getByRole('button', { name: `Actions for bea${room}’s message` }).click();
  expect(await modItem.locator('[part="message-id"]').textContent()).toBe(`Message id ${sent.id}`);
  await modItem.getByRole('button', { name: 'Copy id' }).click();
  await eventually(() => modItem.getByRole('status').textContent()).toBe('Copied');
  expect(await modPage.evaluate(() => navigator.clipboard.readText())).toBe(String(sent.id));
  await screenshot(modPage, 'message-id');
});

test('a refused report says why under the message', async () => {
  const name = `refused${++room}`;
  const bea = await chatAs(server.url, `bea${room}`);
  await bea.emitWithAck('room:join', name);
  await bea.emitWithAck('message:send', { room: name, text: 'not nice' });
  const page = await openPageWith(await newContext(), server.url, `<chat-app room="${name}"></chat-app>`);
  await register(page, `cy${room}`);
  const item = log(page).locator('li[part~="message"]').filter({ hasText: 'not nice' });
  await item.hover();
  await item.getByRole('button', { name: `Actions for bea${room}’s message` }).click();
  await item.getByRole('button', { name: `Report bea${room}’s message to the moderators` }).click();
  // A bidi override is refused in a reason as in message text: the server answers BAD_REQUEST.
  await item.getByLabel('Why are you reporting it?', { exact: false }).fill('rude \u202Eesrow');
  await item.getByRole('button', { name: 'Send report' }).click();
  await eventually(() => item.locator('[part="report-failed"]').count()).toBe(1);
  expect(await item.locator('[part="report-failed"]').textContent()).toMatch(/^Not reported: /);
});

test('a moderator who opens the app later finds the reports made before it came', async () => {
  const name = `reports${++room}`;
  const [bea, ana] = [await chatAs(server.url, `bea${room}`), await chatAs(server.url, `ana${room}`)];
  for (const client of [bea, ana]) await client.emitWithAck('room:join', name);
  const sent = await bea.emitWithAck('message:send', { room: name, text: 'spam spam' });
  if (!sent.ok) throw new Error('send failed');
  expect(await ana.emitWithAck('message:report', { room: name, id: sent.id, reason: 'made earlier' })).toEqual({
    ok: true,
  });

  const jwt = await signJwt({ sub: `mod-${room}`, name: `mod${room}`, role: 'moderator' });
  const modPage = await openPageWith(await newContext(), server.url, `<chat-app jwt="${jwt}"></chat-app>`);
  const reportsButton = modPage.locator('chat-app [part="reports-button"]');
  await eventually(() => reportsButton.textContent()).toMatch(/Reports \(\d+\)/);
  await reportsButton.click();
  const earlier = modPage.locator('chat-report-list [part="report"]').filter({ hasText: 'made earlier' });
  await eventually(() => earlier.count()).toBe(1);
  expect(await earlier.textContent()).toContain(`ana${room} reported bea${room}’s message in #${name}`);
});
