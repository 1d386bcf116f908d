// Limits: a 50 MB single SSE line ends in a typed error with the tab's memory bounded (the
// parser caps a line at 8 MiB and the body is dropped), and a 10,000-message history loads
// from storage, scrolls end to end and stays usable. Sizes are asserted (they are
// deterministic); times are only reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchChromium, watchedPage } from './helpers.mjs';

const MiB = 1024 * 1024;

async function open(t) {
  const server = await startDevserver(['--no-delay']);
  t.after(server.stop);
  const browser = await launchChromium();
  t.after(() => browser.close());
  // The wasm's linear memory is outside the JS heap: keep a handle on it.
  const { page, problems } = await watchedPage(browser, server.url, () => {
    for (const name of ['instantiateStreaming', 'instantiate']) {
      const original = WebAssembly[name];
      WebAssembly[name] = async (...args) => {
        const out = await original.apply(WebAssembly, args);
        window.__wasmMemory = (out.instance ?? out).exports?.memory ?? window.__wasmMemory;
        return out;
      };
    }
  });
  await page.waitForFunction(() => window.__wasmMemory);
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  return { page, problems, heap };
}

test('a 50 MB single SSE line is a typed error and memory stays bounded', async (t) => {
  const { page, problems, heap } = await open(t);
  const before = { js: await heap(), wasm: await page.evaluate(() => window.__wasmMemory.buffer.byteLength) };
  const r = await page.evaluate(async () => {
    const { ChatClient } = await import('/pkg/index.js');
    const client = new ChatClient({ endpoint: '/v1/chat/completions', model: 'gpt-4o', retries: 0, headers: { 'x-rill-fault': 'giant-line-50' } });
    const viaClient = await client.complete({ messages: [{ role: 'user', content: 'hi' }] })
      .then(() => null, (e) => ({ kind: e.kind, message: e.message }));
    const el = document.querySelector('#chat');
    el.headers = { 'x-rill-fault': 'giant-line-50' };
    el.retries = 0;
    const viaElement = await el.send('hi').then(() => null, (e) => ({ kind: e.kind, message: e.message }));
    const banner = [...el.shadowRoot.querySelectorAll('.msg.assistant .error')].at(-1)?.textContent ?? '';
    el.headers = {};
    const after = await el.send('hello').then((reply) => reply.text.length, (e) => e.message);
    return { viaClient, viaElement, banner, after };
  });
  const end = { js: await heap(), wasm: await page.evaluate(() => window.__wasmMemory.buffer.byteLength) };
  t.diagnostic(`JS heap ${(before.js / MiB).toFixed(1)} → ${(end.js / MiB).toFixed(1)} MiB, wasm memory ${(before.wasm / MiB).toFixed(1)} → ${(end.wasm / MiB).toFixed(1)} MiB`);
  for (const [where, err] of [['ChatClient', r.viaClient], ['element', r.viaElement]]) {
    assert.equal(err?.kind, 'stream', `${where}: ${JSON.stringify(err)}`);
    assert.match(err.message, /exceeded the limit of 8388608 bytes/, where);
  }
  assert.match(r.banner, /exceeded the limit/);
  assert.ok(typeof r.after === 'number' && r.after > 0, `usable after: ${r.after}`);
  // 50 MB went over the wire twice; at most one line cap (8 MiB) may have been held, and
  // linear memory never shrinks, so this bounds the peak too.
  assert.ok(end.wasm - before.wasm <= 20 * MiB, `wasm memory grew by ${(end.wasm - before.wasm) / MiB} MiB`);
  assert.ok(end.js - before.js <= 20 * MiB, `JS heap grew by ${(end.js - before.js) / MiB} MiB`);
  assert.deepEqual(problems, []);
});

test('a 10,000-message history loads from storage, scrolls end to end, and stays usable', async (t) => {
  const { page, problems, heap } = await open(t);
  const N = 10_000;
  await page.evaluate((N) => {
    const messages = [];
    for (let i = 0; i < N; i += 2) {
      messages.push({ role: 'user', content: `Question ${i}: how does item ${i} work?` });
      messages.push({ role: 'assistant', content: `Answer ${i + 1}: **item ${i}** works like this:\n\n- one\n- two with \`code\`\n\nSee [the docs](https://example.com/${i}).` });
    }
    sessionStorage.setItem('rill-chat:chat', JSON.stringify({ v: 1, messages }));
  }, N);
  // Long tasks while the history is drawn, as the page sees them.
  await page.addInitScript(() => {
    window.__longest = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
      .observe({ type: 'longtask', buffered: true });
  });
  await page.reload();
  const t0 = Date.now();
  await page.waitForFunction(() => document.querySelector('#chat')?.shadowRoot?.querySelector('.log .msg'), null, { polling: 'raf' });
  const firstMs = Date.now() - t0;
  const r = await page.evaluate(async (N) => {
    const root = document.querySelector('#chat').shadowRoot;
    const log = root.querySelector('.log');
    const frame = () => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    const msgs = () => root.querySelectorAll('.log .msg');
    const visible = (el) => {
      const a = el.getBoundingClientRect();
      const b = log.getBoundingClientRect();
      return a.bottom > b.top && a.top < b.bottom;
    };
    await frame();
    const out = { shownAtLoad: msgs().length, longestAtLoad: window.__longest };
    out.newestAtEnd = visible(msgs()[msgs().length - 1]) && /Answer 9999:/.test(msgs()[msgs().length - 1].textContent);
    // The reader scrolls up: each time the top is reached, older turns appear above, and
    // what was on screen stays where it was.
    const s0 = performance.now();
    out.stable = true;
    let scrolls = 0;
    const pad = parseFloat(getComputedStyle(log).paddingTop);
    while (msgs().length < N && scrolls < 1000) {
      const seen = msgs()[0];
      log.scrollTop = 0;
      await frame();
      scrolls += 1;
      // The message that was first is still where scrolling to the top put it.
      const where = seen.getBoundingClientRect().top - (log.getBoundingClientRect().top + log.clientTop + pad);
      if (msgs()[0] === seen || Math.abs(where) > 2) out.stable = false;
    }
    out.scrolls = scrolls;
    out.allMs = performance.now() - s0;
    const all = [...msgs()];
    out.count = all.length;
    out.order = all.every((m, i) => m.textContent.includes(i % 2 ? `Answer ${i}:` : `Question ${i}:`));
    log.scrollTop = 0;
    await frame();
    out.firstVisible = visible(all[0]);
    log.scrollTop = log.scrollHeight / 2;
    await frame();
    out.middleVisible = all.slice(4000, 6000).some(visible);
    log.scrollTop = log.scrollHeight;
    await frame();
    out.lastVisible = visible(all.at(-1));
    out.scrollHeight = log.scrollHeight;
    out.longest = window.__longest;
    return out;
  }, N);
  t.diagnostic(`10,000 messages: ${r.shownAtLoad} drawn ${firstMs} ms after the reload (longest task ${r.longestAtLoad.toFixed(0)} ms); the rest drawn by ${r.scrolls} scrolls to the top in ${(r.allMs / 1000).toFixed(1)} s (longest task ${r.longest.toFixed(0)} ms); log ${r.scrollHeight} px`);
  assert.ok(r.newestAtEnd, 'opens at the newest message');
  assert.ok(r.shownAtLoad < 200, `only the newest turns are drawn at load (${r.shownAtLoad})`);
  assert.equal(r.count, N, 'scrolling up reaches the first message');
  assert.ok(r.order, 'every message in its place, oldest first');
  assert.ok(r.stable, 'older turns appear above without moving what the reader sees');
  assert.ok(r.firstVisible, 'scrolls to the first message');
  assert.ok(r.middleVisible, 'and to the middle');
  assert.ok(r.lastVisible, 'and back to the end');
  // Still a working chat: a new turn lands at the end and is saved with the rest.
  const reply = await page.evaluate(() => document.querySelector('#chat').send('one more').then((x) => x.text.length));
  assert.ok(reply > 0);
  const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('rill-chat:chat')).messages.length);
  assert.equal(stored, N + 2);
  t.diagnostic(`JS heap with 10,002 messages: ${((await heap()) / MiB).toFixed(1)} MiB`);
  assert.deepEqual(problems, []);
});

test('editing a message of a partly drawn history edits that message', async (t) => {
  const { page, problems } = await open(t);
  await page.evaluate(() => {
    const messages = [];
    for (let i = 0; i < 300; i += 2) {
      messages.push({ role: 'user', content: `Question ${i}` });
      messages.push({ role: 'assistant', content: `Answer ${i + 1}` });
    }
    sessionStorage.setItem('rill-chat:chat', JSON.stringify({ v: 1, messages }));
  });
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#chat')?.shadowRoot?.querySelector('.log .msg'));
  const r = await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    const root = el.shadowRoot;
    const shown = root.querySelectorAll('.log .msg').length;
    const users = root.querySelectorAll('.log .msg.user');
    users[users.length - 2].querySelector('[data-action=edit]').click();
    const input = root.querySelector('textarea').value;
    const reply = await el.send('Question 296, edited');
    const stored = JSON.parse(sessionStorage.getItem('rill-chat:chat')).messages;
    return { shown, input, reply: reply.text.length, stored: stored.length, last: stored.at(-2).content };
  });
  assert.ok(r.shown < 300, `partly drawn (${r.shown})`);
  assert.equal(r.input, 'Question 296');
  assert.equal(r.stored, 298, 'the edited turn and everything after it were replaced');
  assert.equal(r.last, 'Question 296, edited');
  assert.deepEqual(problems, []);
});
