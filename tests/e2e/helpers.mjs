// Shared by the end-to-end tests: a devserver on a free port and Debian's Chromium.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts target/debug/devserver with --port 0 and resolves once it printed its URL. */
export function startDevserver(args = [], env = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(path.join(root, 'target/debug/devserver'), ['--port', '0', ...args], {
      cwd: root,
      env: { ...process.env, AIMLAPI_KEY: '', ANTHROPIC_API_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => { proc.kill(); reject(new Error(`devserver did not start:\n${out}`)); }, 15000);
    const onData = (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/[0-9.:]+\//);
      if (m) {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        proc.stdout.resume();
        resolve({ url: m[0], stop: () => proc.kill() });
      }
    };
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', onData);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (c) => { out += c; });
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`devserver exited (${code}):\n${out}`)); });
  });
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** Records console errors, page errors and CSP violations of a page. */
export async function watchProblems(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return problems;
}

/** The demo page with a ready <rill-chat>, on a devserver started with `args`; everything is
 *  closed when the test ends. */
export async function openDemo(t, args, pageOptions = {}) {
  const server = await startDevserver(args);
  t.after(server.stop);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage(pageOptions);
  const problems = await watchProblems(page);
  const response = await page.goto(server.url);
  await page.waitForFunction(() => customElements.get('rill-chat') && document.querySelector('rill-chat')?.shadowRoot?.querySelector('.frame'));
  return { server, browser, page, problems, response };
}

/** Sends `text` through the element's composer (typing + Enter), resolves with what the
 *  page saw: the bubble's length at every delta and the final reply. */
export async function chatThroughComposer(page, text) {
  const watching = page.evaluate(() => new Promise((resolve, reject) => {
    const el = document.querySelector('rill-chat');
    // What the reader sees, sampled once per frame while the reply streams.
    const lengths = [];
    const body = () => [...el.shadowRoot.querySelectorAll('.msg.assistant .body')].at(-1);
    let sampling = true;
    const sample = () => {
      const b = body();
      if (b) lengths.push(b.textContent.length);
      if (sampling) requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
    el.addEventListener('rill-message', (e) => {
      sampling = false;
      const b = body();
      resolve({ lengths, reply: e.detail, shown: b.textContent, tags: [...b.querySelectorAll('*')].map((n) => n.localName) });
    }, { once: true });
    el.addEventListener('rill-error', (e) => reject(new Error(e.detail.message)), { once: true });
  }));
  const input = page.locator('#chat textarea');
  await input.fill(text);
  await input.press('Enter');
  return watching;
}

/** A loopback port nothing listens on right now (free to bind, or to refuse a connection). */
export async function freePort() {
  const net = await import('node:net');
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** A page at `url` with <rill-chat> defined, that records uncaught exceptions and console
 *  errors in `problems` (the browser's own "Failed to load resource" lines are expected where
 *  requests fail on purpose) and unhandled rejections in `window.__rejections`. */
export async function watchedPage(browser, url, initScript) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.__rejections = [];
    window.addEventListener('unhandledrejection', (e) => window.__rejections.push(String(e.reason?.message ?? e.reason)));
  });
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('rill-chat'));
  return { page, problems };
}

/** The demo page in a context with the clipboard granted (so Copy can be read back), watched
 *  for problems; `fetched` collects the path of every request the page makes. */
export async function openWithClipboard(t, args = []) {
  const server = await startDevserver(args);
  t.after(server.stop);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  const page = await context.newPage();
  const problems = await watchProblems(page);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(server.url);
  await page.waitForFunction(() => customElements.get('rill-chat'));
  return { server, browser, page, problems, fetched };
}
