// The shipped size may only go down: what a page fetches from pkg/ to show its first markdown
// reply with code (the demo page, measured from its own requests, gzip -9 per file) must stay
// within the budget kept in tests/size-budget.json (size is deterministic, so this can be a test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root, startDevserver, launchChromium } from './helpers.mjs';
import { firstReplySize, MATH_REPLY } from './first-reply.mjs';

test('the first reply stays within its gzip size budget', async (t) => {
  const budget = JSON.parse(fs.readFileSync(path.join(root, 'tests/size-budget.json'), 'utf8'));
  const server = await startDevserver(['--no-delay']);
  t.after(server.stop);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const size = await firstReplySize(browser, server.url);
  console.log(`first reply: ${size.files.map((f) => `${f.path} ${f.gzip} B`).join(', ')}; total ${size.gzip} B gzip, budget ${budget.gzipBytes} B`);
  // The wasm and the one JS file (the entry with the glue, the DOM interpreter and the host
  // calls bundled in): a file missing means it was not measured, not that it is free.
  for (const name of ['rill_chat_bg.wasm', 'index.js']) {
    assert.ok(size.files.some((f) => f.path.endsWith(name)), `${name} was not fetched`);
  }
  assert.ok(size.gzip <= budget.gzipBytes, `${size.gzip} B gzip is over the budget of ${budget.gzipBytes} B (tests/size-budget.json)`);
});

test('the first reply with math stays within its gzip size budget', async (t) => {
  const budget = JSON.parse(fs.readFileSync(path.join(root, 'tests/size-budget.json'), 'utf8'));
  const server = await startDevserver(['--no-delay']);
  t.after(server.stop);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const size = await firstReplySize(browser, server.url, { message: MATH_REPLY, headers: { 'x-rill-fault': 'script' }, math: true });
  console.log(`first reply with math: ${size.files.map((f) => `${f.path} ${f.gzip} B`).join(', ')}; total ${size.gzip} B gzip, budget ${budget.mathGzipBytes} B`);
  assert.ok(size.files.some((f) => f.path.endsWith('rill_chat_math.wasm')), 'the converter was fetched');
  assert.ok(!size.files.some((f) => f.path.endsWith('rill_chat_extra.wasm')), 'nothing else was');
  assert.ok(size.gzip <= budget.mathGzipBytes, `${size.gzip} B gzip is over the budget of ${budget.mathGzipBytes} B (tests/size-budget.json)`);
});
