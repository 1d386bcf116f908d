// The element's features on the demo page, driven like a user: tool cards, images (picker,
// paste, drop, limits), persistence across a reload, the launcher, Continue, strings, RTL,
// reduced motion, jump to latest, listeners that call back in, removal mid-stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDemo, root } from './helpers.mjs';

const sunset = path.join(root, 'www/sunset.png');
const shadow = (page, fn, arg) => page.evaluate(fn, arg);

test('a tool call shows as a card with its arguments and result, then the answer', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  await page.locator('button[data-tool]').click();
  const card = page.locator('#chat details.tool');
  await page.locator('#chat .msg.assistant .meta').waitFor();
  assert.equal(await card.locator('.tool-name').textContent(), 'get_time');
  assert.equal(await card.locator('.tool-status').textContent(), 'done');
  assert.equal(await card.getAttribute('data-state'), 'done');
  await card.locator('summary').click();
  assert.equal(await card.locator('.tool-args pre').textContent(), '{"timezone":"UTC"}');
  // The page's own handler answered: a real date in UTC.
  assert.match(await card.locator('.tool-result pre').textContent(), /20\d\d at \d\d:\d\d:\d\d UTC/);
  const paragraphs = await page.locator('#chat .msg.assistant .body p').allTextContents();
  assert.match(paragraphs[0], /^Let me call get_time for that\.$/);
  assert.match(paragraphs[1], /^The tool answered: /, 'the second round starts its own paragraph');
  assert.deepEqual(problems, []);
});

test('images: picker with preview and remove, size and type limits, paste, drop, sent as parts', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  const picker = page.locator('#chat input[type=file]');
  await picker.setInputFiles(sunset);
  const previews = page.locator('#chat .previews .attachment');
  await previews.first().waitFor();
  assert.match(await previews.first().locator('img').getAttribute('src'), /^data:image\/png;base64,iVBOR/);
  await previews.first().locator('button.remove').click();
  assert.equal(await previews.count(), 0, 'removed');

  await page.evaluate(() => { document.querySelector('#chat').maxImageBytes = 100; });
  await picker.setInputFiles(sunset);
  assert.equal(await page.locator('#chat .note').textContent(), 'sunset.png is larger than 100 B.');
  await picker.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
  assert.equal(await page.locator('#chat .note').textContent(), 'notes.txt is not a PNG, JPEG, GIF or WebP image.');
  assert.equal(await previews.count(), 0);
  await page.evaluate(() => { document.querySelector('#chat').maxImageBytes = undefined; });

  // Paste into the composer and drop on the panel, as the browser would deliver them.
  await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    const bytes = new Uint8Array(await (await fetch('/sunset.png')).arrayBuffer());
    const transfer = () => { const d = new DataTransfer(); d.items.add(new File([bytes], 'sunset.png', { type: 'image/png' })); return d; };
    el.shadowRoot.querySelector('textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer(), bubbles: true, cancelable: true }));
    const frame = el.shadowRoot.querySelector('.frame');
    frame.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer(), bubbles: true, cancelable: true }));
    frame.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer(), bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.querySelector('#chat').shadowRoot.querySelectorAll('.previews .attachment').length === 2);
  assert.equal(await page.locator('#chat .frame.dragging').count(), 0, 'the drop ended the drag highlight');

  const requests = [];
  page.on('request', (r) => { if (r.url().endsWith('/v1/chat/completions')) requests.push(r.postDataJSON()); });
  await page.locator('#chat textarea').fill('What is in these?');
  await page.locator('#chat textarea').press('Enter');
  await page.locator('#chat .msg.assistant .meta').waitFor();
  assert.equal(await page.locator('#chat .msg.user img.thumb').count(), 2);
  assert.equal(await previews.count(), 0, 'the composer is empty after sending');
  assert.match(await page.locator('#chat .msg.assistant .body').textContent(), /You also attached 2 images/);
  // Claude models get the images as base64 image parts (the AI/ML API's shape for Claude).
  const content = requests[0].messages.at(-1).content;
  assert.deepEqual(content.map((p) => p.type), ['text', 'image', 'image']);
  assert.equal(content[1].source.media_type, 'image/png');
  assert.deepEqual(problems, []);
});

test('persist over the storage quota: the words are kept, the pictures dropped', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  const out = await page.evaluate(async () => {
    sessionStorage.clear();
    // Fill the origin's quota but for a little room: the words fit, an image does not.
    let size = 1 << 22;
    let filler = '';
    for (; size > 512; size >>= 1) {
      try {
        sessionStorage.setItem('filler', filler + 'x'.repeat(size));
        filler += 'x'.repeat(size);
      } catch {}
    }
    sessionStorage.setItem('filler', filler.slice(0, filler.length - 8192));
    const el = document.querySelector('#chat');
    const image = 'data:image/png;base64,' + 'A'.repeat(64 * 1024);
    await el.send('look at this picture', { images: [image] });
    // Dropping the pictures is the second module's work: it may come a moment later.
    for (let i = 0; i < 100 && !sessionStorage.getItem('rill-chat:chat'); i++) await new Promise((r) => setTimeout(r, 20));
    const stored = JSON.parse(sessionStorage.getItem('rill-chat:chat'));
    sessionStorage.removeItem('filler');
    return { roles: stored.messages.map((m) => m.role), text: JSON.stringify(stored).includes('look at this picture'), image: JSON.stringify(stored).includes('data:image'), filled: filler.length };
  });
  assert.ok(out.filled > 1e6, `the filler took the quota (${out.filled} chars)`);
  delete out.filled;
  assert.deepEqual(out, { roles: ['user', 'assistant'], text: true, image: false });
  assert.deepEqual(problems, []);
});

test('persist="session": the conversation survives a reload, the API key is never stored', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    el.apiKey = 'sk-test-never-store-me';
    await el.send('first question');
    await el.send('What time is it? use get_time');
  });
  const stored = await page.evaluate(() => sessionStorage.getItem('rill-chat:chat'));
  assert.ok(stored.includes('first question') && stored.includes('get_time'));
  assert.ok(!stored.includes('sk-test'), 'the key is not in storage');
  const shown = () => page.evaluate(() => [...document.querySelector('#chat').shadowRoot.querySelectorAll('.user-text, .msg .body, .tool-name')]
    .map((n) => n.textContent));
  const before = await shown();

  await page.reload();
  await page.waitForFunction(() => document.querySelector('#chat')?.shadowRoot?.querySelector('.msg'));
  assert.deepEqual(await shown(), before);
  assert.equal(await page.locator('#chat .msg.user').count(), 2);
  assert.equal(await page.locator('#chat details.tool .tool-status').textContent(), 'done');
  assert.equal(await page.locator('#chat [data-action=regenerate]').count(), 1, 'only the newest reply offers Regenerate');
  // The restored history is sent with the next message.
  const reply = await page.evaluate(() => document.querySelector('#chat').send('and now?'));
  assert.match(reply.text, /\| Turns so far \| 7 \|/);

  // Stored data is untrusted: a hostile entry renders as text, a broken one is dropped.
  await page.evaluate(() => {
    sessionStorage.setItem('rill-chat:chat', JSON.stringify({ v: 1, messages: [
      { role: 'user', content: [{ type: 'text', text: '<img src=x onerror=alert(1)>' }, { type: 'image_url', image_url: { url: 'javascript:alert(1)' } }] },
      { role: 'assistant', content: '[click](javascript:alert(1)) <script>alert(1)</script>' }] }));
  });
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#chat')?.shadowRoot?.querySelector('.msg'));
  const dom = await page.evaluate(() => {
    const r = document.querySelector('#chat').shadowRoot;
    return { imgs: r.querySelectorAll('.log img').length, scripts: r.querySelectorAll('script').length, links: [...r.querySelectorAll('.log a')].map((a) => a.href), user: r.querySelector('.user-text').textContent };
  });
  assert.deepEqual(dom, { imgs: 0, scripts: 0, links: [], user: '<img src=x onerror=alert(1)>' });
  await page.evaluate(() => sessionStorage.setItem('rill-chat:chat', '{"v":1,"messages":[{"role":"wizard"}]}'));
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#chat')?.shadowRoot?.querySelector('.frame'));
  assert.equal(await page.locator('#chat .msg').count(), 0);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('rill-chat:chat')), null, 'the broken entry was removed');

  // Clear empties the log and the storage.
  await page.evaluate(() => document.querySelector('#chat').send('hello'));
  await page.locator('#chat button.clear').click();
  assert.equal(await page.locator('#chat .msg').count(), 0);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('rill-chat:chat')), null);
  assert.deepEqual(problems, []);
});

test('launcher: opens and closes, focus follows, a reply that finishes while closed leaves an unread dot', async (t) => {
  const { page, problems } = await openDemo(t, ['--ttft-ms', '300', '--tps', '400']);
  const launcher = page.locator('#launcher button.launcher');
  const panel = page.locator('#launcher .frame');
  assert.equal(await panel.isVisible(), false);
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
  await launcher.click();
  assert.equal(await panel.isVisible(), true);
  assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.evaluate(() => document.querySelector('#launcher').shadowRoot.activeElement?.localName), 'textarea');
  await page.keyboard.type('hello');
  await page.keyboard.press('Enter');
  await page.locator('#launcher button.close').click();
  assert.equal(await panel.isVisible(), false);
  assert.equal(await page.evaluate(() => document.querySelector('#launcher').shadowRoot.activeElement?.className), 'launcher');
  await page.waitForFunction(() => !document.querySelector('#launcher').shadowRoot.querySelector('.dot').hidden);
  assert.equal(await launcher.getAttribute('aria-label'), 'Open chat (new reply)');
  await launcher.click();
  assert.equal(await page.locator('#launcher .dot').isVisible(), false);
  assert.equal(await launcher.getAttribute('aria-label'), 'Open chat');
  assert.match(await page.locator('#launcher .msg.assistant').textContent(), /rill-chat demo model/);
  await page.keyboard.press('Escape');
  assert.equal(await panel.isVisible(), false, 'Esc closes the panel when nothing streams');
  // The page can open it too.
  await page.evaluate(() => document.querySelector('#launcher').setAttribute('open', ''));
  assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
  assert.deepEqual(problems, []);
});

test('cut at max tokens → Continue finishes the same reply', async (t) => {
  const { page, problems } = await openDemo(t, ['--no-delay']);
  await page.locator('#s-max').fill('40');
  await page.evaluate(() => document.querySelector('#chat').send('hello'));
  const bubble = page.locator('#chat .msg.assistant');
  assert.equal(await bubble.locator('.marker-text').textContent(), 'Cut at the max tokens limit');
  const first = await bubble.getAttribute('data-markdown');
  await page.locator('#s-max').fill('');
  await bubble.locator('button[data-action=continue]').click();
  // The cut reply's own footer stays until Continue (in the second module, fetched first
  // when it is not yet) reopens the bubble: what tells it finished is its markdown changing.
  await page.waitForFunction((was) => {
    const b = [...document.querySelector('#chat').shadowRoot.querySelectorAll('.msg.assistant')].at(-1);
    const md = b?.getAttribute('data-markdown');
    return md != null && md !== was && b.querySelector('.meta');
  }, first);
  const whole = await bubble.getAttribute('data-markdown');
  assert.ok(whole.startsWith(first.trimEnd()) && whole.endsWith('can be rendered.'), whole);
  assert.equal(await page.locator('#chat .msg.assistant').count(), 1);
  assert.equal(await page.locator('#chat .marker').count(), 0, 'no longer cut');
  assert.deepEqual(problems, []);
});

test('strings translate every label; an unknown key is refused', async (t) => {
  const { page } = await openDemo(t, ['--no-delay']);
  const out = await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    el.strings = { send: 'Senden', placeholder: 'Nachricht…', copy: 'Kopieren', regenerate: 'Neu', clear: 'Leeren', title: 'Hilfe' };
    await el.send('hallo');
    const r = el.shadowRoot;
    let refused = null;
    try { el.strings = { sned: 'x' }; } catch (e) { refused = { kind: e.kind, message: e.message }; }
    return { send: r.querySelector('.send').textContent, placeholder: r.querySelector('textarea').placeholder,
      copy: r.querySelector('.meta [data-copy]').textContent, again: r.querySelector('[data-action=regenerate]').textContent,
      clear: r.querySelector('.clear').textContent, title: r.querySelector('.title').textContent, refused, kept: el.strings.send };
  });
  assert.deepEqual(out, { send: 'Senden', placeholder: 'Nachricht…', copy: 'Kopieren', again: 'Neu', clear: 'Leeren', title: 'Hilfe',
    refused: { kind: 'config', message: 'unknown UI string sned' }, kept: 'Senden' });
});

test('dir="rtl" mirrors the layout; prefers-reduced-motion stops the animations', async (t) => {
  const { page } = await openDemo(t, ['--ttft-ms', '400', '--tps', '300']);
  const sides = await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    el.setAttribute('dir', 'rtl');
    await el.send('مرحبا');
    const r = el.shadowRoot;
    const log = r.querySelector('.log').getBoundingClientRect();
    const user = r.querySelector('.msg.user').getBoundingClientRect();
    const bot = r.querySelector('.msg.assistant').getBoundingClientRect();
    return { userLeft: user.left - log.left, botRight: log.right - bot.right, direction: getComputedStyle(r.querySelector('.frame')).direction };
  });
  assert.equal(sides.direction, 'rtl');
  assert.ok(sides.userLeft < 30, `the user's bubble sits on the left (${sides.userLeft})`);
  assert.ok(sides.botRight < 30, `the reply sits on the right (${sides.botRight})`);

  const animation = async (motion) => {
    await page.emulateMedia({ reducedMotion: motion });
    return page.evaluate(async () => {
      const el = document.querySelector('#chat');
      el.clear();
      const pending = el.send('hello');
      await new Promise((r) => setTimeout(r, 0));
      const body = el.shadowRoot.querySelector('.msg.assistant .body .tail');
      const name = getComputedStyle(body, '::after').animationName;
      el.stop();
      await pending.catch(() => {});
      return name;
    });
  };
  assert.equal(await animation('no-preference'), 'rill-pulse');
  assert.equal(await animation('reduce'), 'none');
});

test('a reader who scrolls up is left alone and offered "Jump to latest"', async (t) => {
  const { page } = await openDemo(t, ['--ttft-ms', '0', '--tps', '120']);
  await page.evaluate(() => document.querySelector('#chat').send('hello'));
  const reply = page.evaluate(() => document.querySelector('#chat').send('tell me more'));
  await page.waitForTimeout(300);
  await page.locator('#chat .log').hover();
  await page.mouse.wheel(0, -2000);
  const jump = page.locator('#chat button.jump');
  await jump.waitFor({ state: 'visible' });
  const top = await page.evaluate(() => document.querySelector('#chat').shadowRoot.querySelector('.log').scrollTop);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.querySelector('#chat').shadowRoot.querySelector('.log').scrollTop), top, 'not pulled down');
  await jump.click();
  const gap = await page.evaluate(() => { const l = document.querySelector('#chat').shadowRoot.querySelector('.log'); return l.scrollHeight - l.scrollTop - l.clientHeight; });
  assert.ok(gap <= 24, `at the end (${gap})`);
  assert.equal(await jump.isVisible(), false);
  await reply;
});

test('listeners may call back in; removing the element mid-reply stops it; it works when added back', async (t) => {
  const { page, problems } = await openDemo(t, ['--ttft-ms', '0', '--tps', '200']);
  const out = await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    el.addEventListener('rill-delta', () => el.stop(), { once: true });
    const stopped = await el.send('hello').then(() => 'finished', (e) => e.kind);
    el.addEventListener('rill-message', () => el.clear(), { once: true });
    await el.send('hello');
    await new Promise((r) => setTimeout(r, 0));
    const cleared = el.shadowRoot.querySelectorAll('.msg').length;
    const pending = el.send('hello').then(() => 'finished', (e) => e.kind);
    await new Promise((r) => setTimeout(r, 100));
    const parent = el.parentNode;
    el.remove();
    const removed = await pending;
    parent.prepend(el);
    await new Promise((r) => setTimeout(r, 0));
    const again = (await el.send('hello again')).text.length > 100;
    return { stopped, cleared, removed, again };
  });
  assert.deepEqual(out, { stopped: 'aborted', cleared: 0, removed: 'aborted', again: true });
  assert.deepEqual(problems, []);
});

test('clearing mid-reply stops it and the cleared turns stay gone (screen, storage, next request)', async (t) => {
  const { page, problems } = await openDemo(t, ['--ttft-ms', '0', '--tps', '200']);
  const out = await page.evaluate(async () => {
    const el = document.querySelector('#chat');
    await el.send('first question');
    el.addEventListener('rill-delta', () => el.clear(), { once: true });
    const cleared = await el.send('second question').then(() => 'finished', (e) => e.kind);
    await new Promise((r) => setTimeout(r, 50));
    const shown = el.shadowRoot.querySelectorAll('.msg').length;
    const stored = Object.keys(sessionStorage).filter((k) => k.startsWith('rill-chat:')).map((k) => sessionStorage.getItem(k));
    const next = await el.send('third question');
    const users = [...el.shadowRoot.querySelectorAll('.msg.user')].map((m) => m.textContent.includes('third question'));
    const kept = JSON.parse(Object.entries(sessionStorage).find(([k]) => k.startsWith('rill-chat:'))[1]).messages;
    return { cleared, shown, stored, next: next.text.length > 0, users, kept: kept.map((m) => m.role) };
  });
  // The conversation after the clear is the third question and its answer only.
  assert.deepEqual(out, { cleared: 'aborted', shown: 0, stored: [], next: true, users: [true], kept: ['user', 'assistant'] });
  assert.deepEqual(problems, []);
});

for (const [width, name] of [[1280, 'desktop'], [360, 'narrow']]) {
  test(`${width} px: no horizontal overflow, with a long reply and the launcher open (screenshot)`, async (t) => {
    const { page, problems } = await openDemo(t, ['--no-delay'], { viewport: { width, height: 800 } });
    await page.evaluate(() => document.querySelector('#chat').send('Show me a table of three rivers, with code: averyveryverylongwordwithoutanyspacesthatmustwrapsomewhere'));
    await page.locator('button[data-tool]').click();
    await page.locator('#chat .msg.assistant .meta').nth(1).waitFor();
    const dir = path.join(root, 'target/screenshots');
    await page.screenshot({ path: path.join(dir, `${name}.png`) });
    await page.locator('#launcher button.launcher').click();
    await page.screenshot({ path: path.join(dir, `${name}-launcher.png`), animations: 'disabled' });
    const sizes = await shadow(page, () => {
      const frames = [...document.querySelectorAll('rill-chat')].map((el) => el.shadowRoot.querySelector('.frame').getBoundingClientRect());
      return { page: document.documentElement.scrollWidth, right: Math.max(...frames.map((f) => f.right)), left: Math.min(...frames.map((f) => f.left)) };
    });
    assert.ok(sizes.page <= width, `page ${sizes.page} px wide`);
    assert.ok(sizes.right <= width && sizes.left >= 0, `panels inside the viewport (${sizes.left}…${sizes.right})`);
    assert.deepEqual(problems, []);
  });
}
