import { type Browser, type BrowserServer, chromium } from 'playwright-core';

/**
 * Which of Debian's Chromium builds a test file drives (CI installs both; Playwright's own browsers cannot be
 * downloaded here). The tests run in the headless shell (package chromium-headless-shell, the build Playwright
 * itself runs headless tests in): the browser tests are CPU-bound on a 2-core machine, and opening a page,
 * loading the chat and registering costs about 1 s of CPU there against 2.7 s in the full browser. The full
 * browser is kept for what only it has: desktop notifications (the shell denies them whatever is granted).
 */
export type ChromiumBuild = 'headless-shell' | 'full';

const EXECUTABLES: Record<ChromiumBuild, string> = {
  'headless-shell': '/usr/bin/chromium-headless-shell',
  full: '/usr/bin/chromium',
};

const launchOptions = (build: ChromiumBuild) => ({
  executablePath: process.env.CHROMIUM_PATH ?? EXECUTABLES[build],
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

export function launchBrowser(build: ChromiumBuild = 'headless-shell'): Promise<Browser> {
  return chromium.launch(launchOptions(build));
}

/** The headless shell as a server the test files connect to (test/web/global-setup.ts). */
export function launchBrowserServer(): Promise<BrowserServer> {
  return chromium.launchServer(launchOptions('headless-shell'));
}
