import { expect, test } from 'vitest';
import { register, useBrowser, useWebServer } from './browser.js';

// The pages must work under the Content-Security-Policy the server sends (docs/security.md): nothing blocked.
const browser = useBrowser();
const server = useWebServer();

test.each(['/', '/namespaces.html', '/embed.html'])('%s runs under the CSP without a violation', async (path) => {
  const context = await browser().newContext();
  try {
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`Content Security Policy: ${e.violatedDirective}`),
      ),
    );
    const res = await page.goto(`${server.url}${path}`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await register(page, 'ana');
    expect(violations).toEqual([]);
  } finally {
    await context.close();
  }
});
