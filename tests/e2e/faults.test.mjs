// The fault matrix end to end: every devserver fault (plus a refused connection, a slow
// response head and the user stopping) × {ChatClient, <rill-chat>} × both wire formats. Each
// case must give the right error kind with a readable message, keep what had arrived, leave
// nothing spinning, and the next request right after it must work; the page must see no
// uncaught exception and no unhandled rejection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevserver, launchChromium, freePort, watchedPage } from './helpers.mjs';
import { CASES, runFaultCase, judgeCase } from './fault-cases.mjs';

async function openPage(t) {
  const server = await startDevserver(['--no-delay']);
  t.after(server.stop);
  const browser = await launchChromium();
  t.after(() => browser.close());
  return watchedPage(browser, server.url);
}

/** Runs one case in the page; returns what it saw, judged in Node. */
const runCase = (page, surface, endpoint, c) => page.evaluate(runFaultCase, { surface, endpoint, c });

for (const endpoint of ['/v1/chat/completions', '/v1/messages']) {
  for (const surface of ['client', 'element']) {
    test(`fault matrix: ${surface} on ${endpoint} (${CASES.length} cases)`, async (t) => {
      const { page, problems } = await openPage(t);
      const refusedPort = await freePort();
      for (const c of CASES) {
        const [name, spec, , want] = c;
        const label = `${surface} ${endpoint} ${name}`;
        const r = await runCase(page, surface, endpoint, { spec, refusedPort, ...want });
        judgeCase(label, c, r);
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
