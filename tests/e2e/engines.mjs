// The three browser engines behind one small driver, so one test runs in each: Chromium
// (playwright-core), Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK
// (selenium-webdriver against WebKitWebDriver driving MiniBrowser under Xvfb). All from
// Debian's packages; nothing downloads a browser.
//
// A page offers what the tests need and nothing more: goto(url), run(fn, arg) — an async
// function evaluated in the page, its JSON-able result returned —, type(text) and
// press(key) into whatever has focus, and close().
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { launchChromium, freePort } from './helpers.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

const MINIBROWSER = ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser']
  .find((p) => existsSync(p));

/** Starts `name`; resolves with { name, newPage(), close() }. */
export async function launchEngine(name) {
  if (name === 'chromium') return chromium();
  if (name === 'firefox') return firefox();
  if (name === 'webkit') return webkit();
  throw new Error(`unknown engine ${name}`);
}

/** Playwright and puppeteer pages have the same evaluate and keyboard calls; only a chord
 *  (`Shift+Enter`) is spelled out for puppeteer. */
function pageOf(page, chords) {
  return {
    goto: (url) => page.goto(url),
    run: (fn, arg) => page.evaluate(fn, arg),
    type: (text) => page.keyboard.type(text),
    press: async (key) => {
      const [mod, k] = key.includes('+') && chords ? key.split('+') : [null, key];
      if (mod) await page.keyboard.down(mod);
      await page.keyboard.press(k);
      if (mod) await page.keyboard.up(mod);
    },
    close: () => page.close(),
  };
}

async function chromium() {
  const browser = await launchChromium();
  return {
    name: 'chromium',
    newPage: async () => pageOf(await browser.newPage(), false),
    close: () => browser.close(),
  };
}

async function firefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr',
    headless: true,
    // A fresh profile per run; no updates, telemetry or first-run pages reaching out.
    extraPrefsFirefox: { 'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false },
  });
  return {
    name: 'firefox',
    newPage: async () => pageOf(await browser.newPage(), true),
    close: () => browser.close(),
  };
}

/** Resolves with the X display an Xvfb it started listens on (`-displayfd` picks a free one). */
function startXvfb() {
  return new Promise((resolve, reject) => {
    const proc = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.once('data', (d) => resolve({ display: `:${String(d).trim()}`, stop: () => proc.kill() }));
    proc.on('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${err}`)));
  });
}

/** Resolves once something accepts connections on the port. */
async function waitForPort(port, ms = 10000) {
  const net = await import('node:net');
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function webkit() {
  const { Builder, Key } = await import('selenium-webdriver');
  if (!MINIBROWSER) throw new Error('MiniBrowser not found: install webkit2gtk-driver (it pulls libwebkit2gtk-4.1)');
  const xvfb = await startXvfb();
  const port = await freePort();
  const driverProc = spawn(process.env.WEBKIT_DRIVER || 'WebKitWebDriver', [`--port=${port}`], {
    stdio: 'ignore',
    env: { ...process.env, DISPLAY: xvfb.display },
  });
  const stop = () => { driverProc.kill(); xvfb.stop(); };
  try {
    await waitForPort(port);
  } catch (e) {
    stop();
    throw e;
  }
  const keyOf = (k) => ({ Enter: Key.ENTER, Escape: Key.ESCAPE, Tab: Key.TAB, Shift: Key.SHIFT })[k] ?? k;
  // One MiniBrowser window per page (WebKitWebDriver drives one window per session).
  const sessions = new Set();
  return {
    name: 'webkit',
    async newPage() {
      const driver = await new Builder()
        .usingServer(`http://127.0.0.1:${port}`)
        .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
        .build();
      sessions.add(driver);
      await driver.manage().setTimeouts({ script: 300000, pageLoad: 60000 });
      return {
        goto: (url) => driver.get(url),
        // WebDriver's Execute Script waits for a returned promise.
        run: (fn, arg) => driver.executeScript(`return (${fn}).apply(null, arguments)`, arg ?? null),
        type: (text) => driver.actions().sendKeys(text).perform(),
        press: async (key) => {
          const [mod, k] = key.includes('+') ? key.split('+') : [null, key];
          let a = driver.actions();
          if (mod) a = a.keyDown(keyOf(mod));
          a = a.sendKeys(keyOf(k));
          if (mod) a = a.keyUp(keyOf(mod));
          await a.perform();
        },
        close: async () => { sessions.delete(driver); await driver.quit(); },
      };
    },
    async close() {
      for (const d of sessions) await d.quit().catch(() => {});
      stop();
    },
  };
}
