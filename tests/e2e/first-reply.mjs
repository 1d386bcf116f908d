// What a page pays for rill-chat, measured from its own requests: every file it fetches from
// pkg/ to import the package, mount <rill-chat> and show its first markdown reply with code,
// each gzip -9 (and brotli 11) as a server would send it. Shared by the size-budget test and
// `make bench`; the caller brings the browser (playwright-core) and the page.
import zlib from 'node:zlib';

/** A reply with code and math, for the devserver's script fault (the size test, axe, every
 *  engine). */
export const MATH_REPLY = JSON.stringify({
  text: 'The roots are $x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}$, and\n\n$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$\n\n```js\nconst x = 1;\n```',
});


/** `url`: a page with a <rill-chat> (id `chat` or the first one) whose endpoint (or
 *  `endpoint`, when given, with `headers`) answers with markdown that has a fenced code block
 *  (or, with `math`, a formula). Resolves with
 *  `{ files: [{ path, raw, gzip, brotli }], raw, gzip, brotli }`. */
export async function firstReplySize(browser, url, { message = 'hello', endpoint, headers, math = false } = {}) {
  // A context of its own: nothing cached from another page.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const fetched = [];
    page.on('response', (r) => {
      const { pathname } = new URL(r.url());
      if (pathname.includes('/pkg/')) fetched.push(r.body().then((b) => ({ path: pathname.slice(pathname.indexOf('/pkg/') + 5), body: b })));
    });
    await page.goto(url);
    await page.waitForFunction(() => customElements.get('rill-chat') && document.querySelector('rill-chat')?.shadowRoot?.querySelector('.frame'));
    await page.evaluate(async ([text, to, extra, withMath]) => {
      const el = document.getElementById('chat') ?? document.querySelector('rill-chat');
      if (to) el.endpoint = to;
      if (extra) el.headers = extra;
      await el.send(text);
      if (!el.shadowRoot.querySelector('.msg.assistant .code pre')) throw new Error('the reply has no code block');
      if (withMath && !el.shadowRoot.querySelector('.msg.assistant math')) throw new Error('the reply has no formula drawn as MathML');
    }, [message, endpoint, headers, math]);
    const files = (await Promise.all(fetched)).map(({ path, body }) => ({
      path,
      raw: body.length,
      gzip: zlib.gzipSync(body, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    })).sort((a, b) => b.gzip - a.gzip);
    const sum = (k) => files.reduce((n, f) => n + f[k], 0);
    return { files, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
  } finally {
    await context.close();
  }
}
