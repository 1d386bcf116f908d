// `make bench`: rill-chat beside deep-chat and eventsource-parser in one headless Chromium,
// A B A B …, medians of BENCH_RUNS (default 5) runs, written to ../BENCHMARKS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import * as s from './scenarios.mjs';
import { firstReplySize } from '../tests/e2e/first-reply.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const only = (process.env.BENCH_ONLY ?? 'size,burst,pace,decode,startup').split(',');
/** BENCH_KINDS=rill reruns one side only (the other side's last rows are kept). */
const kindsWanted = process.env.BENCH_KINDS?.split(',');
const wanted = (kinds) => kinds.filter((k) => !kindsWanted || kindsWanted.includes(k));
const BURST_WORDS = 8000;
const PACE_WORDS = 2000;
const PACE_TPS = 56;
/** A run of deep-chat's default mode takes minutes (quadratic); past this it is cut short. */
const RUN_TIMEOUT_MS = Number(process.env.BENCH_RUN_TIMEOUT_MS ?? 300_000);

const median = (xs) => { const v = xs.filter((x) => x != null).sort((a, b) => a - b); return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null; };
const log = (...a) => console.error('[bench]', ...a);

const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-dev-shm-usage', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});

/** A fresh page (own context, so nothing is cached) with CDP metrics on. */
async function open(page, query = '') {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const p = await context.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  const cdp = await context.newCDPSession(p);
  await cdp.send('Performance.enable');
  await p.goto(`${server.url}/pages/${page}${query}`);
  await p.waitForFunction(() => window.benchStartup != null || window.benchReady);
  return { page: p, cdp, errors, close: () => context.close() };
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })]).finally(() => clearTimeout(timer));
}

/** One reply measured in a fresh page: wall times from the page, CPU from CDP. */
async function reply(kind, query) {
  const endpoint = `/v1/chat/completions?${query}`;
  const tab = kind === 'rill'
    ? await open('rill.html')
    : await open('deepchat.html', `?endpoint=${encodeURIComponent(endpoint)}${kind === 'deep-chat partialRender' ? '&partial=1' : ''}`);
  try {
    await tab.page.evaluate(s.watchLongTasks);
    const before = await s.cdpMetrics(tab.cdp);
    const run = kind === 'rill' ? tab.page.evaluate(s.rillReply, endpoint) : tab.page.evaluate(s.deepChatReply);
    const out = await withTimeout(run, RUN_TIMEOUT_MS);
    const after = await s.cdpMetrics(tab.cdp);
    if (tab.errors.length) log(kind, 'page errors:', tab.errors);
    return { ...out, script: (after.script - before.script) * 1000, busy: (after.task - before.task) * 1000 };
  } catch (e) {
    log(kind, query, 'failed:', e.message);
    return { total: null, timedOut: e.message === 'timeout' };
  } finally {
    await tab.close();
  }
}

async function sizes() {
  const measure = (files) => {
    const buf = Buffer.concat(files.map((f) => fs.readFileSync(f)));
    // gzip and brotli per file, as a server would send them.
    const per = files.map((f) => fs.readFileSync(f));
    return {
      raw: buf.length,
      gzip: per.reduce((n, b) => n + zlib.gzipSync(b, { level: 9 }).length, 0),
      brotli: per.reduce((n, b) => n + zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0),
    };
  };
  const pkg = path.join(here, '../pkg');
  // What the page fetched from pkg/ to show its first reply with code (its own requests).
  const first = await firstReplySize(browser, `${server.url}/pages/rill.html`, { endpoint: '/v1/chat/completions?words=200' });
  const wasm = first.files.find((f) => f.path.endsWith('.wasm'));
  // The same with a formula in the reply: the math converter's module comes on top.
  const math = await firstReplySize(browser, `${server.url}/pages/rill.html`, { endpoint: '/v1/chat/completions?words=200&math=1', math: true });
  return {
    rill: { raw: first.raw, gzip: first.gzip, brotli: first.brotli, files: first.files },
    math: { raw: math.raw, gzip: math.gzip, brotli: math.brotli, files: math.files },
    wasm: { raw: wasm.raw, gzip: wasm.gzip, brotli: wasm.brotli },
    deepChat: measure([path.join(here, 'node_modules/deep-chat/dist/deepChat.bundle.js')]),
  };
}

// Sections not run this time (BENCH_ONLY) keep their last results, each with its own date;
// so do the sides not run (BENCH_KINDS).
const resultsFile = path.join(here, 'results.json');
const results = fs.existsSync(resultsFile) && (process.env.BENCH_ONLY || kindsWanted) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : {};
Object.assign(results, { date: new Date().toISOString(), runs: RUNS, dates: { ...results.dates } });
for (const section of only) results.dates[section === 'startup' ? 'startup' : section] = results.date;
if (only.includes('size')) results.size = await sizes();

if (only.includes('burst')) {
  const kinds = wanted(['rill', 'deep-chat partialRender', 'deep-chat']);
  results.burst = { ...results.burst, ...Object.fromEntries(kinds.map((k) => [k, []])) };
  for (let i = 0; i < RUNS; i++) {
    for (const k of kinds) {
      const r = await reply(k, `words=${BURST_WORDS}`);
      log('burst', i, k, JSON.stringify(r));
      results.burst[k].push(r);
    }
  }
}

if (only.includes('pace')) {
  const kinds = wanted(['rill', 'deep-chat']);
  results.pace = { ...results.pace, ...Object.fromEntries(kinds.map((k) => [k, []])) };
  for (let i = 0; i < RUNS; i++) {
    for (const k of kinds) {
      const r = await reply(k, `words=${PACE_WORDS}&tps=${PACE_TPS}`);
      log('pace', i, k, JSON.stringify(r));
      results.pace[k].push(r);
    }
  }
}

if (only.includes('decode')) {
  const tab = await open('decode.html');
  const bytes = await tab.page.evaluate(s.makeDecodeInput);
  results.decode = { bytes, big: { rill: [], esp: [] }, small: { rill: [], esp: [] } };
  for (const size of ['big', 'small']) {
    // one warm-up each, then A B A B …
    await tab.page.evaluate(s.decodeRill, size);
    await tab.page.evaluate(s.decodeEsp, size);
    for (let i = 0; i < RUNS; i++) {
      const a = await tab.page.evaluate(s.decodeRill, size);
      const b = await tab.page.evaluate(s.decodeEsp, size);
      log('decode', size, i, JSON.stringify({ rill: a, esp: b }));
      if (a.deltas !== 3 * 129033 || b.deltas !== 3 * 129033) throw new Error(`decoders disagree: ${a.deltas} vs ${b.deltas}`);
      results.decode[size].rill.push(a.ms);
      results.decode[size].esp.push(b.ms);
    }
  }
  await tab.close();
}

if (only.includes('startup')) {
  results.startup = { rill: [], deepChat: [] };
  results.memory = { rill: [], deepChat: [] };
  for (let i = 0; i < RUNS; i++) {
    const endpoint = '/v1/chat/completions?words=60';
    for (const [key, page, query] of [['rill', 'rill.html', ''], ['deepChat', 'deepchat.html', `?endpoint=${encodeURIComponent(endpoint)}`]]) {
      const tab = await open(page, query);
      results.startup[key].push(await tab.page.evaluate(() => window.benchStartup));
      const count = await withTimeout(tab.page.evaluate(key === 'rill' ? s.rillConversation : s.deepChatConversation, { endpoint, turns: 100 }), RUN_TIMEOUT_MS);
      await tab.cdp.send('HeapProfiler.collectGarbage');
      const heap = await tab.cdp.send('Runtime.getHeapUsage');
      const wasm = await tab.page.evaluate(() => window.benchWasmMemory?.buffer.byteLength ?? 0);
      const mem = { messages: count, jsHeap: heap.usedSize, wasm, backing: heap.backingStorageSize ?? null };
      log('startup/memory', i, key, results.startup[key].at(-1), JSON.stringify(mem));
      results.memory[key].push(mem);
      await tab.close();
    }
  }
}

const chromiumVersion = browser.version();
await browser.close();
server.close();
fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
const { render } = await import('./report.mjs');
const previous = fs.existsSync(path.join(here, '../BENCHMARKS.md')) ? fs.readFileSync(path.join(here, '../BENCHMARKS.md'), 'utf8') : '';
fs.writeFileSync(path.join(here, '../BENCHMARKS.md'), render(results, {
  machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
  chromium: chromiumVersion, node: process.version, median, previous,
}));
log('wrote BENCHMARKS.md');
