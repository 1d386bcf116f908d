// The www/ demo in Chromium: type "hello", see the demo model's reply stream into the
// element, with no console errors, also under the strict CSP of DESIGN.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatThroughComposer, openDemo, openWithClipboard } from './helpers.mjs';

for (const csp of [false, true]) {
  test(`demo page streams a reply into <rill-chat>${csp ? ' under a strict CSP' : ''}`, async (t) => {
    const { page, problems, response } = await openDemo(t, ['--ttft-ms', '150', '--tps', '400', ...(csp ? ['--csp'] : [])]);
    if (csp) assert.match(response.headers()['content-security-policy'], /style-src 'self'/);

    const { lengths, reply, shown, tags } = await chatThroughComposer(page, 'hello');

    assert.match(reply.text, /Hello! I'm the \*\*rill-chat demo model\*\*/);
    // Rendered as markdown: the markers are gone, the constructs are elements.
    assert.match(shown, /Hello! I'm the rill-chat demo model/);
    assert.ok(!shown.includes('**') && !shown.includes('|---'), shown);
    for (const tag of ['h2', 'h3', 'strong', 'ol', 'ul', 'table', 'pre', 'code', 'a']) assert.ok(tags.includes(tag), `<${tag}> rendered`);
    const growing = lengths.filter((n) => n > 0);
    assert.ok(growing.length > 5, `the reply was drawn in ${growing.length} frames`);
    assert.ok(growing[0] < shown.length / 2, 'text was shown long before the end');
    assert.equal(reply.finishReason, 'stop');
    assert.ok(reply.usage.outputTokens > 50);
    assert.equal(await page.locator('#chat .msg.user .user-text').textContent(), 'hello');
    assert.equal(await page.locator('#chat textarea').inputValue(), '', 'the composer was cleared');
    assert.match(await page.locator('#status').textContent(), /Reply finished/);
    // The rest of the element under the same policy: a tool card, an image (data: URL),
    // the launcher's SVG icon and panel, drag feedback.
    await page.locator('button[data-tool]').click();
    await page.locator('#chat .msg.assistant .meta').nth(1).waitFor();
    await page.locator('button[data-image]').click();
    await page.locator('#chat .msg.user img.thumb').waitFor();
    await page.locator('#chat .msg.assistant .meta').nth(2).waitFor();
    await page.locator('#launcher button.launcher').click();
    await page.locator('#launcher .frame').waitFor();
    assert.equal(await page.locator('#chat details.tool .tool-status').textContent(), 'done');
    assert.deepEqual(problems, []);
  });
}

test('an error from the API is shown in the element and the next message works', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  const outcome = await page.evaluate(async () => {
    const el = document.querySelector('rill-chat');
    el.headers = { 'x-rill-fault': 'http-429' };
    const failed = await el.send('hi').then(() => null, (e) => ({ name: e.name, kind: e.kind, status: e.status, message: e.message }));
    el.headers = {};
    const ok = await el.send('hello again');
    return { failed, ok: ok.text.length, alert: el.shadowRoot.querySelector('[role=alert] .error-text')?.textContent, retry: el.shadowRoot.querySelector('[role=alert] button')?.textContent };
  });
  assert.deepEqual(outcome.failed, { name: 'ChatError', kind: 'http', status: 429, message: 'Too Many Requests' });
  assert.equal(outcome.alert, 'Too Many Requests');
  assert.equal(outcome.retry, 'Retry');
  assert.ok(outcome.ok > 100);
  // Chromium itself logs every failed HTTP status; that line is the 429 we asked for.
  assert.deepEqual(problems.filter((p) => !p.includes('status of 429')), []);
});

test('the log follows new text only while the reader is at the bottom', async (t) => {
  const { page } = await openDemo(t, ['--ttft-ms', '0', '--tps', '300']);
  const out = await page.evaluate(async () => {
    const el = document.querySelector('rill-chat');
    const log = el.shadowRoot.querySelector('[role=log]');
    const gap = () => log.scrollHeight - log.scrollTop - log.clientHeight;
    await el.send('hello');
    const followed = gap();
    const second = el.send('tell me more');
    await new Promise((r) => setTimeout(r, 150));
    log.scrollTop = 0; // the reader scrolls up to re-read
    await second;
    return { followed, overflow: log.scrollHeight > log.clientHeight, stayed: log.scrollTop };
  });
  assert.ok(out.overflow, 'the replies are taller than the log');
  assert.ok(out.followed <= 24, `at the bottom after the first reply (gap ${out.followed})`);
  assert.equal(out.stayed, 0, 'left where the reader scrolled to');
});

test('copy buttons put a code block and a whole reply (as markdown) on the clipboard', async (t) => {
  const { page, problems } = await openWithClipboard(t, ['--no-delay']);
  const reply = await page.evaluate(() => document.querySelector('rill-chat').send('hello'));
  await page.locator('#chat .code button[data-copy=code]').first().click();
  const code = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(code, /^const client = new ChatClient/);
  assert.equal(await page.locator('#chat .code button[data-copy=code]').first().textContent(), 'Copied');
  await page.locator('#chat button[data-copy=message]').click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), reply.text);
  assert.deepEqual(problems, []);
});

test('theme="dark" and theme="light" override the system scheme', async (t) => {
  const { page } = await openDemo(t, ['--no-delay'], { colorScheme: 'light' });
  const background = (theme) => page.evaluate((theme) => {
    const el = document.querySelector('rill-chat');
    if (theme) el.setAttribute('theme', theme); else el.removeAttribute('theme');
    return getComputedStyle(el.shadowRoot.querySelector('.frame')).backgroundColor;
  }, theme);
  assert.equal(await background(null), 'rgb(255, 255, 255)');
  assert.equal(await background('dark'), 'rgb(22, 24, 28)');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await background(null), 'rgb(22, 24, 28)', 'auto follows the system');
  assert.equal(await background('light'), 'rgb(255, 255, 255)');
});

test('Edit puts a sent message back in the composer and takes it and its answer out', async (t) => {
  const { page } = await openDemo(t, ['--no-delay']);
  await page.evaluate(async () => {
    const el = document.querySelector('rill-chat');
    await el.send('first question');
    await el.send('second question with a typo');
  });
  await page.locator('#chat .msg.user button[data-action=edit]').nth(1).click();
  // The first edit of a page fetches the second module (src/split.rs) before it acts.
  await page.waitForFunction(() => document.querySelector('#chat').shadowRoot.querySelector('textarea').value !== '');
  assert.equal(await page.locator('#chat textarea').inputValue(), 'second question with a typo');
  assert.equal(await page.locator('#chat .msg').count(), 2, 'the edited turn and its answer left the log');
  await page.locator('#chat textarea').fill('second question, fixed');
  await page.locator('#chat textarea').press('Enter');
  await page.locator('#chat .msg.assistant .meta').nth(1).waitFor();
  const texts = await page.locator('#chat .msg.user .user-text').allTextContents();
  assert.deepEqual(texts, ['first question', 'second question, fixed']);
  // The model saw three messages: first question, its answer, the fixed question.
  assert.match(await page.locator('#chat .msg.assistant').nth(1).textContent(), /Turns so far\s*3/);
});
