// The XSS corpus (xss-corpus.mjs) streamed through <rill-chat> from the devserver's `script`
// fault, in every place model-controlled text reaches the page: the reply's markdown, reasoning,
// tool names, tool arguments and results, in-stream and HTTP error messages, and history loaded
// from storage. Pass = the canary never fires, and no node the element ever inserted (watched
// by a MutationObserver while streaming, then the final tree) has an on* attribute, a URL
// outside the allowlist, or an element that can run or load code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, plainTextCorpus } from './xss-corpus.mjs';
import { startDevserver, launchChromium, watchProblems } from './helpers.mjs';
import { installCanary, createHostileElement, sendScripts, readVerdict, judgeVerdict } from './xss-harness.mjs';

/** A page on the devserver with one bare element asking the `script` fault for its replies. */
async function open(t, { endpoint = '/v1/chat/completions', persist = 'none' } = {}) {
  const server = await startDevserver(['--no-delay']);
  t.after(server.stop);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  const problems = await watchProblems(page);
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.addInitScript(installCanary);
  await page.goto(server.url);
  await page.waitForFunction(() => customElements.get('rill-chat'));
  await page.evaluate(createHostileElement, { endpoint, persist });
  return { server, page, problems };
}

/** Sends each script as one turn; resolves with the banners of the turns that failed. */
const sendAll = (page, scripts) => page.evaluate(sendScripts, scripts);

async function verdict(page, problems, label) {
  judgeVerdict(await page.evaluate(readVerdict), label);
  assert.deepEqual(problems.filter((p) => !p.includes('Failed to load resource')), [], label);
}

test('the canary and the checker can fail: a planted handler and URL are caught', async (t) => {
  const { page } = await open(t);
  await page.evaluate(async () => {
    const d = document.createElement('div');
    d.innerHTML = '<img src=x onerror=__pwn()><a href="javascript:void 0">x</a>'
      + '<math><mi href="https://example.com">x</mi><maction actiontype="statusline"><mi>y</mi></maction></math>';
    document.getElementById('x').shadowRoot.querySelector('.log').append(d);
    await new Promise((r) => setTimeout(r, 200));
  });
  const r = await page.evaluate(() => ({ pwned: window.__pwned, during: window.__violations, after: window.__checkTree('control') }));
  assert.equal(r.pwned, 1, 'an injected onerror runs on this page (no CSP hides a failure)');
  for (const found of [r.during, r.after]) {
    assert.ok(found.some((v) => v.startsWith('onerror')) && found.some((v) => v.startsWith('href=javascript')), found.join('\n'));
    // MathML outside what the converter writes: an attribute and an element it never emits.
    assert.ok(found.some((v) => v.startsWith('href on <mi> (MathML)')) && found.some((v) => v.startsWith('<maction> (MathML)')), found.join('\n'));
  }
});

test(`${corpus.length} hostile replies streamed as markdown (chat completions)`, async (t) => {
  assert.ok(corpus.length >= 100);
  const { page, problems } = await open(t);
  const { errors } = await sendAll(page, corpus.map(([, text]) => ({ text })));
  assert.deepEqual(errors, []);
  await verdict(page, problems, 'markdown replies');
  // The text is shown, not dropped: a hostile image's alt text and a dropped link's words remain.
  await page.evaluate(() => document.getElementById('x').send(JSON.stringify({ text: 'Click [here](javascript:__pwn()) now.' })));
  const last = await page.evaluate(() => [...document.getElementById('x').shadowRoot.querySelectorAll('.msg.assistant .body')].at(-1).textContent);
  assert.match(last, /Click .*here.* now\./);
});

test('the same corpus through renderMarkdown, parsed inert', async (t) => {
  const { page, problems } = await open(t);
  const found = await page.evaluate(async (cases) => {
    const { renderMarkdown, ready } = await import('/pkg/index.js');
    await ready;
    const doc = document.implementation.createHTMLDocument('');
    const out = [];
    for (const [name, text] of cases) {
      const box = doc.createElement('div');
      box.innerHTML = renderMarkdown(text);
      for (const el of box.querySelectorAll('*')) {
        for (const a of el.attributes) {
          if (a.name.startsWith('on')) out.push(`${name}: ${a.name}`);
          if (!['href', 'src'].includes(a.name)) continue;
          const scheme = new URL(a.value, location.href).protocol;
          const ok = ['http:', 'https:', 'mailto:'].includes(scheme) || (a.name === 'src' && /^data:image\/(png|jpeg|gif|webp)[;,]/i.test(a.value));
          if (!ok) out.push(`${name}: ${a.name}=${a.value}`);
        }
        if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'form'].includes(el.localName)) out.push(`${name}: <${el.localName}>`);
      }
    }
    return out;
  }, corpus);
  assert.deepEqual(found, []);
  assert.deepEqual(problems, []);
});

test('hostile reasoning, tool names, arguments and results (Messages API)', async (t) => {
  const { page, problems } = await open(t, { endpoint: '/v1/messages' });
  const scripts = [
    ...plainTextCorpus.map(([, text]) => ({ reasoning: text, text: 'ok' })),
    ...plainTextCorpus.map(([, text]) => ({ text: 'calling', tool: { name: text, arguments: JSON.stringify({ q: text }) } })),
    ...plainTextCorpus.slice(0, 10).map(([, text]) => ({ tool: { name: 'get_time', arguments: text } })),
  ];
  await sendAll(page, scripts);
  const cards = await page.evaluate(() => document.getElementById('x').shadowRoot.querySelectorAll('details.tool').length);
  assert.ok(cards > 0, 'tool cards were drawn');
  await verdict(page, problems, 'reasoning and tools');
});

test('hostile error messages, in the stream and in HTTP error bodies', async (t) => {
  for (const endpoint of ['/v1/chat/completions', '/v1/messages']) {
    const { page, problems } = await open(t, { endpoint });
    const { errors } = await sendAll(page, [
      ...plainTextCorpus.map(([, text]) => ({ text: 'before the error', error: text })),
      ...plainTextCorpus.map(([, text]) => ({ status: 400, error: text })),
    ]);
    const messages = plainTextCorpus.map(([, text]) => text);
    assert.equal(errors.length, 2 * messages.length, 'every script failed');
    errors.forEach((shown, i) => {
      const message = messages[i % messages.length].replace(/\s+/g, ' ').trim();
      assert.ok(shown.replace(/\s+/g, ' ').includes(message.slice(0, 40)), `shown as text: ${shown} ⟂ ${message}`);
    });
    await verdict(page, problems, `errors on ${endpoint}`);
  }
});

test('hostile history loaded from storage', async (t) => {
  const { page, problems } = await open(t, { persist: 'session' });
  await page.evaluate((cases) => {
    const messages = [];
    for (const [, text] of cases) {
      messages.push({ role: 'user', content: text });
      messages.push({ role: 'assistant', content: text });
    }
    messages.push({ role: 'user', content: [{ type: 'text', text: 'img' }, { type: 'image_url', image_url: { url: 'javascript:__pwn()' } }] });
    messages.push({ role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: '<img src=x onerror=__pwn()>', arguments: '<svg onload=__pwn()>' } }] });
    messages.push({ role: 'tool', tool_call_id: 'c1', content: '<script>__pwn()</script>' });
    sessionStorage.setItem('rill-chat:x', JSON.stringify({ v: 1, messages }));
  }, corpus);
  await page.reload();
  await page.waitForFunction(() => customElements.get('rill-chat'));
  await page.evaluate(() => {
    document.querySelectorAll('rill-chat').forEach((e) => e.remove());
    const el = document.createElement('rill-chat');
    el.id = 'x';
    el.setAttribute('persist', 'session');
    document.body.append(el);
  });
  await page.waitForFunction(() => document.getElementById('x').shadowRoot?.querySelector('.frame'));
  // A long history opens at its newest turns; the reader scrolls up to draw the rest.
  const shown = await page.evaluate(async () => {
    const root = document.getElementById('x').shadowRoot;
    const log = root.querySelector('.log');
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let same = 0, last = -1; same < 3;) {
      log.scrollTop = 0;
      await frame();
      const n = root.querySelectorAll('.msg').length;
      same = n === last ? same + 1 : 0;
      last = n;
    }
    return root.querySelectorAll('.msg').length;
  });
  assert.ok(shown >= 2 * corpus.length + 2, `all the history drawn (${shown} messages shown)`);
  await verdict(page, problems, 'stored history');
});
