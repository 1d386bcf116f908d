// The npm package as a user gets it: `npm pack ./pkg`, installed into a fresh folder, then
// imported in Node, loaded from a plain HTML page, and bundled by Vite. Each browser page
// must define <rill-chat> and stream a reply from the devserver's demo model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startDevserver, launchChromium, watchProblems } from './helpers.mjs';

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let tmp;
let app;
let tarball;
let browser;

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'rill-pkg-'));
  const packed = JSON.parse(run('npm', ['pack', path.join(root, 'pkg'), '--pack-destination', tmp, '--json', '--loglevel=error'], root));
  tarball = path.join(tmp, packed[0].filename);
  app = path.join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // A local tarball without dependencies installs with no registry access.
  run('npm', ['install', tarball, '--no-audit', '--no-fund', '--offline', '--loglevel=error'], app);
});

after(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('the tarball holds the built package and nothing else', () => {
  const files = JSON.parse(run('npm', ['pack', path.join(root, 'pkg'), '--dry-run', '--json', '--loglevel=error'], root))[0].files.map((f) => f.path).sort();
  // The entry (the wasm-bindgen glue, the DOM interpreter and the host calls bundled in), the
  // JS API's own code that `ready` imports, and the wasm modules.
  assert.deepEqual(files, ['README.md', 'api.js', 'index.d.ts', 'index.js', 'package.json', 'preact.d.ts', 'react.d.ts', 'rill_chat_bg.wasm', 'rill_chat_extra.wasm', 'rill_chat_langs.wasm', 'rill_chat_math.wasm', 'solid.d.ts', 'svelte.d.ts', 'vue.d.ts']);
});

test('importing the package in Node does not throw; the parser and renderMarkdown work', () => {
  const script = `
    const m = await import('rill-chat');
    await m.ready;
    const p = new m.SseParser();
    const events = p.feed(new TextEncoder().encode('id: 7\\r\\ndata: a\\r\\ndata: b\\r\\n\\r\\n'));
    const html = m.renderMarkdown('# Hi\\n\\n**bold** [x](javascript:alert(1)) <b>raw</b>\\n');
    console.log(JSON.stringify({ events, defined: typeof m.RillChatElement, retry: p.retry, html }));`;
  const out = JSON.parse(run('node', ['--input-type=module', '-e', script], app));
  assert.deepEqual(out, {
    events: [{ event: 'message', data: 'a\nb', id: '7' }], defined: 'function', retry: null,
    html: '<h1>Hi</h1>\n<p><strong>bold</strong> x &lt;b&gt;raw&lt;/b&gt;</p>\n',
  });
});

/** Loads `url`, sends "hello" through the element; resolves with the wasm URLs requested. */
test('the types describe the API: a strict TypeScript consumer compiles', () => {
  writeFileSync(path.join(app, 'consumer.ts'), `
import { ready, ChatClient, ChatError, SseParser, renderMarkdown, type ChatEvent, type ChatReply } from 'rill-chat';
const html: string = renderMarkdown('**hi**');
await ready;
const client = new ChatClient({
  endpoint: 'https://api.aimlapi.com/v1/chat/completions', model: 'anthropic/claude-sonnet-4',
  maxTokens: 2048, thinking: { budgetTokens: 1024 }, retries: 1,
  tools: [{ name: 'get_time', parameters: { type: 'object' }, handler: async (args: { timezone?: string }) => new Date().toISOString() }],
});
const controller = new AbortController();
for await (const ev of client.stream({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal })) {
  const e: ChatEvent = ev;
  if (e.type === 'text') console.log(e.delta.length);
  if (e.type === 'toolResult') console.log(e.isError);
}
try {
  const reply: ChatReply = await client.complete({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
  console.log(reply.usage?.outputTokens, reply.metrics.tokensPerSecond, reply.messages?.length);
} catch (err) {
  if (err instanceof ChatError) console.log(err.kind, err.status, err.partial?.text);
}
const el = document.createElement('rill-chat');
el.maxTokens = 100;
el.strings = { send: 'Senden' };
el.maxImageBytes = 1_000_000;
el.setAttribute('mode', 'launcher');
void el.send('look', { images: ['data:image/png;base64,iVBORw0KGgo='] });
el.addEventListener('rill-message', (e) => console.log(e.detail.text));
const events: { event: string; data: string; id: string }[] = new SseParser().feed(new Uint8Array());
console.log(events);
`);
  writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom', 'dom.iterable', 'dom.asynciterable'], skipLibCheck: false },
    files: ['consumer.ts'],
  }));
  run(path.join(root, 'tests/e2e/node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], app);
});

async function expectWorkingElement(url) {
  browser ??= await launchChromium();
  const page = await browser.newPage();
  const problems = await watchProblems(page);
  const wasmRequests = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmRequests.push(new URL(r.url()).pathname); });
  await page.goto(url);
  const result = await page.evaluate(async () => {
    await customElements.whenDefined('rill-chat');
    const el = document.querySelector('rill-chat');
    const deltas = [];
    el.addEventListener('rill-delta', (e) => deltas.push(e.detail.delta));
    const reply = await el.send('hello');
    return { deltas: deltas.length, joined: deltas.join(''), text: reply.text, shown: el.shadowRoot.querySelector('.msg.assistant .body').textContent };
  });
  assert.match(result.text, /rill-chat demo model/);
  assert.match(result.shown, /I'm the rill-chat demo model/);
  // It streamed (a chunk's deltas come as one event), and the deltas add up to the reply.
  assert.ok(result.deltas > 1, `${result.deltas} deltas`);
  assert.equal(result.joined, result.text);
  assert.deepEqual(problems, []);
  await page.close();
  return wasmRequests;
}

const page = (body) => `<!doctype html><html><head><meta charset="utf-8"><title>consumer</title><link rel="icon" href="data:,">${body}</head>
<body><rill-chat endpoint="/v1/chat/completions" model="gpt-4o"></rill-chat></body></html>`;

test('a plain HTML page loads the installed package and defines the element', async (t) => {
  writeFileSync(path.join(app, 'index.html'), page('<script type="module" src="./node_modules/rill-chat/index.js"></script>'));
  const server = await startDevserver(['--www', app, '--ttft-ms', '50', '--tps', '500']);
  t.after(server.stop);
  assert.deepEqual(await expectWorkingElement(server.url), ['/node_modules/rill-chat/rill_chat_bg.wasm']);
});

test('the page can move the wasm elsewhere with <meta name="rill-chat-wasm">', async (t) => {
  mkdirSync(path.join(app, 'static'));
  copyFileSync(path.join(app, 'node_modules/rill-chat/rill_chat_bg.wasm'), path.join(app, 'static/chat.wasm'));
  writeFileSync(path.join(app, 'moved.html'), page('<meta name="rill-chat-wasm" content="/static/chat.wasm"><script type="module" src="./node_modules/rill-chat/index.js"></script>'));
  const server = await startDevserver(['--www', app, '--no-delay']);
  t.after(server.stop);
  assert.deepEqual(await expectWorkingElement(`${server.url}moved.html`), ['/static/chat.wasm']);
});

test('a Vite build bundles the package, emits the wasm, and defines the element', async (t) => {
  const site = path.join(tmp, 'vite-site');
  mkdirSync(site);
  writeFileSync(path.join(site, 'package.json'), JSON.stringify({ name: 'vite-consumer', private: true, type: 'module' }));
  run('npm', ['install', tarball, '--no-audit', '--no-fund', '--offline', '--loglevel=error'], site);
  writeFileSync(path.join(site, 'main.js'), "import { ready } from 'rill-chat';\nawait ready;\n");
  writeFileSync(path.join(site, 'index.html'), page('<script type="module" src="./main.js"></script>'));
  run('node', [path.join(root, 'tests/e2e/node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], site);
  const assets = readdirSync(path.join(site, 'dist/assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `wasm emitted: ${assets}`);
  // `ready` imports the JS API's own code: a chunk of its own, not inlined into the entry.
  assert.ok(assets.some((f) => /^api-.*\.js$/.test(f)), `the JS API's chunk emitted: ${assets}`);
  const server = await startDevserver(['--www', path.join(site, 'dist'), '--ttft-ms', '50', '--tps', '500']);
  t.after(server.stop);
  await expectWorkingElement(server.url);
});
