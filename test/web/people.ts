import type { Browser, BrowserContext, Page, ViewportSize } from 'playwright-core';
import { afterAll, afterEach } from 'vitest';
import { guardPage, openPage } from './browser.js';

/** What a person's browser needs; everything else is Playwright's default. */
export interface PersonOptions {
  viewport?: ViewportSize;
  /** A touch screen (a phone). */
  hasTouch?: boolean;
}

export interface People {
  /**
   * A page at `url` for a person of their own: a browser context of its own (storage, cookies, permissions),
   * as `browser.newContext()` and `openPage` give. Pages of the context beyond this one (a second tab) are the
   * same person's, as in a real browser.
   */
  open(url: string, options?: PersonOptions): Promise<Page>;
  /**
   * Leaves every page of the test (closing or emptying its context). `usePeople` does it after each test; a
   * file that stops its own server in an `afterEach` calls it first, so no page sees its server go.
   */
  release(): Promise<void>;
}

interface Kept {
  context: BrowserContext;
  page: Page;
  key: string;
  viewport: ViewportSize;
  /** Changed in a way `release` cannot undo: the context is closed instead of kept. */
  spoiled: boolean;
}

const DEFAULT_VIEWPORT: ViewportSize = { width: 1280, height: 720 };

/**
 * People whose browser contexts are kept from one test to the next within a test file, each emptied between
 * tests. A new page starts a renderer process and compiles the chat afresh, which made these files CPU-bound on
 * a 2-core machine: a kept tab navigating to the next test's server costs about half as much (0.47 s of CPU
 * against 0.9-1.0 s to open, load and register). What a test can change that cannot be reset (a fake clock,
 * init scripts, routes, exposed functions, extra headers) spoils the context, and it is closed.
 * Each test's server listens on a port of its own, and storage is kept per origin (port included); storage
 * of the origin last visited is cleared all the same, for files that share one server.
 */
export function usePeople(browser: () => Browser): People {
  const free: Kept[] = [];
  const inUse: Kept[] = [];

  const releaseAll = async () => {
    const released = await Promise.all(inUse.splice(0).map(release));
    free.push(...released.filter((kept): kept is Kept => kept !== undefined));
  };
  afterEach(releaseAll);
  afterAll(async () => {
    await Promise.all(free.splice(0).map((kept) => kept.context.close()));
  });

  return {
    async open(url, options = {}) {
      const viewport = options.viewport ?? DEFAULT_VIEWPORT;
      const hasTouch = options.hasTouch ?? false;
      const key = JSON.stringify({ viewport, hasTouch });
      const index = free.findIndex((kept) => kept.key === key);
      if (index >= 0) {
        const [kept] = free.splice(index, 1);
        inUse.push(kept!);
        await kept!.page.goto(url);
        return kept!.page;
      }
      const context = await browser().newContext({ viewport, hasTouch });
      const page = await openPage(context, url).catch(async (err: unknown) => {
        await context.close();
        throw err;
      });
      const kept: Kept = { context, page, key, viewport, spoiled: false };
      inUse.push(kept);
      watchForChangesThatStay(kept);
      return page;
    },
    release: releaseAll,
  };
}

/** Empties a used context for the next test; undefined when it had to be closed instead. */
async function release(kept: Kept): Promise<Kept | undefined> {
  const { context, page } = kept;
  if (kept.spoiled || page.isClosed()) {
    await context.close();
    return undefined;
  }
  try {
    await Promise.all(
      context
        .pages()
        .filter((other) => other !== page)
        .map((other) => other.close()),
    );
    // Listeners the test added (console, websocket…); openPage's error and dialog guards are added again.
    page.removeAllListeners();
    await clearOrigin(page);
    await page.goto('about:blank'); // the app disconnects before the test's server closes
    await Promise.all([context.clearCookies(), context.clearPermissions(), context.setOffline(false)]);
    await page.setViewportSize(kept.viewport);
    await page.emulateMedia({ media: null, colorScheme: null, reducedMotion: null, forcedColors: null });
    guardPage(page);
    return kept;
  } catch {
    await context.close().catch(() => undefined);
    return undefined;
  }
}

async function clearOrigin(page: Page): Promise<void> {
  const url = page.url();
  if (!url.startsWith('http')) return;
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('Storage.clearDataForOrigin', { origin: new URL(url).origin, storageTypes: 'all' });
  } finally {
    await session.detach();
  }
}

/** What a page or context keeps once changed: calling any of these spoils the context for the next test. */
const CHANGES_THAT_STAY = [
  'addInitScript',
  'route',
  'routeFromHAR',
  'routeWebSocket',
  'exposeBinding',
  'exposeFunction',
  'setExtraHTTPHeaders',
];
const CONTEXT_CHANGES_THAT_STAY = [...CHANGES_THAT_STAY, 'setGeolocation', 'setHTTPCredentials'];
const CLOCK_CHANGES = ['install', 'setFixedTime', 'setSystemTime'];

function watchForChangesThatStay(kept: Kept): void {
  const { context, page } = kept;
  for (const method of CONTEXT_CHANGES_THAT_STAY) spoilOnCall(kept, context, method);
  for (const method of CHANGES_THAT_STAY) spoilOnCall(kept, page, method);
  for (const clock of [context.clock, page.clock]) for (const method of CLOCK_CHANGES) spoilOnCall(kept, clock, method);
}

function spoilOnCall(kept: Kept, target: object, method: string): void {
  const own = target as Record<string, (...args: unknown[]) => unknown>;
  const original = own[method]!.bind(target);
  own[method] = (...args: unknown[]) => {
    kept.spoiled = true;
    return original(...args);
  };
}
