// Math in the element: the four delimiters become native MathML (<math> in the MathML
// namespace) drawn from the converter's own module, fetched once and only when a reply has
// math; prices stay text; unsupported and hostile commands show as marked source; a formula
// still being typed shows as its source, and once drawn as MathML it never goes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWithClipboard } from './helpers.mjs';

const MATH_FILE = 'rill_chat_math.wasm';

/** In the page: an element streaming `text` through the devserver's script fault. */
async function mount([text, pace]) {
  document.querySelectorAll('rill-chat').forEach((e) => e.remove());
  const el = document.createElement('rill-chat');
  el.setAttribute('endpoint', '/v1/chat/completions');
  el.setAttribute('model', 'gpt-4o');
  el.headers = { 'x-rill-fault': 'script', 'x-rill-pace': pace };
  document.body.append(el);
  await new Promise((r) => { const wait = () => (el.shadowRoot?.querySelector('.frame') ? r() : setTimeout(wait, 10)); wait(); });
  // Every <math> ever removed while streaming, by its TeX.
  window.__gone = [];
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.removedNodes) {
      if (n.nodeType !== 1) continue;
      for (const m of [n, ...n.querySelectorAll('*')]) if (m.localName === 'math') window.__gone.push(m.textContent);
    }
  }).observe(el.shadowRoot, { subtree: true, childList: true });
  window.__sent = el.send(JSON.stringify({ text }));
}

const open = (t) => openWithClipboard(t);

const reply = [
  'Inline $x^2 + y^2 = r^2$ and \\(\\alpha_i\\), display:',
  '',
  '$$\\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}$$',
  '',
  '\\[\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}\\]',
  '',
  'A matrix $\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$ and cases:',
  '',
  '$$f(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}$$',
  '',
  'Prices stay text: $5 and $10, or 5$ each.',
  '',
  'Hostile: $\\href{javascript:alert(1)}{x} + \\unknowncmd{y}$ and $\\mathbb{R}^n$.',
].join('\n');

test('the four delimiters become MathML from a module fetched once; prices stay text; unknown commands are marked source', async (t) => {
  const { page, problems, fetched } = await open(t);
  await page.evaluate(mount, [reply, 'instant']);
  await page.evaluate(() => window.__sent);
  const got = await page.evaluate(() => {
    const body = document.querySelector('rill-chat').shadowRoot.querySelector('.msg.assistant .body');
    const maths = [...body.querySelectorAll('math')];
    return {
      count: maths.length,
      namespaces: [...new Set(maths.map((m) => m.namespaceURI))],
      display: maths.map((m) => m.getAttribute('display') === 'block'),
      tex: maths.map((m) => m.querySelector('annotation')?.textContent),
      frac: body.querySelectorAll('mfrac').length,
      sqrt: body.querySelectorAll('msqrt').length,
      tables: body.querySelectorAll('mtable').length,
      under: body.querySelectorAll('munderover').length,
      errors: [...body.querySelectorAll('merror')].map((e) => e.textContent),
      double: [...body.querySelectorAll('mi')].some((m) => m.textContent === 'ℝ'),
      text: body.textContent,
      hrefs: [...body.querySelectorAll('math [href], math [src]')].length,
      // MathML is laid out: a fraction is taller than one line of its text.
      fracHeight: body.querySelector('mfrac').getBoundingClientRect().height,
      lineHeight: parseFloat(getComputedStyle(body).lineHeight),
      // The converter's module brings its stylesheet: a display formula has its margin, a
      // refused command its colour.
      blockMargin: getComputedStyle(body.querySelector('math[display=block]')).marginTop,
      errorColor: getComputedStyle(body.querySelector('merror')).color,
      textColor: getComputedStyle(body).color,
    };
  });
  assert.equal(got.count, 8);
  assert.deepEqual(got.namespaces, ['http://www.w3.org/1998/Math/MathML']);
  assert.deepEqual(got.display, [false, false, true, true, false, true, false, false]);
  assert.equal(got.tex[0], 'x^2 + y^2 = r^2');
  assert.ok(got.frac === 2 && got.sqrt === 1 && got.tables === 2 && got.under === 1, JSON.stringify(got));
  assert.deepEqual(got.errors, ['\\href{javascript:alert(1)}{x}', '\\unknowncmd{y}']);
  assert.ok(got.double, '\\mathbb{R} is the double-struck letter');
  assert.match(got.text, /Prices stay text: \$5 and \$10, or 5\$ each\./);
  assert.equal(got.hrefs, 0);
  assert.notEqual(got.blockMargin, '0px', 'styles-math.css is adopted');
  assert.notEqual(got.errorColor, got.textColor, 'a refused command is marked');
  assert.ok(got.fracHeight > got.lineHeight, `a laid-out fraction is taller than a line (${got.fracHeight} vs ${got.lineHeight})`);
  assert.equal(fetched.filter((p) => p.endsWith(MATH_FILE)).length, 1, 'the converter is fetched once');
  // Copy gives the reply's markdown, LaTeX and delimiters as the model wrote them; the live
  // region reads each formula as its TeX, not as the letters of its layout.
  await page.evaluate(() => document.querySelector('rill-chat').shadowRoot.querySelector('.msg.assistant button[data-copy=message]').click());
  await page.waitForFunction(() => document.querySelector('rill-chat').shadowRoot.querySelector('.msg.assistant button[data-copy=message]').textContent === 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), reply);
  const spoken = await page.evaluate(() => document.querySelector('rill-chat').shadowRoot.querySelector('[aria-live=polite]').textContent);
  assert.match(spoken, /Inline x\^2 \+ y\^2 = r\^2 and \\alpha_i, display:/);
  // A second reply with math does not fetch it again.
  await page.evaluate(() => document.querySelector('rill-chat').send(JSON.stringify({ text: 'again $a+b$' })));
  assert.equal(fetched.filter((p) => p.endsWith(MATH_FILE)).length, 1);
  assert.deepEqual(problems, []);
});

test('a reply without math fetches no converter; a formula being typed shows as source and, once MathML, stays', async (t) => {
  const { page, problems, fetched } = await open(t);
  await page.evaluate(mount, ['No math here, just **bold** and `code`.', 'instant']);
  await page.evaluate(() => window.__sent);
  assert.equal(fetched.filter((p) => p.endsWith(MATH_FILE)).length, 0);

  const slow = 'First $a*b + c$ then **bold** and $$\\frac{1}{2}$$ done.\n\nNext paragraph $e^{i\\pi}$ end.';
  await page.evaluate(mount, [slow, 'ttft=0,tps=30']);
  // Sample the bubble every frame while it streams.
  const seen = await page.evaluate(async () => {
    const body = () => document.querySelector('rill-chat').shadowRoot.querySelector('.msg.assistant .body');
    const frames = [];
    let done = false;
    window.__sent.then(() => { done = true; });
    while (!done) {
      const b = body();
      if (b) frames.push({ html: b.innerHTML, text: b.textContent, maths: b.querySelectorAll('math').length, em: b.querySelectorAll('em').length });
      await new Promise((r) => requestAnimationFrame(r));
    }
    return { frames, gone: window.__gone };
  });
  assert.ok(seen.frames.length > 5, 'sampled while streaming');
  // `a*b` inside the open formula is never taken for emphasis.
  assert.ok(seen.frames.every((f) => f.em === 0), 'no emphasis appeared from a formula\'s *');
  // The formula shows as its source while typed (the $ and the TeX are text).
  assert.ok(seen.frames.some((f) => f.maths === 0 && f.text.includes('$a*b')), 'the open formula showed as source');
  // The number of formulas never goes down: once MathML, always MathML.
  for (let i = 1; i < seen.frames.length; i++) {
    assert.ok(seen.frames[i].maths >= seen.frames[i - 1].maths, `formulas went from ${seen.frames[i - 1].maths} to ${seen.frames[i].maths}`);
  }
  assert.equal(await page.evaluate(() => document.querySelector('rill-chat').shadowRoot.querySelectorAll('.msg.assistant math').length), 3);
  assert.deepEqual(problems, []);
});
