// The fault matrix's cases, shared by faults.test.mjs (Chromium: ChatClient and the element)
// and engines.test.mjs (the ChatClient matrix in every engine).
import assert from 'node:assert/strict';

export const STATUSES = [400, 401, 403, 404, 429, 500, 502, 503, 504, 529];

/** [name, fault spec, expected kind, { partial, status, options }] */
export const CASES = [
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

/** In the page: runs one case through `surface` ('client' or 'element'); resolves with what
 *  it saw, judged in Node by `judgeCase`. */
export async function runFaultCase({ surface, endpoint, c }) {
  const { ChatClient, ChatError, renderMarkdown, ready } = await import('/pkg/index.js');
  await ready; // renderMarkdown, below, is the JS API's
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
}

export function judgeCase(label, c, r) {
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

