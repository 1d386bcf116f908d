// The shipped size may only go down: the gzip size of what a page loads must stay within
// the budget kept in tests/size-budget.json (size is deterministic, so this can be a test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { root } from './helpers.mjs';

test('the package stays within its gzip size budget', () => {
  const budget = JSON.parse(fs.readFileSync(path.join(root, 'tests/size-budget.json'), 'utf8'));
  const sizes = budget.files.map((f) => [f, zlib.gzipSync(fs.readFileSync(path.join(root, f)), { level: 9 }).length]);
  const total = sizes.reduce((n, [, s]) => n + s, 0);
  console.log(`shipped: ${sizes.map(([f, s]) => `${path.basename(f)} ${s} B`).join(', ')}; total ${total} B gzip, budget ${budget.gzipBytes} B`);
  assert.ok(total <= budget.gzipBytes, `${total} B gzip is over the budget of ${budget.gzipBytes} B (tests/size-budget.json)`);
});
