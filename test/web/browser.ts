import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, vi } from 'vitest';
import { type ServerFixture, type TestServer, startServer, useFreshServer, useSharedServer } from '../helpers.js';
import type { AppDeps } from '../../server/app.js';
import { type ChromiumBuild, launchBrowser } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = `${root}test-artifacts`;

/** `expect.poll` with room for a busy 2-core CI machine running two browser test files at once. */
export const eventually: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 5000, ...options });

/**
 * What went wrong inside Playwright listeners during the current test. Playwright calls listeners from its
 * own event dispatch, so a throw there never reaches the test (and an async listener's rejection is lost
 * altogether); `useBrowser` fails each test whose list is not empty.
 */
const listenerFailures: unknown[] = [];

/**
 * Wraps a Playwright event listener so that a throw or rejection inside it fails the test.
 * @example page.on('dialog', guarded(async (dialog) => { await dialog.dismiss(); dialogs++; }));
 */
export function guarded<A extends unknown[]>(listener: (...args: A) => unknown): (...args: A) => void {
  return (...args) => {
    try {
      const result = listener(...args);
      if (result instanceof Promise) result.catch((err: unknown) => listenerFailures.push(err));
    } catch (err) {
      listenerFailures.push(err);
    }
  };
}

/**
 * The browser for the whole test file, returned as a getter: a connection to the run's headless shell
 * (test/web/global-setup.ts), or a full Chromium of the file's own. Closing the connection at the end closes the
 * contexts the file left open.
 */
export function useBrowser(build: ChromiumBuild = 'headless-shell'): () => Browser {
  // A file's first page compiles the whole bundle cold; on a busy 2-core machine that alone has taken 15-20 s.
  // The time allowed is not a speed target: a test fails on a wrong result long before this.
  vi.setConfig({ testTimeout: 45_000 });
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = build === 'full' ? await launchBrowser(build) : await connectToRunBrowser();
  });
  afterEach(() => {
    const failures = listenerFailures.splice(0);
    expect(failures, 'errors in the page or in a Playwright listener').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

async function connectToRunBrowser(): Promise<Browser> {
  const run = inject('chromium');
  if ('failure' in run) throw new Error(`the run's headless Chromium did not start: ${run.failure}`);
  return chromium.connect(run.endpoint);
}

/** The real server serving the built bundle (`npm run build` first) and the pages. */
export function startWebServer(
  options: Partial<AppDeps> & { dataDir?: string; port?: number } = {},
): Promise<TestServer> {
  return startServer({ webDirs: WEB_DIRS, ...options });
}

const WEB_DIRS = [`${root}dist/web`, `${root}web/public`];

/** useFreshServer, serving the built bundle and the pages. */
export function useWebServer(options: Partial<AppDeps> = {}): ServerFixture {
  return useFreshServer({ webDirs: WEB_DIRS, ...options });
}

/** useSharedServer (one server for the file), serving the built bundle and the pages. */
export function useSharedWebServer(options: Partial<AppDeps> = {}): ServerFixture {
  return useSharedServer({ webDirs: WEB_DIRS, ...options });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
}

/** A page that fails the test on any uncaught error or dialog, which a chat must never cause. */
export async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  guardPage(page);
  await page.goto(url);
  return page;
}

/** Makes an uncaught error in `page`, or a dialog it opens, fail the test. */
export function guardPage(page: Page): void {
  page.on(
    'pageerror',
    guarded((err) => {
      throw err;
    }),
  );
  page.on(
    'dialog',
    guarded(async (dialog) => {
      await dialog.dismiss();
      throw new Error(`the page opened a ${dialog.type()} dialog: ${dialog.message()}`);
    }),
  );
}

/** Registers a nick through the form `<chat-app>` shows on first visit. */
export async function register(page: Page, nick: string): Promise<void> {
  const input = page.getByLabel('Nickname', { exact: true });
  await input.fill(nick);
  await page.getByRole('button', { name: 'Start chatting' }).click();
  await page.getByRole('button', { name: `Change nickname: ${nick}` }).waitFor();
}

/** The message log of the room in view. */
export const log = (page: Page) => page.getByRole('log');

/** Sends `text` from the composer of the room in view ("Message #lobby", or a conversation's "Message bea"). */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^Message / });
  await box.fill(text);
  await box.press('Enter');
}

/** Texts of the messages in view, oldest first (pending ones included). */
export async function messageTexts(page: Page): Promise<string[]> {
  return page.locator('chat-message-list [part~="text"]').allTextContents();
}

/**
 * A page on the chat server's origin with the given body (the bundle loaded as embedders do): the request is
 * answered by Playwright, so tests can try attributes without a page file for each.
 */
export async function openPageWith(context: BrowserContext, server: string, body: string): Promise<Page> {
  const url = `${server}/test-page-${++pageSeq}.html`;
  await context.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><title>Test page</title></head><body>
        <script type="module" src="/chat.js"></script>${body}</body></html>`,
    }),
  );
  return openPage(context, url);
}
let pageSeq = 0;
