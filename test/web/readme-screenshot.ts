/**
 * Makes docs/screenshot.png: `/` with two people chatting. Run after `npm run build`:
 *   npx tsx test/web/readme-screenshot.ts
 */
import { fileURLToPath } from 'node:url';
import { chatAs, disconnectAll } from '../helpers.js';
import { log, register, say, startWebServer } from './browser.js';
import { launchBrowser } from './chromium.js';

const out = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));
const server = await startWebServer({ newsRate: 2 });
const browser = await launchBrowser();
try {
  const [ana, bea] = await Promise.all(
    [0, 1].map(async () => (await browser.newContext({ viewport: { width: 1280, height: 760 } })).newPage()),
  );
  await ana!.goto(`${server.url}/`);
  await bea!.goto(`${server.url}/`);
  await register(ana!, 'Ana');
  await register(bea!, 'Bea');
  const cid = await chatAs(server.url, 'Cid');
  await cid.emitWithAck('room:join', 'design');
  await cid.emitWithAck('message:send', { room: 'design', text: 'New logo drafts are up, feedback welcome!' });
  await ana!.getByLabel('Join or create a room').fill('design');
  await ana!.getByRole('button', { name: 'Join', exact: true }).click();
  await ana!.locator('chat-room-list').getByRole('button', { name: '# lobby' }).click();
  await say(bea!, 'Morning Ana! Did you see the release notes?');
  await log(ana!).getByText('release notes').waitFor();
  await say(ana!, 'Yes! The offline outbox is my favourite part!');
  await say(bea!, 'Same. I typed three messages in the tunnel this morning and they all arrived, in order.');
  await say(ana!, 'Let’s try the namespaces demo after lunch?');
  await ana!.getByRole('textbox', { name: 'Message #lobby' }).pressSequentially('See you');
  await cid.emitWithAck('message:send', { room: 'design', text: 'Version B has the rounder corners.' });
  await bea!.locator('chat-room-list [part="other-room"]').getByText('# design').waitFor({ timeout: 10_000 });
  await bea!.locator('news-ticker [part="item"]').nth(5).waitFor({ timeout: 15_000 });
  await bea!.emulateMedia({ reducedMotion: 'reduce' }); // no half-faded headlines
  await ana!.getByRole('textbox', { name: 'Message #lobby' }).pressSequentially(' after');
  await bea!.locator('chat-typing-indicator').getByText('Ana is typing…').waitFor();
  await bea!.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  disconnectAll();
  await browser.close();
  await server.close();
}
