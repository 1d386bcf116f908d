// The provider corpus (tests/fixtures/streams) through the browser: every stream served by the
// devserver over real HTTP and read by ChatClient.stream() and complete(), and its bytes fed
// to ReplyDecoder in network-sized reads (40–200 B); each must give the reply its .json
// expects. Then the element: a declined reply, a provider-run web search with citations, and
// the cost in the footer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startDevserver, launchChromium, watchProblems, root } from './helpers.mjs';

const dir = path.join(root, 'tests/fixtures/streams');
const corpus = fs.readdirSync(dir).filter((f) => f.endsWith('.sse')).sort().map((f) => {
  const name = f.slice(0, -4);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
  return { name, meta, body: fs.readFileSync(path.join(dir, f)).toString('base64') };
});

let server;
let browser;
let page;
let problems;

before(async () => {
  server = await startDevserver(['--no-delay']);
  browser = await launchChromium();
  page = await browser.newPage();
  problems = await watchProblems(page);
  await page.goto(server.url);
  await page.evaluate(async () => { window.rill = await import('/pkg/index.js'); await window.rill.ready; });
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** What a page ends with after reading every event of a stream, the way the docs say to. */
const readInPage = ({ name, format, body }) => page.evaluate(async ({ name, format, body }) => {
  const endpoint = format === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
  const client = new rill.ChatClient({ endpoint, model: 'corpus', retries: 0, headers: { 'x-rill-fault': `fixture-${name}` } });
  const fold = (events) => {
    const r = { text: '', reasoning: '', refusal: null, calls: new Map(), servers: new Map(), citations: [], usage: null, finish: null };
    for (const ev of events) {
      if (ev.type === 'text') r.text += ev.delta;
      else if (ev.type === 'reasoning') r.reasoning += ev.delta;
      else if (ev.type === 'refusal') r.refusal = (r.refusal ?? '') + ev.delta;
      else if (ev.type === 'toolCall') {
        const c = r.calls.get(ev.index) ?? { id: '', name: '', arguments: '' };
        if (ev.id) c.id = ev.id;
        if (ev.name) c.name = ev.name;
        c.arguments += ev.argumentsDelta;
        r.calls.set(ev.index, c);
      } else if (ev.type === 'serverToolCall') {
        const c = r.servers.get(ev.index) ?? { name: '', input: '' };
        if (ev.name) c.name = ev.name;
        c.input += ev.inputDelta;
        r.servers.set(ev.index, c);
      } else if (ev.type === 'citation') r.citations.push(ev.citation);
      else if (ev.type === 'usage') r.usage = ev.usage;
      else if (ev.type === 'finish') r.finish = [ev.finishReason, ev.rawFinishReason];
    }
    return { ...r, calls: [...r.calls.values()], servers: [...r.servers.values()] };
  };
  const events = [];
  let streamError = null;
  try {
    for await (const ev of client.stream({ messages: [{ role: 'user', content: 'hi' }] })) events.push(ev);
  } catch (e) {
    streamError = { kind: e.kind, message: e.message, partialText: e.partial?.text ?? '', isError: e instanceof rill.ChatError };
  }
  let reply = null;
  let completeError = null;
  try {
    reply = await client.complete({ messages: [{ role: 'user', content: 'hi' }] });
  } catch (e) {
    completeError = { kind: e.kind, message: e.message };
  }
  // The same bytes through ReplyDecoder, in the read sizes a streaming network delivers.
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  const decoder = new rill.ReplyDecoder(format);
  const decoded = [];
  let decoderError = null;
  let seed = 7;
  try {
    for (let at = 0; at < bytes.length;) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const n = 40 + (seed % 161);
      decoded.push(...decoder.feed(bytes.subarray(at, at + n)));
      at += n;
    }
    decoder.end();
  } catch (e) {
    decoderError = { kind: e.kind, message: e.message };
  }
  return { streamed: fold(events), streamError, reply, completeError, decoded: fold(decoded), decoderError, types: events.map((e) => e.type) };
}, { name, format, body });

for (const { name, meta, body } of corpus) {
  test(`${meta.provider}: ${name}`, async () => {
    const want = meta.expected;
    const out = await readInPage({ name, format: meta.format, body });
    for (const [label, got, err] of [['stream()', out.streamed, out.streamError], ['ReplyDecoder', out.decoded, out.decoderError]]) {
      assert.equal(got.text, want.text, `${label}: text`);
      assert.equal(got.reasoning, want.reasoning, `${label}: reasoning`);
      assert.equal(got.refusal === null ? null : got.refusal, want.refusal && want.refusal.length ? want.refusal : null, `${label}: refusal deltas`);
      assert.deepEqual(got.calls.map((c) => [c.id, c.name, c.arguments]), want.tool_calls.map((c) => [c.id, c.name, c.arguments]), `${label}: tool calls`);
      assert.deepEqual(got.servers.map((c) => [c.name, c.input]), want.server_tools.map((c) => [c.name, c.input]), `${label}: server tools`);
      assert.deepEqual(got.citations.map((c) => [c.url, c.title]), want.citations.map((c) => [c.url, c.title]), `${label}: citations`);
      if (want.error) {
        assert.ok(err, `${label}: an error`);
        assert.equal(err.kind, 'stream', `${label}: kind`);
        assert.equal(err.message, want.error.message, `${label}: message`);
      } else {
        assert.equal(err, null, `${label}: no error`);
        assert.deepEqual(got.finish, [want.finish_reason, want.raw_finish_reason], `${label}: finish`);
      }
      const u = want.usage;
      if (u) {
        // The last usage event is the reply's whole usage (the AI/ML API's trailing null
        // usage and cost chunk must not leave outputTokens null).
        assert.equal(got.usage?.inputTokens ?? null, u.input ?? null, `${label}: inputTokens`);
        assert.equal(got.usage?.outputTokens ?? null, u.output ?? null, `${label}: outputTokens`);
        assert.equal(got.usage?.cost, u.cost, `${label}: cost`);
        assert.equal(got.usage?.credits, u.credits, `${label}: credits`);
      } else {
        assert.equal(got.usage, null, `${label}: no usage`);
      }
    }
    if (want.error) {
      assert.equal(out.streamError.isError, true, 'a ChatError instanceof Error');
      assert.equal(out.streamError.partialText, want.text, 'the partial reply is kept');
      assert.deepEqual(out.completeError, { kind: 'stream', message: want.error.message });
    } else {
      const r = out.reply;
      assert.equal(r.text, want.text);
      assert.equal(r.reasoning, want.reasoning);
      assert.equal(r.refusal, want.refusal);
      assert.deepEqual(r.toolCalls.map((c) => [c.id, c.name, c.arguments]), want.tool_calls.map((c) => [c.id, c.name, c.arguments]));
      assert.deepEqual(r.serverTools.map((t) => [t.name, t.input, t.result?.resultCount ?? null, t.result?.error ?? null]),
        want.server_tools.map((t) => [t.name, t.input, t.result_count, t.error]));
      assert.deepEqual([r.finishReason, r.rawFinishReason], [want.finish_reason, want.raw_finish_reason]);
      assert.equal(r.usage?.outputTokens ?? null, want.usage?.output ?? null, 'complete(): outputTokens');
      assert.equal(r.usage?.cost, want.usage?.cost, 'complete(): cost');
    }
    assert.equal(out.types[0] ?? 'start', 'start');
    assert.deepEqual(problems, []);
  });
}

/** A fresh <rill-chat> on the page pointed at one corpus fixture; resolves with what it shows. */
const elementShows = (name, format, extra = {}) => page.evaluate(async ({ name, format, extra }) => {
  document.querySelector('#corpus-chat')?.remove();
  const el = document.createElement('rill-chat');
  el.id = 'corpus-chat';
  el.setAttribute('endpoint', format === 'anthropic' ? '/v1/messages' : '/v1/chat/completions');
  el.setAttribute('model', 'corpus');
  el.headers = { 'x-rill-fault': `fixture-${name}` };
  el.retries = 0;
  const handled = [];
  if (extra.handler) el.tools = [{ name: extra.handler, handler: (args) => { handled.push(args); return 'should not run'; } }];
  document.body.append(el);
  const errors = [];
  el.addEventListener('rill-error', (e) => errors.push(e.detail.message));
  const reply = await el.send('hi');
  const root = el.shadowRoot;
  const bubble = [...root.querySelectorAll('.msg.assistant')].at(-1);
  const text = (sel) => bubble.querySelector(sel)?.textContent ?? null;
  return {
    reply,
    errors,
    handled,
    declined: bubble.classList.contains('declined'),
    body: text('.body'),
    paragraphs: bubble.querySelectorAll('.body p').length,
    marker: text('.marker-text'),
    banner: text('.error'),
    numbers: text('.numbers'),
    cards: [...bubble.querySelectorAll('details.tool')].map((c) => ({
      kind: c.dataset.kind ?? 'client', state: c.dataset.state, name: c.querySelector('.tool-name').textContent,
      about: c.querySelector('.tool-about').textContent, status: c.querySelector('.tool-status').textContent,
      links: [...c.querySelectorAll('.tool-sources a')].map((a) => [a.textContent, a.getAttribute('href'), a.rel]),
    })),
    citations: [...bubble.querySelectorAll('.citations a')].map((a) => [a.textContent, a.getAttribute('href'), a.target]),
    sourcesLabel: text('.citations-label'),
  };
}, { name, format, extra });

test('element: an OpenAI refusal shows its text with a Declined marker, not an empty bubble or an error', async () => {
  const out = await elementShows('openai-refusal', 'openai');
  assert.equal(out.reply.refusal, "I'm sorry, I can't assist with that request.");
  assert.equal(out.declined, true);
  assert.equal(out.body, "I'm sorry, I can't assist with that request.");
  assert.equal(out.marker, 'Declined');
  assert.equal(out.banner, null);
  assert.deepEqual(out.errors, []);
  assert.deepEqual(problems, []);
});

test('element: an Anthropic refusal keeps what arrived and is marked declined', async () => {
  const out = await elementShows('anthropic-streaming-refusal', 'anthropic');
  assert.equal(out.reply.refusal, '');
  assert.equal(out.reply.finishReason, 'content_filter');
  assert.equal(out.body, 'Sure, the first step');
  assert.equal(out.marker, 'Declined');
  assert.equal(out.banner, null);
});

test('element: a provider-run web search is a card of its own, its citations links under the text', async () => {
  const out = await elementShows('anthropic-web-search-citations', 'anthropic', { handler: 'web_search' });
  assert.deepEqual(out.handled, [], 'no page handler runs for a server tool');
  assert.equal(out.reply.toolCalls.length, 0);
  assert.deepEqual(out.cards, [{
    kind: 'server', state: 'done', name: 'Web search', about: 'weather NYC today', status: '2 results',
    links: [
      ['New York, NY Weather Forecast', 'https://weather.com/weather/today/l/New+York+NY', 'noopener noreferrer nofollow'],
      ['NWS New York, NY', 'https://forecast.weather.gov/MapClick.php?CityName=New+York', 'noopener noreferrer nofollow'],
    ],
  }]);
  assert.equal(out.sourcesLabel, 'Sources');
  assert.deepEqual(out.citations, [
    ['New York, NY Weather Forecast', 'https://weather.com/weather/today/l/New+York+NY', '_blank'],
    ['NWS New York, NY', 'https://forecast.weather.gov/MapClick.php?CityName=New+York', '_blank'],
  ]);
  // The text after the search is a paragraph of its own, as after a page tool.
  assert.match(out.body, /^I'll check the forecast\.It is mostly sunny/, 'textContent joins the paragraphs');
  assert.equal(out.paragraphs, 2, 'two paragraphs: before and after the search');
});

test('element: a failed web search says why', async () => {
  const out = await elementShows('anthropic-web-search-error', 'anthropic');
  assert.equal(out.cards[0].state, 'failed');
  assert.equal(out.cards[0].status, 'failed: max_uses_exceeded');
  assert.equal(out.cards[0].about, 'latest rust release');
});

test('element: the AI/ML API cost shows in the footer with the real token count', async () => {
  const out = await elementShows('aimlapi-claude-usage-then-meta', 'openai');
  assert.match(out.numbers, /^116 tokens · /);
  assert.match(out.numbers, / · \$0\.00124$/);
  assert.equal(out.reply.usage.cost, 0.00124);
  assert.equal(out.reply.usage.credits, 2480);
  assert.deepEqual(problems, []);
});
