// The XSS harness shared by xss.test.mjs (Chromium, in depth) and engines.test.mjs (every
// engine): functions that run in the page — the canary and the tree checker, the element
// that asks the devserver's `script` fault for its replies, the sender — and the verdict.
import assert from 'node:assert/strict';

/** Runs in the page before anything else: the canary and the checker. */
export function installCanary() {
  window.__pwned = 0;
  window.__pwn = () => { window.__pwned += 1; };
  for (const name of ['alert', 'confirm', 'prompt', 'print']) window[name] = () => { window.__pwned += 1; };
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'srcset', 'background', 'cite', 'ping', 'lowsrc', 'dynsrc', 'codebase', 'manifest'];
  const forbidden = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'meta', 'base', 'link', 'style', 'template', 'math', 'noscript', 'portal', 'video', 'audio', 'source', 'track', 'marquee']);
  const rasterData = /^data:image\/(png|jpeg|gif|webp)[;,]/i;
  // The MathML the converter writes (src/math): these elements, these attributes, nothing
  // else; the values of the few that take one come from its own constants.
  const MATHML = 'http://www.w3.org/1998/Math/MathML';
  const mathTags = new Set(['math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'mtext', 'mspace', 'mfrac', 'msqrt', 'mroot', 'msub', 'msup', 'msubsup', 'munder', 'mover', 'munderover', 'mtable', 'mtr', 'mtd', 'mstyle', 'merror']);
  const mathAttrs = new Set(['display', 'mathvariant', 'stretchy', 'movablelimits', 'accent', 'accentunder', 'displaystyle', 'scriptlevel', 'fence', 'form', 'width', 'minsize', 'maxsize', 'linethickness', 'encoding', 'class']);
  window.__violations = [];
  const judge = (el, where) => {
    const out = [];
    const tag = el.localName;
    const inLog = !!el.closest?.('.log');
    if (el.namespaceURI === MATHML) {
      if (!inLog || !mathTags.has(tag)) out.push(`<${tag}> (MathML) ${where}`);
      for (const attr of el.attributes) if (!mathAttrs.has(attr.name)) out.push(`${attr.name} on <${tag}> (MathML) ${where}`);
      return out;
    }
    if (forbidden.has(tag) || (inLog && (tag === 'svg' || el.namespaceURI !== 'http://www.w3.org/1999/xhtml'))) out.push(`<${tag}> ${where}`);
    for (const attr of el.attributes || []) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) out.push(`${name} on <${tag}> ${where}`);
      if (name === 'style' && /url\s*\(|expression|javascript/i.test(attr.value)) out.push(`style ${attr.value} ${where}`);
      if (!urlAttrs.includes(name)) continue;
      let url;
      try { url = new URL(attr.value, document.baseURI); } catch { out.push(`unparsable ${name}=${attr.value}`); continue; }
      const ok = ['http:', 'https:'].includes(url.protocol)
        || (url.protocol === 'mailto:' && name === 'href')
        || (tag === 'img' && name === 'src' && rasterData.test(attr.value));
      if (!ok) out.push(`${name}=${attr.value.slice(0, 80)} on <${tag}> ${where}`);
    }
    return out;
  };
  const walk = (root, where, out = []) => {
    for (const el of root.querySelectorAll('*')) {
      out.push(...judge(el, where));
      if (el.shadowRoot) walk(el.shadowRoot, where, out);
    }
    return out;
  };
  // The element's own tree (the page around it is the test's).
  window.__checkTree = (where) => [...document.querySelectorAll('rill-chat')].flatMap((el) => walk(el.shadowRoot, where));
  const observe = (root) => {
    new MutationObserver((records) => {
      for (const r of records) {
        const nodes = r.type === 'attributes' ? [r.target] : [...r.addedNodes];
        for (const n of nodes) {
          if (n.nodeType !== 1) continue;
          window.__violations.push(...judge(n, 'while streaming'));
          window.__violations.push(...walk(n, 'while streaming'));
        }
      }
    }).observe(root, { subtree: true, childList: true, attributes: true });
  };
  // Every shadow root is watched from the moment it exists.
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    observe(root);
    return root;
  };
  // Installed before the page loads (an init script) or after it (a driver without them).
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => observe(document.body));
  else observe(document.body);
}

/** In the page: one bare element `#x` asking the `script` fault for its replies, with a tool
 *  whose handler answers hostile text; resolves once it is drawn. */
export async function createHostileElement({ endpoint, persist }) {
  document.querySelectorAll('rill-chat').forEach((e) => e.remove());
  const el = document.createElement('rill-chat');
  el.id = 'x';
  el.setAttribute('endpoint', endpoint);
  el.setAttribute('model', endpoint.includes('messages') ? 'claude-3-7-sonnet-20250219' : 'gpt-4o');
  el.setAttribute('persist', persist);
  el.headers = { 'x-rill-fault': 'script' };
  el.retries = 0;
  el.tools = [{
    name: 'get_time',
    description: 'hostile results',
    parameters: { type: 'object', properties: {} },
    handler: () => '<img src=x onerror=__pwn()> [x](javascript:__pwn())',
  }];
  document.body.append(el);
  await new Promise((r) => { const wait = () => (el.shadowRoot?.querySelector('.frame') ? r() : setTimeout(wait, 10)); wait(); });
}

/** In the page: sends each script as one turn (clearing every 25 turns to keep requests
 *  small); resolves with the banners of the turns that failed. */
export async function sendScripts(scripts) {
  const el = document.getElementById('x');
  const errors = [];
  for (const [n, s] of scripts.entries()) {
    if (n % 25 === 0) el.clear();
    await el.send(JSON.stringify(s)).catch(() => {
      errors.push([...el.shadowRoot.querySelectorAll('.msg.assistant .error')].at(-1)?.textContent ?? '(no banner)');
      // A failed turn's message would be sent again with the next one; start afresh.
      el.clear();
    });
  }
  return { sent: scripts.length, errors };
}

/** In the page: what the canary and the checker saw. */
export function readVerdict() {
  return {
    pwned: window.__pwned,
    during: window.__violations.slice(0, 20),
    after: window.__checkTree('after').slice(0, 20),
  };
}

/** In Node: nothing ran, nothing unsafe was ever inserted. */
export function judgeVerdict(result, label) {
  assert.equal(result.pwned, 0, `${label}: the canary fired`);
  assert.deepEqual(result.during, [], `${label}: nodes inserted while streaming`);
  assert.deepEqual(result.after, [], `${label}: the final tree`);
}
