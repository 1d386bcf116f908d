// rill-chat: the public entry, minified into pkg/index.js by scripts/build.sh. Importing
// starts the wasm download once, exports `ready`, and defines <rill-chat> when the page has
// custom elements and the name is still free.
// Importing in Node (SSR, tests) never throws: the wasm is read from disk there.
import init, { ChatCore, ReplyCore, RillWidget, SseParser, renderMarkdown, preload } from './rill_chat.js';

/** Where the page asked us to load the wasm from, if it did (before importing us). */
function wasmOverride() {
  const fromGlobal = globalThis.RILL_CHAT_WASM_URL;
  if (fromGlobal) return fromGlobal;
  const meta = globalThis.document?.querySelector?.('meta[name="rill-chat-wasm"]');
  return meta?.content || undefined;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

async function start() {
  const override = wasmOverride();
  if (isNode && !override) {
    // Kept out of bundlers' sight: this branch only ever runs in Node.
    const fs = await import(/* @vite-ignore */ ['node', 'fs/promises'].join(':'));
    const bytes = await fs.readFile(new URL('./rill_chat_bg.wasm', import.meta.url));
    wasm = await init({ module_or_path: bytes });
  } else {
    // Without an override the glue resolves rill_chat_bg.wasm next to itself, which
    // bundlers (Vite, webpack 5, Rollup) recognise and emit as an asset.
    wasm = await init(override === undefined ? undefined : { module_or_path: override });
  }
}

/** Whether `ready` has loaded both modules (a ChatClient then checks its options at once). */
let initialized = false;
/** The wasm's exports (its memory, for ReplyDecoder). */
let wasm = null;
/** The first module: all that <rill-chat> needs to show a reply (it loads the second one
 *  itself, when a feature it is asked for is there: src/split.rs). */
const first = start();
// Handled here so a page that never awaits `ready` gets no unhandled rejection;
// awaiting `ready` still rejects.
first.catch(() => {});
let whole = null;
/** `ready`: awaiting it (any `then`) also fetches the second module, which the JS API's own
 *  code is in; a page that only uses <rill-chat> never pays for it unless the element needs it. */
class Ready extends Promise {
  static get [Symbol.species]() { return Promise; }
  then(onFulfilled, onRejected) {
    // A failed fetch of the second module is tried again by the next `await ready`.
    whole ??= first.then(() => preload()).then(() => { initialized = true; }, (err) => { whole = null; throw err; });
    return whole.then(onFulfilled, onRejected);
  }
}
/** Resolves once the wasm is instantiated, the JS API's part too; rejects if it cannot be loaded. */
export const ready = new Ready((resolve, reject) => { Promise.prototype.then.call(first, resolve, reject); });
Promise.prototype.then.call(ready, undefined, () => {});

/** The error every failure of rill-chat rejects with; `instanceof Error` holds too. */
export class ChatError extends Error {
  constructor(message, { kind = 'config', status = null, code = null, retryAfterMs = null, requestId = null, partial = null } = {}) {
    super(message);
    this.name = 'ChatError';
    Object.assign(this, { kind, status, code, retryAfterMs, requestId, partial });
  }
  // Errors created inside the wasm are plain Errors named ChatError: they count too.
  static [Symbol.hasInstance](value) {
    return value instanceof Error && value.name === 'ChatError';
  }
}

/** A chat client for an OpenAI-compatible or Anthropic Messages endpoint. */
export class ChatClient {
  #options;
  #core = null;

  constructor(options = {}) {
    this.#options = { ...options };
    if (initialized) this.#core = new ChatCore(this.#options); // invalid options throw now
  }

  async #ensureCore() {
    await ready;
    this.#core ??= new ChatCore(this.#options);
    return this.#core;
  }

  /** Streams the reply as events; breaking out of the loop aborts the request. */
  async *stream({ messages, signal } = {}) {
    const core = await this.#ensureCore();
    const controller = new AbortController();
    const forward = () => controller.abort(signal?.reason);
    if (signal?.aborted) forward();
    else signal?.addEventListener('abort', forward, { once: true });
    const queue = [];
    let head = 0;
    let settled = false;
    let failure = null;
    let wake = null;
    const notify = () => { const w = wake; wake = null; w?.(); };
    // Events arrive in batches, one per body chunk, laid out in wasm memory.
    core.run({ messages, signal: controller.signal, stream: true }, (n, out) => { readEvents(n, out >>> 2, queue); notify(); })
      .then(() => { settled = true; notify(); }, (err) => { failure = err; settled = true; notify(); });
    try {
      for (;;) {
        if (head < queue.length) {
          const ev = queue[head];
          queue[head++] = undefined;
          yield ev;
        } else if (settled) {
          if (failure) throw failure;
          return;
        } else {
          await new Promise((resolve) => { wake = resolve; });
        }
      }
    } finally {
      signal?.removeEventListener('abort', forward);
      if (!settled) controller.abort();
    }
  }

  /** The whole reply; streams under the hood unless `stream: false`. */
  async complete({ messages, signal, stream = true } = {}) {
    const core = await this.#ensureCore();
    return core.run({ messages, signal, stream }, null);
  }
}

const OPTION_PROPERTIES = ['endpoint', 'provider', 'apiKey', 'headers', 'model', 'maxTokens', 'temperature', 'topP',
  'topK', 'stopSequences', 'frequencyPenalty', 'system', 'metadata', 'thinking', 'tools', 'toolChoice', 'toolFormat',
  'includeUsage', 'timeoutMs', 'idleTimeoutMs', 'retries', 'maxToolRounds'];
const ATTRIBUTES = ['endpoint', 'provider', 'model', 'system'];
const Base = globalThis.HTMLElement ?? class {};

/** Whether two `strings` values hold the same words (a shallow comparison). */
function sameWords(a, b) {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The <rill-chat> element: a complete chat UI whose inside is rendered by the wasm. */
export class RillChatElement extends Base {
  static observedAttributes = ['open'];
  #widget = null;
  #props = {};
  #strings = undefined;
  #words = undefined;

  constructor() {
    super();
    // Properties set before the element was defined sit on the instance and would hide
    // the accessors below: move them behind the accessors.
    for (const name of [...OPTION_PROPERTIES, 'strings']) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
  }

  connectedCallback() {
    first.then(() => { if (this.isConnected) this.#ensureWidget(); }, (err) => {
      this.dispatchEvent(new CustomEvent('rill-error', { detail: err, bubbles: true, composed: true }));
    });
  }

  // Removed from the page (not just moved): the reply stops and the wasm side is freed.
  // Connected again, the element starts over (or restores the stored conversation).
  disconnectedCallback() {
    queueMicrotask(() => {
      if (!this.isConnected && this.#widget) {
        this.#widget.free();
        this.#widget = null;
      }
    });
  }

  attributeChangedCallback(name) {
    if (name === 'open') this.#widget?.syncOpen();
  }

  #ensureWidget() {
    this.#widget ??= new RillWidget(this, () => this.#options());
    return this.#widget;
  }

  /** Every word the element shows, by key (see the README); unknown keys throw. */
  get strings() { return this.#strings; }
  set strings(value) {
    const previous = this.#strings;
    this.#strings = value;
    // Frameworks pass a fresh object on every render: the same words redraw nothing. (A copy
    // is compared, so a page that edits its object in place and sets it again is heard.)
    const words = value && typeof value === 'object' ? { ...value } : value;
    const same = sameWords(this.#words, words);
    this.#words = words;
    if (!this.#widget || same) return;
    try {
      this.#widget.refreshStrings();
    } catch (err) {
      this.#strings = previous;
      this.#words = previous && typeof previous === 'object' ? { ...previous } : previous;
      throw err;
    }
  }

  #options() {
    const fromAttributes = {};
    for (const name of ATTRIBUTES) {
      const value = this.getAttribute(name);
      if (value !== null) fromAttributes[name] = value;
    }
    return { endpoint: '/v1/chat/completions', ...fromAttributes, ...this.#props };
  }

  /** Sends `text` (and `images`: data:/https URLs) as the user; resolves with the finished
   *  reply, rejects with a ChatError. */
  async send(text, { images } = {}) {
    await first;
    return this.#ensureWidget().send(String(text ?? ''), images ? Array.from(images, String) : undefined);
  }

  /** Asks again for the last reply; resolves with the new one. */
  async regenerate() {
    await first;
    return this.#ensureWidget().regenerate();
  }

  stop() { this.#widget?.stop(); }

  clear() { this.#widget?.clear(); }

  // Every client option is also a property; properties win over attributes.
  static {
    for (const name of OPTION_PROPERTIES) {
      Object.defineProperty(this.prototype, name, {
        get() { return this.#props[name] ?? (ATTRIBUTES.includes(name) ? this.getAttribute(name) ?? undefined : undefined); },
        set(value) { this.#props[name] = value; },
        configurable: true,
        enumerable: true,
      });
    }
  }
}

if (globalThis.customElements && !globalThis.customElements.get('rill-chat')) {
  globalThis.customElements.define('rill-chat', RillChatElement);
}

const KINDS = [null, 'text', 'reasoning', 'refusal'];
const utf8 = new TextDecoder();
/** Largest piece of a chunk copied into wasm memory at once: a huge chunk is never held there whole. */
const SLICE = 64 * 1024;
let mem8 = new Uint8Array(0);
let mem32 = null;
/** Views of the wasm memory, made again when it has grown (which detaches the old buffer:
 *  its views' length drops to 0). */
function memory() {
  if (mem8.length === 0) {
    mem8 = new Uint8Array(wasm.memory.buffer);
    mem32 = new Uint32Array(wasm.memory.buffer);
  }
}

/** Appends the `n` events of a batch in wasm memory to `events`: its header (at u32 index
 *  `h`) gives the text and the table of (kind, a, b) triples; the layout is documented in
 *  src/protocol/batch.rs. Deltas are one triple; other events a tree of them. */
function readEvents(n, h, events) {
  memory();
  const textPtr = mem32[h];
  const text = utf8.decode(mem8.subarray(textPtr, textPtr + mem32[h + 1]));
  let i = mem32[h + 2] >>> 2;
  const value = () => {
    const k = mem32[i], a = mem32[i + 1], b = mem32[i + 2];
    i += 3;
    switch (k) {
      case 6: return text.slice(a, b);
      case 7: return Number(text.slice(a, b));
      case 8: return null;
      case 9: return true;
      case 10: return false;
      case 5: { const arr = []; for (let m = 0; m < a; m++) arr.push(value()); return arr; }
      case 4: {
        const obj = {};
        for (let m = 0; m < a; m++) {
          const key = text.slice(mem32[i + 1], mem32[i + 2]);
          i += 3;
          obj[key] = value();
        }
        return obj;
      }
      default: throw new Error(`rill-chat: bad event table (kind ${k})`);
    }
  };
  for (let e = 0; e < n; e++) {
    const kind = KINDS[mem32[i]];
    if (kind) {
      events.push({ type: kind, delta: n === 1 ? text : text.slice(mem32[i + 1], mem32[i + 2]) });
      i += 3;
    } else {
      events.push(value());
    }
  }
}

/** A reply stream's bytes → the events `ChatClient.stream()` yields, for pages with their
 *  own transport. Each chunk is copied once into wasm memory; the events come back as one
 *  text and a table of kinds and offsets, made into objects here: one call into the wasm
 *  per chunk, no JSON for the deltas. */
export class ReplyDecoder {
  #core;
  #room = 0;
  #at = 0;
  #out;

  constructor(provider) {
    this.#core = new ReplyCore(provider);
    this.#out = this.#core.out() >>> 2;
  }

  /** The events this chunk completed, in order. Throws a ChatError on a broken stream. */
  feed(chunk) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('ReplyDecoder.feed takes a Uint8Array');
    const events = [];
    const total = chunk.length;
    let at = 0;
    do {
      const len = Math.min(total - at, SLICE);
      if (len > this.#room) {
        this.#room = Math.max(len, Math.min(SLICE, Math.max(4096, 2 * this.#room)));
        this.#at = this.#core.room(this.#room);
      }
      memory();
      mem8.set(at === 0 && len === total ? chunk : chunk.subarray(at, at + len), this.#at);
      const n = this.#core.decode(len);
      if (n === 0xFFFFFFFF) throw this.#core.error();
      if (n > 0) readEvents(n, this.#out, events);
      at += len;
    } while (at < total);
    return events;
  }

  /** The body ended: the whole reply, or throws an `incomplete` ChatError with `.partial`. */
  end() {
    return this.#core.end();
  }

  free() {
    this.#core.free();
  }
}

export { SseParser, renderMarkdown };

