// The packed package in every framework a page may use: strict type checks of a consumer for
// React 19, Preact, Solid, Vue 3 (vue-tsc) and Svelte 5 (svelte-check) — and of one that must
// not compile, so the types are known to bite —, the examples/ built with Vite and streaming a
// reply in Chromium, and parents that re-render every 4 ms with fresh props (React, Vue).
// The framework toolchain is pinned in tests/frameworks/package.json (installed by setup).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root, startDevserver, launchChromium, watchProblems } from './helpers.mjs';

const frameworks = path.join(root, 'tests/frameworks');
// Inside tests/frameworks, so the apps resolve react, vue, … from its node_modules.
const work = path.join(frameworks, '.tmp');
const bin = (name) => path.join(frameworks, 'node_modules/.bin', name);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let browser;
let unpacked;

/** A copy of `from` in the work folder with the packed package as its `rill-chat`. */
function app(name, from) {
  const dir = path.join(work, name);
  cpSync(from, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) && !src.includes(`${path.sep}dist`) });
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  cpSync(unpacked, path.join(dir, 'node_modules/rill-chat'), { recursive: true });
  return dir;
}

before(() => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const packed = JSON.parse(run('npm', ['pack', path.join(root, 'pkg'), '--pack-destination', work, '--json', '--loglevel=error'], root));
  run('tar', ['xzf', path.join(work, packed[0].filename), '-C', work], work);
  unpacked = path.join(work, 'package');
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Runs a checker; returns its exit code and output. */
function check(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const tsc = (dir, extra = []) => check(bin('tsc'), ['-p', '.', ...extra], dir);

test('React 19: the example type-checks strictly; wrong props and handlers do not', () => {
  const dir = app('react-vite', path.join(root, 'examples/react-vite'));
  const good = tsc(dir);
  assert.equal(good.code, 0, good.out);
  writeFileSync(path.join(dir, 'src/Bad.tsx'), `import 'rill-chat/react';
export const a = <rill-chat model={42} />;
export const b = <rill-chat tools="nope" />;
export const c = <rill-chat theme="purple" />;
export const d = <rill-chat onrill-message={(e) => e.detail.nonexistent} />;
export const e = <rill-chat onrill-error={(e) => e.detail.status.toFixed()} />;
`);
  const bad = tsc(dir);
  rmSync(path.join(dir, 'src/Bad.tsx'));
  for (const line of [2, 3, 4, 5, 6]) assert.match(bad.out, new RegExp(`Bad\\.tsx\\(${line},`), `line ${line} is an error:\n${bad.out}`);
});

for (const fw of ['preact', 'solid']) {
  test(`${fw === 'preact' ? 'Preact' : 'Solid'}: a strict consumer type-checks; wrong props and handlers do not`, () => {
    const dir = app(fw, path.join(frameworks, 'consumers', fw));
    const good = tsc(dir);
    assert.equal(good.code, 0, good.out);
    const bad = tsc(dir, ['--noEmit']);
    assert.equal(bad.code, 0);
    // The must-fail file, under the same settings.
    const jsx = fw === 'solid' ? ['--jsx', 'preserve', '--jsxImportSource', 'solid-js'] : ['--jsx', 'react-jsx', '--jsxImportSource', 'preact'];
    const failing = check(bin('tsc'), ['--noEmit', '--strict', ...jsx, '--module', 'esnext', '--moduleResolution', 'bundler', '--target', 'es2022', '--lib', 'es2022,dom', 'bad.tsx'], dir);
    for (const line of [3, 4, 5]) assert.match(failing.out, new RegExp(`bad\\.tsx\\(${line},`), `line ${line} is an error:\n${failing.out}`);
  });
}

test('Vue 3: vue-tsc checks the example template; wrong bindings and listeners do not pass', () => {
  const dir = app('vue-vite', path.join(root, 'examples/vue-vite'));
  const good = check(bin('vue-tsc'), ['--noEmit', '-p', '.'], dir);
  assert.equal(good.code, 0, good.out);
  writeFileSync(path.join(dir, 'src/Bad.vue'), `<script setup lang="ts">
import 'rill-chat/vue';
function onMessage(e: CustomEvent<number>) { console.log(e.detail.toFixed()); }
</script>
<template>
  <rill-chat :tools="42" />
  <rill-chat theme="purple" />
  <rill-chat @rill-message="onMessage" />
</template>
`);
  const bad = check(bin('vue-tsc'), ['--noEmit', '-p', '.'], dir);
  rmSync(path.join(dir, 'src/Bad.vue'));
  for (const line of [6, 7, 8]) assert.match(bad.out, new RegExp(`Bad\\.vue\\(${line},`), `line ${line} is an error:\n${bad.out}`);
});

test('Svelte 5: svelte-check passes the example; wrong props and handlers do not', () => {
  const dir = app('svelte-vite', path.join(root, 'examples/svelte-vite'));
  const good = check(bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--output', 'machine'], dir);
  assert.equal(good.code, 0, good.out);
  writeFileSync(path.join(dir, 'src/Bad.svelte'), `<script lang="ts">
  import 'rill-chat/svelte';
</script>
<rill-chat tools={42}></rill-chat>
<rill-chat theme="purple"></rill-chat>
<rill-chat onrill-message={(e) => e.detail.nonexistent}></rill-chat>
`);
  const bad = check(bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--output', 'machine'], dir);
  rmSync(path.join(dir, 'src/Bad.svelte'));
  // Machine output: "<time> ERROR "src/Bad.svelte" <line>:<col> …" with 1-based lines.
  for (const line of [4, 5, 6]) assert.match(bad.out, new RegExp(`ERROR "src/Bad\\.svelte" ${line}:`), `line ${line} is an error:\n${bad.out}`);
});

/** Serves `dir` (a built site) with the demo model; resolves with what the page's element did. */
async function chatOn(dir, t) {
  const server = await startDevserver(['--www', dir, '--ttft-ms', '20', '--tps', '800']);
  t.after(server.stop);
  browser ??= await launchChromium();
  const page = await browser.newPage();
  t.after(() => page.close());
  const problems = await watchProblems(page);
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('rill-chat')?.shadowRoot?.querySelector('.frame'));
  return { page, problems };
}

for (const [name, title] of [['react-vite', 'React + Vite'], ['vue-vite', 'Vue + Vite'], ['svelte-vite', 'Svelte + Vite']]) {
  test(`examples/${name} (${title}) builds and its element streams a reply, seen by the framework`, async (t) => {
    const dir = path.join(work, name);
    run(process.execPath, [path.join(frameworks, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], dir);
    const { page, problems } = await chatOn(path.join(dir, 'dist'), t);
    const out = await page.evaluate(async () => {
      const el = document.querySelector('rill-chat');
      const reply = await el.send('hello');
      // The framework's own handler updated its own state from the event's detail.
      const status = document.querySelector('[role=status]');
      for (let i = 0; i < 100 && !/Last reply/.test(status.textContent); i++) await new Promise((r) => setTimeout(r, 10));
      return { text: reply.text, status: status.textContent, placeholder: el.shadowRoot.querySelector('textarea').placeholder, tools: el.tools?.length };
    });
    assert.match(out.text, /rill-chat demo model/);
    assert.match(out.status, /Last reply: \d+ tokens, stop/);
    assert.equal(out.placeholder, 'Ask me anything…', 'strings reached the element as a property');
    assert.equal(out.tools, 1, 'tools reached the element as a property');
    // The second module (here: for a Messages endpoint) is an asset the bundler emitted.
    const messages = await page.evaluate(async () => {
      const el = document.querySelector('rill-chat');
      el.endpoint = '/v1/messages';
      el.model = 'claude-3-7-sonnet-20250219';
      return (await el.send('hello')).text;
    });
    assert.match(messages, /rill-chat demo model/);
    assert.deepEqual(problems, []);
  });
}

test('examples/plain-html streams a reply', async (t) => {
  const { page, problems } = await chatOn(path.join(root, 'examples/plain-html'), t);
  const text = await page.evaluate(async () => (await document.querySelector('rill-chat').send('hello')).text);
  assert.match(text, /rill-chat demo model/);
  assert.deepEqual(problems, []);
});

for (const [fw, check] of [['react', 'tsc'], ['vue', 'vue-tsc']]) {
  test(`a ${fw === 'react' ? 'React' : 'Vue'} parent re-rendering every 4 ms with fresh props resets nothing, aborts nothing, fires nothing twice`, async (t) => {
    const dir = app(`rerender-${fw}`, path.join(frameworks, 'rerender', fw));
    const typed = check === 'tsc' ? tsc(dir) : (() => { const r = spawnSync(bin('vue-tsc'), ['--noEmit', '-p', '.'], { cwd: dir, encoding: 'utf8' }); return { code: r.status, out: r.stdout + r.stderr }; })();
    assert.equal(typed.code, 0, typed.out);
    run(process.execPath, [path.join(frameworks, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], dir);
    const server = await startDevserver(['--www', path.join(dir, 'dist'), '--ttft-ms', '50', '--tps', '300']);
    t.after(server.stop);
    browser ??= await launchChromium();
    const page = await browser.newPage();
    t.after(() => page.close());
    const problems = await watchProblems(page);
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('#chat')?.shadowRoot?.querySelector('.frame'));
    const out = await page.evaluate(async () => {
      const el = document.querySelector('#chat');
      const seen = window.__seen;
      const rendersBefore = seen.renders;
      const domEvents = { message: 0, error: 0 };
      el.addEventListener('rill-message', () => { domEvents.message += 1; });
      el.addEventListener('rill-error', () => { domEvents.error += 1; });
      const first = await el.send('hello');
      // Keep re-rendering a while with a finished conversation on screen.
      await new Promise((r) => setTimeout(r, 400));
      const second = await el.send('and again');
      await new Promise((r) => setTimeout(r, 200));
      const root = el.shadowRoot;
      return {
        renders: seen.renders - rendersBefore,
        first: first.finishReason, second: second.finishReason,
        messages: seen.messages, domMessages: domEvents.message, errors: seen.errors, domErrors: domEvents.error,
        deltas: seen.deltas,
        bubbles: root.querySelectorAll('.msg').length,
        stopped: root.querySelectorAll('.marker-text').length,
        sameElement: el === document.querySelector('#chat'),
        placeholder: root.querySelector('textarea').placeholder,
        tools: el.tools?.[0]?.description,
      };
    });
    assert.ok(out.renders > 100, `the parent re-rendered ${out.renders} times during the test`);
    assert.deepEqual([out.first, out.second], ['stop', 'stop'], 'both replies finished, none aborted');
    assert.equal(out.messages, 2, 'the framework handler saw each reply once');
    assert.equal(out.domMessages, 2, 'the element fired rill-message once per reply');
    assert.deepEqual([out.errors, out.domErrors], [[], 0]);
    assert.ok(out.deltas > 2, `${out.deltas} rill-delta events reached the handler`);
    assert.equal(out.bubbles, 4, 'the conversation was never reset: two questions, two answers');
    assert.equal(out.stopped, 0);
    assert.ok(out.sameElement, 'the element was never replaced');
    assert.equal(out.placeholder, 'Ask anything');
    assert.match(out.tools, /^render \d+$/, 'fresh tools keep arriving as a property');
    assert.deepEqual(problems, []);
  });
}
