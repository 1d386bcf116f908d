// Accessibility of the demo with axe-core (light and dark, after a reply with every kind of
// block), keyboard-only use, and a live region that announces a finished reply once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openDemo } from './helpers.mjs';
import { MATH_REPLY } from './first-reply.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

for (const scheme of ['light', 'dark']) {
  test(`axe finds no violations on the demo, inline and launcher (${scheme})`, async (t) => {
    const { page } = await openDemo(t, ['--no-delay'], { colorScheme: scheme });
    await page.evaluate(() => document.querySelector('rill-chat').send('hello'));
    // The launcher's panel open too, with a tool card and an image in the inline chat.
    await page.locator('button[data-tool]').click();
    await page.locator('#chat .msg.assistant .meta').nth(1).waitFor();
    await page.locator('button[data-image]').click();
    await page.locator('#chat .msg.assistant .meta').nth(2).waitFor();
    // And a reply with highlighted code and MathML.
    await page.evaluate(async (msg) => {
      const el = document.querySelector('#chat');
      el.headers = { 'x-rill-fault': 'script' };
      await el.send(msg);
    }, MATH_REPLY);
    await page.locator('#chat .msg.assistant math').first().waitFor();
    await page.locator('#chat .msg.assistant .hl-kw').first().waitFor();
    await page.locator('#launcher button.launcher').click();
    // The panel rises in over 160 ms; contrast is judged on what the reader then sees, not
    // on a frame of the fade-in (axe once caught the Send button at partial opacity).
    await page.waitForFunction(() => {
      const frame = document.querySelector('#launcher').shadowRoot.querySelector('.frame');
      return frame.getAnimations().every((a) => a.playState === 'finished');
    });
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(violations, []);
  });
}

test('keyboard only: type, Enter sends, Shift+Enter is a newline, Esc stops', async (t) => {
  const { page } = await openDemo(t, ['--ttft-ms', '0', '--tps', '40']);
  const input = page.locator('#chat textarea');
  await input.focus();
  await page.keyboard.type('line one');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('line two');
  assert.equal(await input.inputValue(), 'line one\nline two');
  await page.keyboard.press('Enter');
  await page.locator('#chat .msg.assistant .body').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#chat .marker').waitFor();
  assert.equal(await page.locator('#chat .marker').textContent(), 'Stopped');
  assert.equal(await page.locator('#chat .msg.user .user-text').textContent(), 'line one\nline two');
  assert.equal(await page.locator('#chat button.send').textContent(), 'Send');
});

test('the live region announces a finished reply once, not every token', async (t) => {
  const { page } = await openDemo(t, ['--ttft-ms', '0', '--tps', '400']);
  const out = await page.evaluate(async () => {
    const el = document.querySelector('rill-chat');
    const live = el.shadowRoot.querySelector('[aria-live=polite]');
    const changes = [];
    new MutationObserver(() => changes.push(live.textContent)).observe(live, { childList: true, characterData: true, subtree: true });
    await el.send('hello');
    await new Promise((r) => setTimeout(r, 50));
    const log = el.shadowRoot.querySelector('[role=log]');
    return { changes: changes.filter(Boolean), logLive: log.getAttribute('aria-live'), politeness: live.getAttribute('aria-live') };
  });
  assert.equal(out.changes.length, 1, `announced ${out.changes.length} times`);
  assert.match(out.changes[0], /rill-chat demo model/);
  assert.equal(out.logLive, 'off', 'the streaming log itself is not read token by token');
  assert.equal(out.politeness, 'polite');
});
