// rill-chat's DOM interpreter: replays the edit buffers the wasm writes (format in
// src/dom/edits.rs) and reports events from one delegated listener per shadow root.
// Text only ever goes in as text nodes, textContent or attribute values: never as markup.
const nodes = [];
const td = new TextDecoder();
const SVG = 'http://www.w3.org/2000/svg';
const MATHML = 'http://www.w3.org/1998/Math/MathML';

export function adopt(id, node) {
  nodes[id] = node;
}

export function node(id) {
  return nodes[id];
}

/** Replays one buffer. Focus and clicks wait until the end: they may run page code. */
export function apply(b) {
  let i = 0;
  const u32 = () => (b[i++] | (b[i++] << 8) | (b[i++] << 16) | (b[i++] << 24)) >>> 0;
  const str = () => {
    const n = u32();
    const start = i;
    i += n;
    if (n < 24) {
      let s = '';
      for (let k = start; k < i; k++) {
        const c = b[k];
        if (c > 127) return td.decode(b.subarray(start, i));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return td.decode(b.subarray(start, i));
  };
  const el = () => nodes[u32()];
  // Frames of [node, reference]: new nodes go before the reference (null: at the end).
  const stack = [];
  let top = null;
  let at = null;
  const later = [];
  const push = (n, ref) => { stack.push([n, ref]); top = n; at = ref; };
  let failed = null;
  let base = 0;
  while (i < b.length) {
    const op = b[i++];
    // Operands are read before the node is touched, so a failed edit (a node that is gone)
    // skips just itself: the rest of the buffer still lines up.
    try {
      switch (op) {
        case 1: case 2: case 28: { const tag = str();
          push(op === 1 ? document.createElement(tag) : document.createElementNS(op === 2 ? SVG : MATHML, tag), null); break; }
        case 3: { const name = str(); const v = str(); top.setAttribute(name, v); break; }
        case 4: { const t = str(); top.insertBefore(document.createTextNode(t), at); break; }
        case 5: { const [done] = stack.pop(); const [parent, ref] = stack[stack.length - 1];
          top = parent; at = ref; parent.insertBefore(done, ref); break; }
        case 6: nodes[base + u32()] = top; break;
        case 7: { const id = u32(); const t = document.createTextNode(str()); nodes[id] = t; top.insertBefore(t, at); break; }
        case 8: push(el(), null); break;
        case 9: { const n = el(); const ref = el(); push(n, ref ?? null); break; }
        case 10: { const n = el(); push(n, n?.firstChild ?? null); break; }
        case 11: stack.pop(); [top, at] = stack.length ? stack[stack.length - 1] : [null, null]; break;
        case 12: { const n = el(); const t = str(); n.textContent = t; break; }
        case 13: { const n = el(); const t = str(); n.appendData(t); break; }
        case 14: { const n = el(); const name = str(); const v = str(); n.setAttribute(name, v); break; }
        case 15: { const n = el(); const name = str(); n.removeAttribute(name); break; }
        case 16: { const n = el(); const name = str(); const on = u32() !== 0; n.classList.toggle(name, on); break; }
        case 17: { const id = u32(); const n = nodes[id]; nodes[id] = undefined; n.remove(); break; }
        case 18: nodes[u32()] = undefined; break;
        case 19: { const n = el(); const p = str(); const v = str();
          if (v) n.style.setProperty(p, v); else n.style.removeProperty(p); break; }
        case 20: { const n = el(); const v = str(); n.value = v; break; }
        case 21: later.push([el(), 'focus']); break;
        case 22: later.push([el(), 'click']); break;
        case 23: { const code = u32(); top.__rh = code; break; }
        case 24: { const n = el(); const v = u32() | 0; n.scrollTop = v; break; }
        case 25: { const n = el(); while (n.nextSibling) n.nextSibling.remove(); break; }
        case 26: { const from = el(); const to = el(); const first = to.firstChild;
          while (from.firstChild) to.insertBefore(from.firstChild, first); break; }
        case 27: { const n = el(); const sel = str(); for (const m of n.querySelectorAll(sel)) m.remove(); break; }
        case 29: base = u32(); break;
        default: throw new Error('rill-chat: unknown DOM edit ' + op + ' at ' + (i - 1));
      }
    } catch (e) {
      if (op > 29) { failed = e; break; }
      failed ??= e;
    }
  }
  if (failed) console.error('rill-chat: a DOM edit failed', failed);
  for (const [n, what] of later) n?.[what]();
}

/** The host's shadow root (made, or emptied when the element comes back) with the
 *  stylesheet adopted — allowed under `style-src 'self'`, unlike `<style>`. */
export function mount(host, css, id) {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  root.replaceChildren();
  root.adoptedStyleSheets = [sheet(css), ...sheets];
  if (!roots.some((r) => r.deref() === root)) roots.push(new WeakRef(root));
  nodes[id] = root;
}

/** The sheets that came with split modules (`addSheet`), and the roots to give new ones to
 *  (held weakly: a removed element's root is not kept for them). */
const sheets = [];
let roots = [];
function sheet(css) {
  const s = new CSSStyleSheet();
  s.replaceSync(css);
  return s;
}
export function addSheet(css) {
  const s = sheet(css);
  sheets.push(s);
  roots = roots.filter((r) => r.deref());
  for (const r of roots) {
    const root = r.deref();
    if (root) root.adoptedStyleSheets = [...root.adoptedStyleSheets, s];
  }
}

/** From node `id`, the first match of `closest(up)` then `querySelector(down)` becomes node
 *  `into`; false when there is none. */
export function grab(id, up, down, into) {
  let n = nodes[id];
  if (n && up) n = n.closest(up);
  if (n && down) n = n.querySelector(down);
  nodes[into] = n ?? undefined;
  return !!n;
}

/** The host element's own attributes and events (not edits: they take effect at once). */
export function attr(el, name) {
  return el.getAttribute(name) ?? undefined;
}

export function setAttr(el, name, value) {
  if (value === undefined) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

/** Web Storage (`local` or `session`): `value` undefined reads, null removes, a string writes
 *  (→ whether it was kept). Storage can be refused (sandboxed frames, privacy settings, a
 *  full quota): then reads find nothing and writes say false. */
export function store(kind, key, value) {
  try {
    const s = kind === 'local' ? localStorage : sessionStorage;
    if (value === undefined) return s.getItem(key) ?? undefined;
    if (value === null) s.removeItem(key);
    else s.setItem(key, value);
    return true;
  } catch {
    return value === undefined ? undefined : false;
  }
}

/** Text as read aloud or copied: a formula is its TeX (the annotation the converter keeps),
 *  not the letters of its layout followed by that TeX. */
function text(n) {
  if (!n.querySelector?.('math')) return n.textContent;
  const c = n.cloneNode(true);
  for (const m of c.querySelectorAll('math')) m.replaceWith(m.querySelector('annotation')?.textContent ?? m.textContent);
  return c.textContent;
}

/** Puts `text` on the clipboard; false when the page has no clipboard access. */
export function copy(text) {
  try {
    navigator.clipboard.writeText(text).catch(() => {});
    return true;
  } catch {
    return false;
  }
}

export function emit(el, name, detail) {
  el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** 0: scrollTop, 1: scrollHeight, 2: clientHeight. */
export function num(id, what) {
  const n = nodes[id];
  if (!n) return 0;
  return what === 0 ? n.scrollTop : what === 1 ? n.scrollHeight : n.clientHeight;
}

/** From node `id`: up to `closest(up)`, down to `querySelector(down)`, then `what`: an
 *  attribute name, `#text` (textContent) or `#value`. Undefined when a step finds nothing. */
export function lookup(id, up, down, what) {
  let n = nodes[id];
  if (n && up) n = n.closest(up);
  if (n && down) n = n.querySelector(down);
  if (!n) return undefined;
  const v = what === '#text' ? text(n) : what === '#value' ? n.value : n.getAttribute(what);
  return v ?? undefined;
}

const listening = new Map();

/** The files of the event being reported (`eventFiles()`, read by the wasm while it runs). */
let files;
export function eventFiles() {
  return files;
}

/** Kinds: 1 click, 2 Enter (no Shift, not composing), 3 Escape, 4 input, 5 scroll, 6 change,
 *  7 paste with files, 8 dragover with files, 9 dragleave out of the root, 10 drop.
 *  The wasm's export `rill_event(root, kind, code)` → 1 to prevent the default; it reads
 *  the files (paste, drop, the picker's change) with `eventFiles()`. */
export function listen(id, exports) {
  const handler = exports.rill_event;
  const root = nodes[id];
  const report = (kind, ev, data) => {
    let code = 0;
    for (const n of ev.composedPath()) {
      if (n === root) break;
      if (n.__rh !== undefined) { code = n.__rh; nodes[1] = n; break; }
    }
    if (!code && kind !== 3 && kind < 8) return;
    try {
      files = data;
      if (handler(id, kind, code)) ev.preventDefault();
    } finally {
      nodes[1] = undefined;
      files = undefined;
    }
  };
  const fileList = (d) => (d && d.files && d.files.length ? d.files : null);
  const types = (ev) => Array.from(ev.dataTransfer?.types ?? []).includes('Files');
  const on = {
    click: (ev) => report(1, ev),
    keydown: (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) report(2, ev);
      else if (ev.key === 'Escape') report(3, ev);
    },
    input: (ev) => report(4, ev),
    scroll: (ev) => report(5, ev),
    change: (ev) => report(6, ev, fileList(ev.target)),
    paste: (ev) => { const f = fileList(ev.clipboardData); if (f) report(7, ev, f); },
    dragover: (ev) => { if (types(ev)) report(8, ev); },
    dragleave: (ev) => { if (!root.contains(ev.relatedTarget)) report(9, ev); },
    drop: (ev) => report(10, ev, fileList(ev.dataTransfer)),
  };
  for (const [type, f] of Object.entries(on)) root.addEventListener(type, f, type === 'scroll');
  listening.set(id, on);
}

export function unlisten(id) {
  const root = nodes[id];
  const on = listening.get(id);
  if (!root || !on) return;
  for (const [type, f] of Object.entries(on)) root.removeEventListener(type, f, type === 'scroll');
  listening.delete(id);
}
