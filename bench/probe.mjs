// Shared start of the one-off probes (lt, prof, floor, trace): the bench server and
// rill-chat's bench page in a headless Chromium, ready to measure.
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export async function openRillPage() {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
  const p = await browser.newPage();
  await p.goto(`${server.url}/pages/rill.html`);
  await p.waitForFunction(() => window.benchStartup != null);
  return { p, close: async () => { await browser.close(); server.close(); } };
}
