// The shipped wasm is two modules (src/split.rs): the first shows replies; the second (the
// Anthropic codec, attachments, edits, restoring a stored conversation, the page's tool
// handlers, HTTP error bodies, the JS API's own code) is fetched only when one of those is
// used — once, and with a clear error (or the plain status) when it cannot be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDemo, chatThroughComposer, root } from './helpers.mjs';

const sunset = path.join(root, 'www/sunset.png');
const EXTRA = 'rill_chat_extra.wasm';

/** The page again, from scratch, with every fetch of the second module failing. */
async function reloadWithoutExtra(page) {
  await page.evaluate(() => sessionStorage.clear());
  await page.route(`**/${EXTRA}`, (r) => r.abort());
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#chat')?.shadowRoot?.querySelector('.frame'));
}

/** Sends `script` to the demo model's scripted reply (no retries) and returns what `read`
 *  finds in the last assistant message. */
async function scriptedSend(page, script, read) {
  const last = await page.evaluateHandle(async (msg) => {
    const el = document.querySelector('#chat');
    el.headers = { 'x-rill-fault': 'script' };
    el.retries = 0;
    await el.send(msg);
    return [...el.shadowRoot.querySelectorAll('.msg.assistant')].at(-1);
  }, JSON.stringify(script));
  return last.evaluate(read);
}

function countExtra(page) {
  const seen = { n: 0 };
  page.on('request', (r) => { if (r.url().endsWith(EXTRA)) seen.n++; });
  return seen;
}

test('a reply needs only the first module; an attachment, then `ready`, fetch the second once', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  const extra = countExtra(page);
  const api = { n: 0 };
  page.on('request', (r) => { if (r.url().endsWith('/pkg/api.js')) api.n++; });
  const { shown } = await chatThroughComposer(page, 'hello');
  assert.ok(shown.length > 0);
  assert.equal(extra.n, 0, 'a reply fetched the second module');
  assert.equal(api.n, 0, "a reply fetched the JS API's code");
  // The JS API's own code is in the second module: used before `ready`, it says so.
  const early = await page.evaluate(async () => {
    const { renderMarkdown } = await import('/pkg/index.js');
    try { renderMarkdown('x'); return null; } catch (e) { return { name: e.name, kind: e.kind, message: e.message }; }
  });
  assert.deepEqual(early, { name: 'ChatError', kind: 'config', message: 'rill-chat is not ready: `await ready` before using the JS API' });

  await page.locator('#chat input[type=file]').setInputFiles(sunset);
  await page.locator('#chat .previews .attachment img').waitFor();
  assert.equal(extra.n, 1, 'the first attachment fetched the second module');
  const html = await page.evaluate(async () => {
    const { renderMarkdown, ready } = await import('/pkg/index.js');
    await ready;
    return renderMarkdown('**hi**');
  });
  assert.equal(html, '<p><strong>hi</strong></p>\n');
  assert.equal(extra.n, 1, 'fetched once');
  assert.equal(api.n, 1, "`ready` fetched the JS API's code");
  assert.deepEqual(problems, []);
});

test('a stored conversation and a Messages endpoint load the second module; without it, errors say why', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  await chatThroughComposer(page, 'remember this');
  // Back with a conversation in storage (the demo chat has persist="session"): drawn again.
  const extra = countExtra(page);
  await page.reload();
  await page.locator('#chat .msg.user').first().waitFor();
  assert.equal(await page.locator('#chat .msg.user .user-text').first().textContent(), 'remember this');
  assert.equal(extra.n, 1, 'restoring fetched the second module');

  // A page whose second module cannot be fetched: the element reports it, nothing hangs.
  await reloadWithoutExtra(page);
  await page.locator('#chat input[type=file]').setInputFiles(sunset);
  await page.waitForFunction(() => document.querySelector('#chat').shadowRoot.querySelector('.note').textContent !== '');
  assert.match(await page.locator('#chat .note').textContent(), /could not load a part of itself \(rill_chat_extra\.wasm\)/);
  const err = await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    el.endpoint = '/v1/messages';
    el.model = 'claude-3-7-sonnet-20250219';
    try { await el.send('hi'); return null; } catch (e) { return { kind: e.kind, message: e.message }; }
  });
  assert.equal(err.kind, 'network');
  assert.match(err.message, /could not load a part of itself \(rill_chat_extra\.wasm\)/);
  // An HTTP error is still one, with its status (the provider's explanation is read by the
  // second module).
  const http = await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    el.endpoint = '/v1/chat/completions';
    el.model = 'gpt-4o';
    el.headers = { 'x-rill-fault': 'http-429-openai' };
    el.retries = 0;
    try { await el.send('hi'); return null; } catch (e) { return { kind: e.kind, status: e.status, message: e.message }; }
  });
  assert.deepEqual(http, { kind: 'http', status: 429, message: 'HTTP 429 Too Many Requests' });
  // `ready` rejects while the file cannot be fetched, and tries again next time.
  const failed = await page.evaluate(async () => {
    const { ready } = await import('/pkg/index.js');
    try { await ready; return null; } catch (e) { return e.kind; }
  });
  assert.equal(failed, 'network');
  await page.unroute(`**/${EXTRA}`);
  const html = await page.evaluate(async () => {
    const { ready, renderMarkdown } = await import('/pkg/index.js');
    await ready;
    return renderMarkdown('*x*');
  });
  assert.equal(html, '<p><em>x</em></p>\n');
  assert.ok(problems.every((p) => /rill_chat_extra|Failed to load resource/.test(p)), problems.join('\n'));
});

test('reasoning and tool cards wait for the second module, in order; without it the answer still shows', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  const extra = countExtra(page);
  const send = () => scriptedSend(page, { reasoning: 'Let me think about **this** carefully.', text: 'The answer is 42.' }, (b) => {
    const panel = b.querySelector('details.reasoning');
    const order = [...b.querySelectorAll('details.reasoning, .body p')].map((n) => n.localName);
    // The second module brings its stylesheet: the panel's text has its rule at the side.
    const rule = panel ? getComputedStyle(panel.querySelector('.reasoning-text')).borderInlineStartWidth : null;
    return { reasoning: panel?.querySelector('.reasoning-text')?.textContent ?? null, answer: b.querySelector('.body p')?.textContent, order, rule };
  });
  const got = await send();
  assert.equal(got.reasoning, 'Let me think about **this** carefully.');
  assert.equal(got.answer, 'The answer is 42.');
  assert.deepEqual(got.order, ['details', 'p'], 'the panel is drawn before the answer, as it arrived');
  assert.equal(got.rule, '2px', 'styles-extra.css is adopted');
  assert.equal(extra.n, 1, 'the first reasoning delta fetched the second module');
  assert.deepEqual(problems, []);

  // Without the second module: the answer shows, the reasoning panel does not, nothing hangs.
  await reloadWithoutExtra(page);
  const blocked = await send();
  assert.equal(blocked.answer, 'The answer is 42.');
  assert.equal(blocked.reasoning, null);
});

test('markdown models rarely write (references, <…> links, titles, definitions) waits for the second module; without it, it shows as text', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  const extra = countExtra(page);
  const text = 'Fish &amp; chips &copy; 2026, see <https://example.com/a>, [docs](/d "The docs") and [ref].\n\n'
    + '[ref]: https://example.com/r\n\nR&D, a < b and x & y; stay as written.';
  const send = () => scriptedSend(page, { text }, (b) => ({
    ps: [...b.querySelectorAll('.body p')].map((p) => p.textContent),
    links: [...b.querySelectorAll('.body a')].map((a) => [a.getAttribute('href'), a.getAttribute('title')]),
  }));
  const got = await send();
  assert.deepEqual(got.ps, ['Fish & chips © 2026, see https://example.com/a, docs and ref.', 'R&D, a < b and x & y; stay as written.']);
  assert.deepEqual(got.links, [['https://example.com/a', null], ['/d', 'The docs'], ['https://example.com/r', null]]);
  assert.equal(extra.n, 1, 'the first reference fetched the second module');
  assert.deepEqual(problems, []);

  // Without it: the reply still ends, its text as written.
  await reloadWithoutExtra(page);
  const blocked = await send();
  assert.equal(blocked.ps[0], 'Fish &amp; chips &copy; 2026, see <https://example.com/a>, [docs](/d "The docs") and [ref].');
});

test('tools and thinking are read by the second module: it is fetched before the first request; without it the send says why', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  const order = [];
  page.on('request', (r) => {
    const { pathname } = new URL(r.url());
    if (pathname.endsWith(EXTRA)) order.push('extra');
    if (pathname.endsWith('/chat/completions')) order.push('request');
  });
  const bodies = [];
  page.on('request', (r) => { if (r.url().endsWith('/chat/completions')) bodies.push(JSON.parse(r.postData())); });
  const got = await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    const calls = [];
    el.model = 'gpt-4o';
    el.tools = [{ name: 'get_time', description: 'The time now', parameters: { type: 'object', properties: {} }, handler: (args) => { calls.push(args); return '12:00'; } }];
    el.toolChoice = 'auto';
    const reply = await el.send('what time is it?');
    return { text: reply.text, calls: calls.length, cards: el.shadowRoot.querySelectorAll('.msg.assistant .tool').length };
  });
  assert.deepEqual(order.slice(0, 2), ['extra', 'request'], 'the second module came before the request');
  assert.equal(got.calls, 1, 'the handler ran');
  assert.ok(got.cards >= 1, 'a tool card was drawn');
  assert.ok(got.text.length > 0);
  assert.deepEqual(bodies[0].tools.map((x) => x.function.name), ['get_time']);
  assert.equal(bodies[0].tool_choice, 'auto');
  assert.ok(bodies.length >= 2, 'the tool result went back to the model');
  assert.deepEqual(problems, []);

  // Without the second module: a composer send with thinking on is refused and the page hears
  // why (`rill-error`); the text stays in the composer; nothing is requested.
  await reloadWithoutExtra(page);
  order.length = 0;
  const refused = await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    el.model = 'claude-3-7-sonnet-20250219';
    el.thinking = { budgetTokens: 2048 };
    const heard = new Promise((resolve) => el.addEventListener('rill-error', (e) => resolve({ kind: e.detail.kind, message: e.detail.message }), { once: true }));
    const input = el.shadowRoot.querySelector('textarea');
    input.value = 'think about it';
    el.shadowRoot.querySelector('button.send').click();
    const error = await heard;
    return { error, kept: input.value, sent: el.shadowRoot.querySelectorAll('.msg.user').length };
  });
  assert.equal(refused.error.kind, 'network');
  assert.match(refused.error.message, /rill_chat_extra\.wasm/);
  assert.equal(refused.kept, 'think about it');
  assert.equal(refused.sent, 0);
  assert.ok(!order.includes('request'), 'nothing was requested');
});

test("a wrong option's full message is written by the second module, which the element fetches first; without it the message is short", async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  const extra = countExtra(page);
  const send = () => page.evaluate(async () => {
    const el = document.querySelector('#chat');
    el.model = 'claude-sonnet-4';
    el.temperature = 1.5;
    return el.send('hello').then(() => null, (e) => ({ kind: e.kind, message: e.message }));
  });
  assert.deepEqual(await send(), { kind: 'config', message: "'temperature' must be between 0 and 1 for Claude models, got 1.5" });
  assert.equal(extra.n, 1, 'the second module was fetched for the message');
  assert.deepEqual(problems.filter((p) => !/temperature/.test(p)), []);

  await reloadWithoutExtra(page);
  assert.deepEqual(await send(), { kind: 'config', message: "'temperature' is out of range" });
});
