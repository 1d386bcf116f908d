// The JS half of src/task.rs: every promise, timeout, yield and frame the wasm awaits answers
// through its export `rill_settled`, as (slot, ok); slot 0 runs the ready tasks. A settled
// promise's value is held for the call and read by the wasm with `held()`: the export takes
// numbers only, which mean the same however the glue passes JS values.
let callback;
let value;
export function connect(exports) {
  callback = exports.rill_settled;
}
export function held() {
  return value;
}
const settle = (slot, ok, v) => {
  value = v;
  callback(slot, ok);
  value = undefined;
};
export function soon() {
  queueMicrotask(() => callback(0, 1));
}
export function settleOn(p, slot) {
  Promise.resolve(p).then((v) => settle(slot, 1, v), (e) => settle(slot, 0, e));
}
export function after(ms, slot) {
  setTimeout(() => callback(slot, 1), ms);
}
export function nextTask(slot) {
  try {
    const { port1, port2 } = new MessageChannel();
    // port1 stays alive until the message is delivered: it holds the listener.
    port1.onmessage = () => callback(slot, 1);
    port2.postMessage(null);
  } catch {
    after(0, slot);
  }
}
/** On the animation frame after `wait` ms (after `wait` ms without a window: no frames). */
export function frame(wait, slot) {
  const go = () => callback(slot, 1);
  if (typeof requestAnimationFrame !== 'function') setTimeout(go, wait);
  else if (wait > 0) setTimeout(() => requestAnimationFrame(go), wait);
  else requestAnimationFrame(go);
}
const deferreds = new Map();
export function deferred(id) {
  return new Promise((res, rej) => deferreds.set(id, [res, rej]));
}
export function resolve(id, ok, value) {
  const d = deferreds.get(id);
  deferreds.delete(id);
  d[ok ? 0 : 1](value);
}

// src/transport.rs's side of a request. A watch is our own AbortController plus why it
// aborted (1 the page's signal, 2 no response head in time, 3 the body went silent).
export function watch(signal, headMs) {
  const w = { c: new AbortController(), cause: 0, last: 0, signal };
  w.stop = (cause) => {
    if (!w.cause) w.cause = cause;
    w.c.abort();
  };
  w.onabort = () => w.stop(1);
  signal?.addEventListener?.('abort', w.onabort);
  w.timer = setTimeout(() => w.stop(2), headMs);
  return w;
}
export function streaming(w, idleMs) {
  clearTimeout(w.timer);
  w.last = performance.now();
  // One interval checks a clock each chunk moves: the per-chunk cost is a clock read.
  // Checked often enough to fire within about a quarter of the allowance.
  w.idle = setInterval(() => {
    if (performance.now() - w.last >= idleMs) w.stop(3);
  }, Math.min(Math.max(idleMs / 4, 25), 1000));
}
export function unwatch(w) {
  clearTimeout(w.timer);
  clearInterval(w.idle);
  w.signal?.removeEventListener?.('abort', w.onabort);
}
export const cause = (w) => w.cause;
export const newHeaders = () => new Headers();
export function addHeader(h, name, value) {
  h.append(name, value);
}
// The global fetch, so the client also works in workers (no `window`). The Request is kept
// on the watch while the exchange runs: its signal follows our controller's, and WebKit lost
// the abort (a timeout that never stopped the fetch) when nothing held the Request.
export function send(url, headers, body, w) {
  w.request = new Request(url, { method: 'POST', headers, body, signal: w.c.signal });
  return fetch(w.request);
}
export const status = (r) => (r instanceof Response ? r.status : 0);
export const header = (r, name) => r.headers.get(name) ?? undefined;
export const text = (r) => r.text();
export const reader = (r) => r.body?.getReader() ?? null;
export const read = (reader, w) =>
  reader.read().then((c) => {
    w.last = performance.now();
    return c.done ? null : c.value;
  });
export function cancel(reader) {
  reader.cancel().catch(() => {});
}
export const byteLength = (c) => (c instanceof Uint8Array ? c.length : -1);
export function copyOut(chunk, at, into) {
  into.set(chunk.subarray(at, at + into.length));
}
export const isAborted = (s) => !!s?.aborted;
export const abortController = () => new AbortController();
export const abort = (c) => c.abort();
export const signalOf = (c) => c.signal;

// Plain JS values for src/jsvalue.rs, so the wasm needs neither js-sys nor web-sys.
export const get = (o, k) => (o !== null && typeof o === 'object') || typeof o === 'function' ? o[k] : undefined;
export function put(o, k, v) {
  o[k] = v;
}
export const object = () => ({});
export const list = () => [];
export function push(a, v) {
  a.push(v);
}
export const isList = (v) => Array.isArray(v);
// A list's (array's, FileList's) length and items.
export const count = (v) => (v != null && typeof v.length === 'number' ? v.length : 0);
export const item = (v, i) => v[i];
export const keys = (o) => Object.keys(o);
export const call = (f, self, a, b) => f.call(self, a, b);
export const stringify = (v) => JSON.stringify(v);
export const parse = (t) => JSON.parse(t);
export function error(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}
export const reject = (v) => Promise.reject(v);
// A file's bytes, for an image attachment.
export const fileBytes = (f) => f.arrayBuffer().then((b) => new Uint8Array(b));
export function message(e) {
  const m = e?.message;
  return typeof m === 'string' ? m : typeof e === 'string' ? e : '';
}

// The wasm files: the first module, fetched when the package is imported (src/js/index.js),
// and the split ones of src/split.rs (src/extra.rs's side), each fetched next to the first
// one when a feature first needs it, and linked to its memory, function table and stack
// pointer.
const splits = {};
const SPLIT_TIMEOUT_MS = 20000;
const FIRST = 'rill_chat_bg.wasm';
// Each written out whole, so that bundlers see the files and emit them as assets.
const local = {
  'rill_chat_bg.wasm': () => new URL('./rill_chat_bg.wasm', import.meta.url),
  'rill_chat_extra.wasm': () => new URL('./rill_chat_extra.wasm', import.meta.url),
  'rill_chat_math.wasm': () => new URL('./rill_chat_math.wasm', import.meta.url),
  'rill_chat_langs.wasm': () => new URL('./rill_chat_langs.wasm', import.meta.url),
};
/** `file` compiled: from where the page asked (`RILL_CHAT_WASM_URL` or
 *  `<meta name="rill-chat-wasm">`, the first module's URL; the split ones are beside it), else
 *  from beside this file (this file is bundled into pkg/index.js); read from disk in Node. */
export async function compileWasm(file) {
  const override = globalThis.RILL_CHAT_WASM_URL || globalThis.document?.querySelector?.('meta[name="rill-chat-wasm"]')?.content;
  const url = override
    ? new URL(file === FIRST ? override : file, new URL(override, globalThis.location?.href))
    : local[file]();
  if (url.protocol === 'file:') {
    // Node (tests, SSR): kept out of bundlers' sight, this branch only ever runs there.
    const fs = await import(/* @vite-ignore */ ['node', 'fs/promises'].join(':'));
    return WebAssembly.compile(await fs.readFile(url));
  }
  // A split module's fetch is bounded: a reply waits for some of them (src/split.rs), so a
  // fetch that never ends must fail instead, and the reply goes on without what it draws.
  const response = await fetch(url, { signal: file === FIRST ? undefined : AbortSignal.timeout?.(SPLIT_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  // Compiled while it downloads when served as wasm (the streaming API insists on the type).
  return response.headers.get('content-type')?.trim().toLowerCase() === 'application/wasm' && WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}
export function loadExtra(exports, file) {
  splits[file] ??= linkExtra(exports, file).catch((e) => {
    splits[file] = undefined; // a failed load is tried again next time
    throw e;
  });
  return splits[file];
}
async function linkExtra(exports, file) {
  const module = await compileWasm(file);
  const imports = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    (imports[from] ??= {})[name] = exports[name];
  }
  await WebAssembly.instantiate(module, imports);
}
