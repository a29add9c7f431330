import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { SqliteNewsSequence } from '../../server/stores/news-sequence.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import { type TestServer, tempDataDir } from '../helpers.js';
import { eventually, openPage, startWebServer, useBrowser } from './browser.js';

const browser = useBrowser();
let server: TestServer | undefined;
let context: BrowserContext | undefined;
afterEach(async () => {
  await context?.close();
  await server?.close();
});

/** The server of a deployment: its news `seq` lives in DATA_DIR, as `npm start` has it. */
const startNewsServer = (dataDir: string, port = 0) =>
  startWebServer({ dataDir, port, newsSequence: new SqliteNewsSequence(SqliteDatabase.open(dataDir)) });

test('after a server restart the ticker shows new items again, and seq goes on from where it was', async () => {
  const dataDir = tempDataDir();
  server = await startNewsServer(dataDir);
  const { port } = server.app.httpServer.address() as AddressInfo;
  context = await browser().newContext();
  const page = await openPage(context, `${server.url}/`);
  const headlines = () => page.locator('news-ticker [part="item"] .headline').allTextContents();
  const first = server;
  await eventually(() => first.app.io.of('/news').adapter.rooms.get('topic:tech')?.size ?? 0).toBe(1);
  for (let i = 1; i <= 5; i++) await first.app.feed.publish('tech', `before restart ${i}`);
  await eventually(headlines).toContain('before restart 5');

  await first.stop(); // the data directory stays
  server = await startNewsServer(dataDir, port);
  const second = server;
  // Publish until one arrives: the page reconnects with back-off and subscribes again on its own.
  let item = 0;
  await eventually(
    async () => {
      const published = await second.app.feed.publish('tech', `after restart ${++item}`);
      expect(published.seq).toBe(5 + item);
      return headlines();
    },
    { timeout: 15_000, interval: 500 },
  ).toEqual(expect.arrayContaining([expect.stringMatching(/^after restart \d+$/)]));
  expect(await page.locator('news-ticker .missed').textContent()).toMatch(/^\d+ missed$/);
}, 40_000);
