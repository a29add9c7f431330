import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage } from './browser.js';

/** The admin console's pages as a test drives them; shared by the console's browser test files. */
export class ConsolePages {
  private contexts: BrowserContext[] = [];

  constructor(
    private readonly browser: () => Browser,
    private readonly url: () => string,
  ) {}

  /** /admin in a fresh context (no sessionStorage), signed in with `token`. */
  async signedIn(token: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await this.browser().newContext({ viewport, acceptDownloads: true });
    this.contexts.push(context);
    const page = await openPage(context, `${this.url()}/admin`);
    await page.getByLabel('Token').fill(token);
    await page.getByLabel('Token').press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  }

  async view(page: Page, name: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Console views' }).getByRole('button', { name }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.contexts.map((c) => c.close()));
    this.contexts = [];
  }
}

/** The accessible name (aria-label, else text) of the element with focus, through shadow roots. */
export const focusedName = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
  });

/** Presses Tab until the control named `name` has focus: it is reachable with the keyboard, in tab order. */
export async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if ((await focusedName(page)) === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${name}; focus is on ${await focusedName(page)}`);
}
