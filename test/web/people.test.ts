import { expect, test } from 'vitest';
import { useBrowser, useSharedWebServer } from './browser.js';
import { usePeople } from './people.js';

// The pool behind the browser tests' people: what one test leaves in a kept browser context must not reach the
// next. One server for the file, so every test's pages share an origin, as files with a shared server do.
const browser = useBrowser();
const server = useSharedWebServer();
const people = usePeople(browser);
const seen: Page[] = [];
type Page = Awaited<ReturnType<typeof people.open>>;

const stored = (page: Page) => page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));

test('a person leaves storage, a cookie, a second tab and a listener behind', async () => {
  const page = await people.open(`${server.url}/healthz`);
  seen.push(page);
  await page.evaluate(() => {
    localStorage.setItem('left', 'behind');
    sessionStorage.setItem('left', 'behind');
    document.cookie = 'left=behind';
  });
  await page.context().newPage();
  page.on('console', () => {
    throw new Error('a listener of the previous test');
  });
});

test('the next person on the same origin finds none of it', async () => {
  const page = await people.open(`${server.url}/healthz`);
  expect(page).toBe(seen[0]); // the kept tab, not a new one
  expect(await stored(page)).toEqual({ local: 0, session: 0 });
  expect(await page.evaluate(() => document.cookie)).toBe('');
  expect(page.context().pages()).toEqual([page]);
  await page.evaluate(() => console.log('no listener hears this'));
});

test('a page whose clock was faked is not kept', async () => {
  const page = await people.open(`${server.url}/healthz`);
  await page.clock.install({ time: new Date('2001-01-01T00:00:00Z') });
  seen.push(page);
});

test('the next person gets a real clock', async () => {
  const page = await people.open(`${server.url}/healthz`);
  expect(page).not.toBe(seen[1]);
  expect(await page.evaluate(() => new Date().getFullYear())).toBeGreaterThan(2001);
});
