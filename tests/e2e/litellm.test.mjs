// Interop with LiteLLM, an OpenAI- and Anthropic-compatible proxy nobody here wrote, run from
// the cached virtualenv (scripts/litellm-venv.sh) on loopback, offline: its price map is the
// local copy and any request to the outside goes to a dead proxy. Through ChatClient and
// through <rill-chat>, in both formats: streamed text, usage, a 429, an in-stream error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startDevserver, launchChromium, freePort, watchedPage } from './helpers.mjs';

const KEY = 'sk-local-test-key';
const MOCK_TEXT = 'Hello from the **LiteLLM** mock! This text streams in small chunks.';
const litellmBin = path.join(root, 'target/litellm-venv/bin/litellm');

/** The proxy's models: canned replies, a rate limit, the Anthropic route back into itself, and
 *  the devserver as an upstream that fails mid-stream (LiteLLM then sends its own error). */
function config(port, devserver) {
  const entry = (name, params) => `  - model_name: ${name}\n    litellm_params:\n${Object.entries(params).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`).join('\n')}\n`;
  return `model_list:\n${[
    entry('mock-claude', { model: 'openai/mock-claude', api_key: 'sk-not-used', mock_response: MOCK_TEXT }),
    entry('mock-rate-limit', { model: 'openai/mock-rate-limit', api_key: 'sk-not-used', mock_response: 'litellm.RateLimitError' }),
    // /v1/messages ignores `stream` for mock_response models; through the loopback it streams.
    entry('claude-via-loopback', { model: 'hosted_vllm/mock-claude', api_base: `http://127.0.0.1:${port}/v1`, api_key: KEY }),
    entry('upstream-stream-error', { model: 'hosted_vllm/rill-fault/stream-error', api_base: `${devserver}v1`, api_key: 'sk-not-used' }),
  ].join('')}general_settings:\n  master_key: ${KEY}\n`;
}

let devserver, proxyUrl, litellm, browser, page, problems, logTail = '';

before(async () => {
  assert.ok(fs.existsSync(litellmBin), `LiteLLM is not installed: run scripts/litellm-venv.sh (make test does)`);
  devserver = await startDevserver(['--no-delay']);
  const port = await freePort();
  proxyUrl = `http://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rill-litellm-'));
  fs.writeFileSync(path.join(dir, 'config.yaml'), config(port, devserver.url));
  litellm = spawn(litellmBin, ['--config', 'config.yaml', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LITELLM_LOCAL_MODEL_COST_MAP: 'True',
      HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost',
      http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', no_proxy: '127.0.0.1,localhost',
    },
  });
  const keep = (c) => { logTail = (logTail + c).slice(-4000); };
  litellm.stdout.on('data', keep);
  litellm.stderr.on('data', keep);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (litellm.exitCode !== null) throw new Error(`LiteLLM exited (${litellm.exitCode}):\n${logTail}`);
    const ok = await fetch(`${proxyUrl}/health/liveliness`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`LiteLLM not ready after 120 s:\n${logTail}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await launchChromium();
  ({ page, problems } = await watchedPage(browser, devserver.url));
}, { timeout: 150_000 });

after(async () => {
  await browser?.close();
  devserver?.stop();
  if (litellm && litellm.exitCode === null) process.kill(-litellm.pid, 'SIGTERM');
});

const formats = [
  { name: 'chat completions', provider: 'openai', path: '/v1/chat/completions', model: 'mock-claude' },
  { name: 'Messages', provider: 'anthropic', path: '/v1/messages', model: 'claude-via-loopback' },
];

for (const f of formats) {
  test(`ChatClient through LiteLLM (${f.name}): text, usage, 429, in-stream error`, async () => {
    const r = await page.evaluate(async ({ f, proxyUrl, KEY }) => {
      const { ChatClient } = await import('/pkg/index.js');
      const client = (model) => new ChatClient({ endpoint: proxyUrl + f.path, provider: f.provider, apiKey: KEY, model, retries: 0, maxTokens: 256 });
      const messages = [{ role: 'user', content: 'Hi' }];
      const events = [];
      for await (const ev of client(f.model).stream({ messages })) events.push(ev);
      const fail = (model) => client(model).complete({ messages }).then(() => null,
        (e) => ({ kind: e.kind, status: e.status, message: e.message, retryAfterMs: e.retryAfterMs, partial: e.partial?.text ?? '' }));
      return { events, rateLimited: await fail('mock-rate-limit'), broken: await fail('upstream-stream-error') };
    }, { f, proxyUrl, KEY });
    const text = r.events.filter((e) => e.type === 'text').map((e) => e.delta).join('');
    assert.equal(text, MOCK_TEXT);
    // (How many text events there are depends on how the bytes were read: a chunk's deltas
    // are merged into one event, so only the order is checked.)
    const kinds = r.events.map((e) => e.type);
    assert.ok(kinds.indexOf('start') < kinds.indexOf('text') && kinds.lastIndexOf('text') < kinds.indexOf('finish'), kinds.join(' '));
    const usage = r.events.findLast((e) => e.type === 'usage')?.usage;
    assert.ok(usage && usage.outputTokens > 0 && usage.inputTokens > 0 && usage.totalTokens === usage.inputTokens + usage.outputTokens, `usage: ${JSON.stringify(usage)}`);
    assert.equal(r.events.find((e) => e.type === 'finish')?.finishReason, 'stop');

    assert.equal(r.rateLimited?.kind, 'http');
    assert.equal(r.rateLimited.status, 429);
    assert.match(r.rateLimited.message, /rate limit/i);

    assert.equal(r.broken?.kind, 'stream', JSON.stringify(r.broken));
    assert.match(r.broken.message, /Overloaded/);
    assert.ok(r.broken.partial.length > 0, 'what arrived before the error is kept');
  });

  test(`<rill-chat> through LiteLLM (${f.name}): text, usage, 429, in-stream error, then usable`, async () => {
    const r = await page.evaluate(async ({ f, proxyUrl, KEY }) => {
      document.querySelectorAll('rill-chat').forEach((e) => e.remove());
      const el = document.createElement('rill-chat');
      el.setAttribute('endpoint', proxyUrl + f.path);
      el.setAttribute('provider', f.provider);
      el.setAttribute('model', f.model);
      el.apiKey = KEY;
      el.retries = 0;
      el.maxTokens = 256;
      document.body.append(el);
      await new Promise((r) => { const wait = () => (el.shadowRoot?.querySelector('.frame') ? r() : setTimeout(wait, 10)); wait(); });
      const usages = [];
      el.addEventListener('rill-usage', (e) => usages.push(e.detail));
      const last = () => [...el.shadowRoot.querySelectorAll('.msg.assistant')].at(-1);
      const turn = async (model) => {
        el.setAttribute('model', model);
        const error = await el.send('Hi').then(() => null, (e) => ({ kind: e.kind, status: e.status, message: e.message }));
        const out = { error, body: last().querySelector('.body').textContent, banner: last().querySelector('.error')?.textContent ?? '' };
        el.clear();
        return out;
      };
      const ok = await turn(f.model);
      const rateLimited = await turn('mock-rate-limit');
      const broken = await turn('upstream-stream-error');
      const again = await turn(f.model);
      return { ok, rateLimited, broken, again, usages, busy: el.shadowRoot.querySelectorAll('[aria-busy="true"]').length };
    }, { f, proxyUrl, KEY });
    const plain = MOCK_TEXT.replaceAll('**', '');
    assert.equal(r.ok.error, null);
    assert.equal(r.ok.body.trim(), plain, 'the markdown reply, rendered');
    assert.ok(r.usages.length >= 1 && r.usages.every((u) => u.outputTokens > 0 && u.inputTokens > 0), `rill-usage: ${JSON.stringify(r.usages)}`);
    assert.equal(r.rateLimited.error?.status, 429);
    assert.match(r.rateLimited.banner, /rate limit/i);
    assert.equal(r.broken.error?.kind, 'stream');
    assert.match(r.broken.banner, /Overloaded/);
    assert.ok(r.broken.body.length > 0, 'the partial reply stays on screen');
    assert.equal(r.again.error, null, 'usable after the failures');
    assert.equal(r.again.body.trim(), plain);
    assert.equal(r.busy, 0);
  });
}

test('no uncaught exception, unhandled rejection or console error in the page', async () => {
  assert.deepEqual(await page.evaluate(() => window.__rejections), []);
  assert.deepEqual(problems, []);
});
