// Code blocks in the element: highlighted by the Rust core as the reply streams, a line at a
// time. Lines already shown keep their nodes (only the open last line is drawn again), the
// token colours come from the --rill-code-* palette and meet WCAG AA in both themes, and
// Copy gives the plain code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWithClipboard } from './helpers.mjs';

const code = [
  'import os',
  '',
  '@cache',
  'def greet(name: str, times: int = 3) -> None:',
  '    """Say hello.',
  '',
  '    Several times."""',
  '    for i in range(times):  # count',
  '        print(f"Hello, {name}! #{i}")',
  '    return None',
  '',
  'class Greeter(Base):',
  '    pass',
].join('\n');
const reply = `Here is the code:\n\n\`\`\`python\n${code}\n\`\`\`\n\nAnd \`plain\` text after it.`;

/** In the page: an element that streams `text` slowly through the devserver's script fault. */
async function mount([text, theme]) {
  const el = document.createElement('rill-chat');
  el.setAttribute('endpoint', '/v1/chat/completions');
  el.setAttribute('model', 'gpt-4o');
  if (theme) el.setAttribute('theme', theme);
  el.headers = { 'x-rill-fault': 'script', 'x-rill-pace': 'ttft=0,tps=60' };
  document.body.append(el);
  await new Promise((r) => { const wait = () => (el.shadowRoot?.querySelector('.frame') ? r() : setTimeout(wait, 10)); wait(); });
  // Every node ever removed from a code block while the reply streams, except what the open
  // line (the last child span of <code>) held.
  window.__removed = [];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.localName !== 'code' || !r.target.closest('.code')) continue;
      for (const n of r.removedNodes) window.__removed.push(n.textContent);
    }
  }).observe(el.shadowRoot, { subtree: true, childList: true });
  window.__sent = el.send(JSON.stringify({ text }));
}

/** In the page: contrast of every token kind against the code block's own background. */
function palette() {
  const el = document.querySelector('rill-chat');
  const block = el.shadowRoot.querySelector('.msg.assistant .code');
  const rgba = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const over = (top, under) => {
    const a = top[3] ?? 1;
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a));
  };
  const bubble = rgba(getComputedStyle(block.closest('.msg')).backgroundColor);
  const bg = over(rgba(getComputedStyle(block).backgroundColor), bubble);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const out = {};
  for (const span of block.querySelectorAll('code [class^="hl-"]')) {
    const kind = span.className;
    if (out[kind]) continue;
    const color = getComputedStyle(span).color;
    const varName = `--rill-code-${kind.slice(3)}`;
    out[kind] = { color, ratio: ratio(rgba(color).slice(0, 3), bg), fromVar: getComputedStyle(el).getPropertyValue(varName).trim() };
  }
  const plain = getComputedStyle(block.querySelector('code')).color;
  return { out, plain };
}

test('a streamed code block is highlighted line by line: shown lines keep their nodes, AA colours, plain copy', async (t) => {
  const { page, problems, fetched } = await openWithClipboard(t);
  const langs = () => fetched.filter((p) => p.endsWith('rill_chat_langs.wasm'));
  await page.evaluate(() => document.querySelectorAll('rill-chat').forEach((e) => e.remove()));
  await page.evaluate(mount, [reply, 'light']);

  // Mid-stream: the decorator's line is drawn for good while later lines still arrive.
  const shown = await page.waitForFunction(() => {
    const r = document.querySelector('rill-chat').shadowRoot;
    const code = r.querySelector('.msg.assistant .code code');
    if (!code || !code.textContent.includes('"""Say')) return null;
    window.__meta = code.querySelector('.hl-meta');
    return { text: code.textContent, language: code.className };
  }, null, { polling: 'raf', timeout: 20000 }).then((h) => h.jsonValue());
  assert.equal(shown.language, 'language-python');
  assert.ok(!shown.text.includes('class Greeter'), `caught while streaming: ${JSON.stringify(shown.text)}`);
  await page.evaluate(() => window.__sent);

  const after = await page.evaluate(() => {
    const code = document.querySelector('rill-chat').shadowRoot.querySelector('.msg.assistant .code code');
    const token = (cls, text) => [...code.querySelectorAll(`.${cls}`)].some((s) => s.textContent === text);
    return {
      text: code.textContent,
      same: window.__meta === code.querySelector('.hl-meta') && window.__meta.isConnected,
      removed: window.__removed,
      tokens: {
        keyword: token('hl-kw', 'def') && token('hl-kw', 'for') && token('hl-kw', 'class'),
        decorator: token('hl-meta', '@cache'),
        docstring: token('hl-str', '"""Say hello.') && token('hl-str', '    Several times."""'),
        comment: token('hl-com', '# count'),
        interpolation: token('hl-int', '{') && token('hl-str', '! #'),
        builtinType: token('hl-ty', 'str') && token('hl-ty', 'Base'),
        call: token('hl-fn', 'print'),
        number: token('hl-num', '3'),
        literal: token('hl-lit', 'None'),
      },
      spans: code.querySelectorAll('span').length,
      open: [...code.children].filter((c) => !c.className).length,
    };
  });
  assert.equal(after.text, `${code}\n`, 'the code is exactly the source, line endings and all');
  assert.ok(after.same, 'a line drawn mid-stream kept its node to the end');
  // What was removed from <code> itself is only ever the open-line holder, once, at the end.
  assert.ok(after.removed.length <= 1, `nodes of shown lines were removed: ${JSON.stringify(after.removed)}`);
  assert.deepEqual(Object.entries(after.tokens).filter(([, ok]) => !ok).map(([k]) => k), []);
  assert.equal(after.open, 0, 'the open-line holder is gone once the block is final');
  assert.deepEqual(langs(), [], 'Python is one of the first module\'s languages: nothing more fetched');

  for (const theme of ['light', 'dark']) {
    await page.evaluate((th) => document.querySelector('rill-chat').setAttribute('theme', th), theme);
    const { out, plain } = await page.evaluate(palette);
    assert.ok(Object.keys(out).length >= 8, `${theme}: ${Object.keys(out)}`);
    for (const [kind, { color, ratio, fromVar }] of Object.entries(out)) {
      assert.ok(ratio >= 4.5, `${theme} ${kind} ${color}: contrast ${ratio.toFixed(2)} is below AA`);
      assert.ok(fromVar, `${theme} ${kind} has its custom property`);
      assert.notEqual(color, plain, `${theme} ${kind} is coloured`);
    }
  }

  // A page's palette wins: the custom properties are the theming surface.
  const themed = await page.evaluate(() => {
    const el = document.querySelector('rill-chat');
    el.style.setProperty('--rill-code-kw', 'rgb(1, 2, 3)');
    return getComputedStyle(el.shadowRoot.querySelector('.hl-kw')).color;
  });
  assert.equal(themed, 'rgb(1, 2, 3)');

  await page.evaluate(() => document.querySelector('rill-chat').shadowRoot.querySelector('.code button[data-copy=code]').click());
  await page.waitForFunction(() => document.querySelector('rill-chat').shadowRoot.querySelector('.code button[data-copy=code]').textContent === 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${code}\n`);
  assert.deepEqual(problems, []);
});

test('an unknown language stays plain text, a less common one comes with its module, and a long code block streams without redrawing it', async (t) => {
  const { page, problems, fetched } = await openWithClipboard(t);
  const langs = () => fetched.filter((p) => p.endsWith('rill_chat_langs.wasm'));
  await page.evaluate(() => document.querySelectorAll('rill-chat').forEach((e) => e.remove()));
  const long = Array.from({ length: 120 }, (_, i) => `line ${i} of a log`).join('\n');
  await page.evaluate(mount, [`\`\`\`logfile\n${long}\n\`\`\`\n\n\`\`\`rust\nfn main() {}\n\`\`\``, '']);
  await page.evaluate(() => window.__sent);
  const got = await page.evaluate(() => {
    const [plain, rust] = document.querySelector('rill-chat').shadowRoot.querySelectorAll('.msg.assistant .code code');
    return {
      plainText: plain.textContent, plainSpans: plain.querySelectorAll('[class^="hl-"]').length,
      rust: rust.innerHTML, removed: window.__removed,
    };
  });
  assert.equal(got.plainText, `${long}\n`);
  assert.equal(got.plainSpans, 0, 'no tokens in a language we do not know');
  assert.match(got.rust, /<span class="hl-kw">fn<\/span> <span class="hl-fn">main<\/span>/);
  assert.ok(got.removed.length <= 2, `shown lines were redrawn: ${got.removed.length} removals`);
  assert.equal(langs().length, 1, 'the less common languages\' module is fetched once');
  // Without it (blocked): the block is drawn plain, and nothing hangs.
  await page.route('**/rill_chat_langs.wasm', (r) => r.abort());
  await page.reload();
  await page.waitForFunction(() => customElements.get('rill-chat'));
  await page.evaluate(() => document.querySelectorAll('rill-chat').forEach((e) => e.remove()));
  await page.evaluate(mount, ['```go\nfunc main() {}\n```\n\n```js\nconst a = 1;\n```', '']);
  await page.evaluate(() => window.__sent);
  const blocked = await page.evaluate(() => [...document.querySelector('rill-chat').shadowRoot.querySelectorAll('.msg.assistant .code code')].map((c) => [c.textContent, c.querySelectorAll('[class^="hl-"]').length]));
  assert.equal(blocked[0][0], 'func main() {}\n');
  assert.equal(blocked[0][1], 0, 'Go is plain without its module');
  assert.ok(blocked[1][1] > 0, 'JavaScript is still highlighted');
  assert.ok(problems.every((p) => p.includes('Failed to load resource')), problems.join('\n'));
  problems.length = 0;
  assert.deepEqual(problems, []);
});

// What only the less common languages have — YAML keys, markdown and diff lines, character
// literals — is read by code in their module: in the shipped build it draws the same tokens
// as the native golden tests (src/highlight/tests.rs).
const MORE_GOLDEN = [
  ['yaml', '# config\nname: rill\nitems:\n  - id: 1\n    on: true\nurl: "http://x"',
    '{com # config}\n{attr name}{op :} rill\n{attr items}{op :}\n  {pun -} {attr id}{op :} {num 1}\n    {attr on}{op :} {lit true}\n{attr url}{op :} {str "http://x"}'],
  ['markdown', '# Title\nSome **bold** and `code` [link](http://x).\n- item\n1. one\n> quote',
    '{kw # Title}\nSome {op **}bold{op **} and {str `code`} {pun [}link{pun ](}{attr http://x}{pun )}.\n{op -} item\n{op 1.} one\n{com > quote}'],
  ['diff', 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old\n+new\n same',
    '{meta diff --git a/x b/x}\n{meta --- a/x}\n{meta +++ b/x}\n{meta @@ -1,2 +1,2 @@}\n{del -old}\n{ins +new}\n same'],
  ['rust', "let c = 'x';", "{kw let} c {op =} {str 'x'}{pun ;}"],
];

test('the less common languages\' own constructs are read by their module as natively', async (t) => {
  const { page, problems } = await openWithClipboard(t);
  await page.evaluate(() => document.querySelectorAll('rill-chat').forEach((e) => e.remove()));
  const text = MORE_GOLDEN.map(([lang, src]) => `\`\`\`\`${lang}\n${src}\n\`\`\`\``).join('\n\n');
  await page.evaluate(mount, [text, '']);
  await page.evaluate(() => window.__sent);
  const shown = await page.evaluate(() => [...document.querySelector('rill-chat').shadowRoot.querySelectorAll('.msg.assistant .code code')].map((code) => {
    let out = '';
    const walk = (n) => {
      for (const c of n.childNodes) {
        if (c.nodeType === 3) {
          const cls = c.parentElement.className.match(/(?:^| )hl-(\w+)/)?.[1];
          out += cls ? `{${cls} ${c.data}}` : c.data;
        } else walk(c);
      }
    };
    walk(code);
    return out.replace(/\n$/, '');
  }));
  assert.deepEqual(shown, MORE_GOLDEN.map(([, , want]) => want));
  assert.deepEqual(problems, []);
});
