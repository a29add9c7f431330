import type { TestProject } from 'vitest/node';
import { launchBrowserServer } from './chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's headless Chromium listens for Playwright (`chromium.connect`), or why it could not start. */
    chromium: { endpoint: string } | { failure: string };
  }
}

/**
 * One headless Chromium for every browser test file of the run, closed at the end. Launching and closing one per
 * file cost about 0.4 s of wall time and 0.7 s of machine CPU, in a project whose browser files keep both cores
 * busy; connecting to a running one costs a twentieth of that. Each test still gets contexts of its own, which
 * share nothing (storage, cookies, cache) with another's. A browser that cannot start fails the browser files
 * only (`useBrowser` says why), so the other files of the project still run without Chromium installed.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  try {
    const server = await launchBrowserServer();
    project.provide('chromium', { endpoint: server.wsEndpoint() });
    return () => server.close();
  } catch (err) {
    project.provide('chromium', { failure: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}
