// The fault matrix end to end: every devserver fault (plus a refused connection, a slow
// response head and the user stopping) × {ChatClient, <rill-chat>} × both wire formats. Each
// case must give the right error kind with a readable message, keep what had arrived, leave
// nothing spinning, and the next request right after it must work; the page must see no
// uncaught exception and no unhandled rejection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchChromium, freePort, watchedPage } from './helpers.mjs';

const STATUSES = [400, 401, 403, 404, 429, 500, 502, 503, 504, 529];

/** [name, fault spec, expected kind, { partial, status, options }] */
const CASES = [
  ...STATUSES.map((s) => [`http-${s}`, `http-${s}`, 'http', { status: s }]),
  ['http-429 (OpenAI body)', 'http-429-openai', 'http', { status: 429 }],
  ['http-529 (Anthropic body)', 'http-529-anthropic', 'http', { status: 529 }],
  ['http-403 (AI/ML API body)', 'http-403-aimlapi', 'http', { status: 403 }],
  ['body cut before the end', 'cut', 'incomplete', { partial: true }],
  ['error event in the stream', 'stream-error', 'stream', { partial: true }],
  ['malformed JSON in a chunk', 'malformed', 'parse', { partial: true }],
  ['stall mid-stream', 'stall-5', 'timeout', { partial: true, options: { idleTimeoutMs: 300 } }],
  ['9 MiB line', 'giant-line-9', 'stream', {}],
  ['slow response head', 'slow-head-3', 'timeout', { options: { timeoutMs: 200 } }],
  ['slow first token', '', 'timeout', { options: { idleTimeoutMs: 200 }, headers: { 'x-rill-pace': 'ttft=3000,tps=1000' } }],
  ['connection refused', '', 'network', { refused: true }],
  ['stopped by the user', '', 'aborted', { partial: true, stop: true, headers: { 'x-rill-pace': 'ttft=0,tps=200' } }],
];

async function openPage(t) {
  const server = await startDevserver(['--no-delay']);
  t.after(server.stop);
  const browser = await launchChromium();
  t.after(() => browser.close());
  return watchedPage(browser, server.url);
}

/** Runs one case in the page; returns what it saw, judged in Node. */
function runCase(page, surface, endpoint, c) {
  return page.evaluate(async ({ surface, endpoint, c }) => {
    const { ChatClient, ChatError, renderMarkdown } = await import('/pkg/index.js');
    const model = endpoint.includes('messages') ? 'claude-3-7-sonnet-20250219' : 'gpt-4o';
    const headers = { ...(c.spec ? { 'x-rill-fault': c.spec } : {}), ...(c.headers ?? {}) };
    const url = c.refused ? `http://127.0.0.1:${c.refusedPort}${endpoint}` : endpoint;
    const out = {};
    const describe = (err) => ({
      isChatError: err instanceof ChatError && err instanceof Error,
      kind: err?.kind, message: err?.message, status: err?.status ?? null,
      partial: err?.partial?.text ?? '',
    });
    if (surface === 'client') {
      const client = new ChatClient({ endpoint: url, model, headers, retries: 0, ...(c.options ?? {}) });
      const controller = new AbortController();
      let seen = 0;
      try {
        for await (const ev of client.stream({ messages: [{ role: 'user', content: 'hello' }], signal: controller.signal })) {
          if (ev.type === 'text' && c.stop && ++seen === 1) controller.abort();
        }
        out.error = null;
      } catch (err) { out.error = describe(err); }
      const clean = new ChatClient({ endpoint, model, retries: 0 });
      out.after = (await clean.complete({ messages: [{ role: 'user', content: 'hello again' }] })).text.length;
      return out;
    }
    document.querySelectorAll('rill-chat').forEach((e) => e.remove());
    const el = document.createElement('rill-chat');
    el.setAttribute('endpoint', url);
    el.setAttribute('model', model);
    el.headers = headers;
    el.retries = 0;
    Object.assign(el, c.options ?? {});
    document.body.append(el);
    await new Promise((r) => { const wait = () => (el.shadowRoot?.querySelector('.frame') ? r() : setTimeout(wait, 10)); wait(); });
    if (c.stop) {
      let deltas = 0;
      el.addEventListener('rill-delta', () => { if (++deltas === 1) el.stop(); });
    }
    const errorEvents = [];
    el.addEventListener('rill-error', (e) => errorEvents.push(e.detail?.kind));
    out.error = await el.send('hello').then(() => null, describe);
    const root = el.shadowRoot;
    const last = [...root.querySelectorAll('.msg.assistant')].at(-1);
    out.banner = last?.querySelector('.error')?.textContent ?? '';
    out.shown = last?.querySelector('.body')?.textContent ?? '';
    const rendered = document.createElement('div');
    rendered.innerHTML = renderMarkdown(out.error?.partial ?? '');
    out.partialShown = rendered.textContent;
    out.busy = root.querySelectorAll('[aria-busy="true"]').length;
    out.sendLabel = root.querySelector('.send')?.textContent ?? root.querySelector('button[type=submit]')?.textContent ?? '';
    out.errorEvents = errorEvents;
    // Usable right away: the same element, fault removed, answers.
    el.setAttribute('endpoint', endpoint);
    el.headers = {};
    el.timeoutMs = undefined;
    el.idleTimeoutMs = undefined;
    const again = await el.send('hello again').then((r) => r.text.length, (e) => `failed: ${e.message}`);
    out.after = again;
    out.messages = root.querySelectorAll('.msg').length;
    return out;
  }, { surface, endpoint, c });
}

function judge(label, c, r) {
  const [, , kind, want] = c;
  assert.ok(r.error, `${label}: expected an error`);
  assert.ok(r.error.isChatError, `${label}: a ChatError`);
  assert.equal(r.error.kind, kind, `${label}: kind (${r.error.message})`);
  const msg = r.error.message ?? '';
  assert.ok(msg.length > 3 && msg.length < 600, `${label}: message length: ${msg}`);
  assert.doesNotMatch(msg, /\[object|undefined|^\s*[{[]|RuntimeError|unreachable/, `${label}: readable message: ${msg}`);
  if (want.status) assert.equal(r.error.status, want.status, `${label}: status`);
  if (want.partial) assert.ok(r.error.partial.length > 0, `${label}: the partial reply is kept`);
  assert.ok(typeof r.after === 'number' && r.after > 0, `${label}: the next request works (${r.after})`);
}

for (const endpoint of ['/v1/chat/completions', '/v1/messages']) {
  for (const surface of ['client', 'element']) {
    test(`fault matrix: ${surface} on ${endpoint} (${CASES.length} cases)`, async (t) => {
      const { page, problems } = await openPage(t);
      const refusedPort = await freePort();
      for (const c of CASES) {
        const [name, spec, , want] = c;
        const label = `${surface} ${endpoint} ${name}`;
        const r = await runCase(page, surface, endpoint, { spec, refusedPort, ...want });
        judge(label, c, r);
        if (surface === 'element') {
          assert.equal(r.busy, 0, `${label}: nothing left spinning`);
          assert.doesNotMatch(r.sendLabel, /stop/i, `${label}: the button is Send again`);
          const squash = (x) => x.replace(/\s+/g, '');
          if (want.partial) assert.equal(squash(r.shown), squash(r.partialShown), `${label}: the partial reply stays on screen`);
          if (!want.stop) {
            assert.ok(r.banner.length > 0, `${label}: an error banner`);
            assert.ok(r.banner.includes(r.error.message.slice(0, 30)), `${label}: the banner shows the message: ${r.banner}`);
            assert.deepEqual(r.errorEvents, [r.error.kind], `${label}: one rill-error event`);
          }
          assert.equal(r.messages, 4, `${label}: both turns are in the log`);
        }
      }
      const rejections = await page.evaluate(() => window.__rejections);
      assert.deepEqual(rejections, [], 'no unhandled rejection');
      assert.deepEqual(problems, [], 'no uncaught exception or console error');
    });
  }
}

test('the framing faults (CRLF, CR, one byte per chunk) change nothing, through both surfaces', async (t) => {
  const { page, problems } = await openPage(t);
  const r = await page.evaluate(async () => {
    const { ChatClient } = await import('/pkg/index.js');
    const out = {};
    for (const endpoint of ['/v1/chat/completions', '/v1/messages']) {
      const model = endpoint.includes('messages') ? 'claude-3-7-sonnet-20250219' : 'gpt-4o';
      for (const fault of ['', 'crlf', 'cr', 'one-byte', 'crlf,one-byte']) {
        const client = new ChatClient({ endpoint, model, retries: 0, headers: fault ? { 'x-rill-fault': fault } : {} });
        const viaClient = (await client.complete({ messages: [{ role: 'user', content: 'hello' }] })).text;
        document.querySelectorAll('rill-chat').forEach((e) => e.remove());
        const el = document.createElement('rill-chat');
        el.setAttribute('endpoint', endpoint);
        el.setAttribute('model', model);
        el.headers = fault ? { 'x-rill-fault': fault } : {};
        document.body.append(el);
        await new Promise((r) => { const wait = () => (el.shadowRoot?.querySelector('.frame') ? r() : setTimeout(wait, 10)); wait(); });
        const viaElement = (await el.send('hello')).text;
        const shown = [...el.shadowRoot.querySelectorAll('.msg.assistant .body')].at(-1).textContent.length;
        out[`${endpoint} ${fault || 'plain'}`] = { viaClient, viaElement, shown };
      }
    }
    return out;
  });
  for (const endpoint of ['/v1/chat/completions', '/v1/messages']) {
    const plain = r[`${endpoint} plain`];
    assert.ok(plain.viaClient.length > 100);
    for (const fault of ['crlf', 'cr', 'one-byte', 'crlf,one-byte']) {
      const got = r[`${endpoint} ${fault}`];
      assert.equal(got.viaClient, plain.viaClient, `${endpoint} ${fault}: ChatClient`);
      assert.equal(got.viaElement, plain.viaElement, `${endpoint} ${fault}: element`);
      assert.equal(got.shown, plain.shown, `${endpoint} ${fault}: what the element shows`);
    }
  }
  assert.deepEqual(await page.evaluate(() => window.__rejections), []);
  assert.deepEqual(problems, []);
});
