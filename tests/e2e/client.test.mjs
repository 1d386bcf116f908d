// The JS API in Chromium, as a page uses it: ChatClient.stream() as an async iterator
// (batches flattened, break aborts), complete() with a tool handler, ChatError.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchChromium, watchProblems } from './helpers.mjs';

let server;
let browser;
let page;
let problems;

before(async () => {
  server = await startDevserver(['--ttft-ms', '20', '--tps', '2000']);
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

test('stream() yields every event in order and the deltas add up to the reply', async () => {
  const out = await page.evaluate(async () => {
    const client = new rill.ChatClient({ endpoint: '/v1/chat/completions', model: 'gpt-4o', maxTokens: 300 });
    const types = [];
    let text = '';
    for await (const ev of client.stream({ messages: [{ role: 'user', content: 'hello' }] })) {
      types.push(ev.type);
      if (ev.type === 'text') text += ev.delta;
      if (ev.type === 'usage') var usage = ev.usage;
    }
    const reply = await client.complete({ messages: [{ role: 'user', content: 'hello' }] });
    return { types, text, usage, replyText: reply.text, tps: reply.metrics.tokensPerSecond };
  });
  assert.equal(out.types[0], 'start');
  assert.equal(out.types.at(-1), 'metrics');
  assert.ok(out.types.includes('finish') && out.types.includes('usage'));
  assert.ok(out.types.filter((t) => t === 'text').length > 50);
  assert.equal(out.text, out.replyText);
  assert.ok(out.usage.outputTokens > 50 && out.tps > 0);
});

test('breaking out of the loop aborts the request', async () => {
  const out = await page.evaluate(async () => {
    // Watch the request the wasm makes through the global fetch.
    const requests = [];
    const realFetch = window.fetch;
    window.fetch = (req, init) => { requests.push(req); return realFetch(req, init); };
    try {
      const client = new rill.ChatClient({ endpoint: '/v1/chat/completions', model: 'gpt-4o', headers: { 'x-rill-pace': 'ttft=0,tps=20' } });
      let n = 0;
      for await (const ev of client.stream({ messages: [{ role: 'user', content: 'hello' }] })) {
        if (ev.type === 'text' && ++n === 5) break;
      }
      return { n, requests: requests.length, aborted: requests[0].signal.aborted };
    } finally {
      window.fetch = realFetch;
    }
  });
  assert.deepEqual(out, { n: 5, requests: 1, aborted: true });
});

test('an AbortSignal stops the stream with an aborted ChatError holding the partial', async () => {
  const out = await page.evaluate(async () => {
    const client = new rill.ChatClient({ endpoint: '/v1/messages', model: 'claude-sonnet-4', headers: { 'x-rill-pace': 'ttft=0,tps=200' } });
    const controller = new AbortController();
    let seen = '';
    try {
      for await (const ev of client.stream({ messages: [{ role: 'user', content: 'hello' }], signal: controller.signal })) {
        if (ev.type === 'text') { seen += ev.delta; if (seen.length > 40) controller.abort(); }
      }
      return { ok: true };
    } catch (e) {
      return { isChatError: e instanceof rill.ChatError, isError: e instanceof Error, kind: e.kind, partial: e.partial?.text, seen };
    }
  });
  assert.equal(out.isChatError, true);
  assert.equal(out.isError, true);
  assert.equal(out.kind, 'aborted');
  assert.ok(out.partial.startsWith(out.seen.slice(0, 40)));
});

test('complete() runs a JS tool handler and returns the turns to keep', async () => {
  const out = await page.evaluate(async () => {
    const client = new rill.ChatClient({
      endpoint: '/v1/chat/completions', model: 'anthropic/claude-sonnet-4',
      tools: [{ name: 'get_time', description: 'Current time', parameters: { type: 'object', properties: { timezone: { type: 'string' } } },
        handler: async ({ timezone }) => ({ time: '09:30', timezone }) }],
    });
    const reply = await client.complete({ messages: [{ role: 'user', content: 'what time is it?' }] });
    return { text: reply.text, roles: reply.messages.map((m) => m.role), finish: reply.finishReason };
  });
  assert.match(out.text, /09:30/);
  assert.match(out.text, /UTC/);
  assert.deepEqual(out.roles, ['assistant', 'tool', 'assistant']);
  assert.equal(out.finish, 'stop');
});

test('invalid options throw a config ChatError at construction', async () => {
  const out = await page.evaluate(() => {
    try { new rill.ChatClient({ endpoint: '/v1/chat/completions', model: 'claude-3-5-sonnet-latest', temperature: 1.5 }); return null; } catch (e) {
      return { kind: e.kind, message: e.message, isChatError: e instanceof rill.ChatError };
    }
  });
  assert.deepEqual(out, { kind: 'config', message: "'temperature' must be between 0 and 1 for Claude models, got 1.5", isChatError: true });
  assert.deepEqual(problems, []);
});

test('ReplyDecoder turns a stream read by the page itself into the same events, split anywhere', async () => {
  const out = await page.evaluate(async () => {
    // The devserver's own stream, fetched by the page, then decoded in pieces of 7 bytes.
    const res = await fetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hello' }] }) });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const decoder = new rill.ReplyDecoder('openai');
    let text = '';
    const types = new Set();
    for (let i = 0; i < bytes.length; i += 7) {
      for (const ev of decoder.feed(bytes.subarray(i, i + 7))) {
        types.add(ev.type);
        if (ev.type === 'text') text += ev.delta;
      }
    }
    const reply = decoder.end();
    const cut = new rill.ReplyDecoder('openai');
    cut.feed(bytes.subarray(0, bytes.length >> 1));
    let incomplete = null;
    try { cut.end(); } catch (e) { incomplete = { kind: e.kind, partial: e.partial.text.length > 0 }; }
    let bad = null;
    try { new rill.ReplyDecoder('gemini'); } catch (e) { bad = e.kind; }
    return { text, same: reply.text === text, finish: reply.finishReason, types: [...types].sort(), incomplete, bad };
  });
  assert.match(out.text, /rill-chat demo model/);
  assert.ok(out.same);
  assert.equal(out.finish, 'stop');
  assert.deepEqual(out.types, ['finish', 'start', 'text']);
  assert.deepEqual(out.incomplete, { kind: 'incomplete', partial: true });
  assert.equal(out.bad, 'config');
});
