// rill-chat: the public entry, minified into pkg/index.js by scripts/build.sh. Importing
// starts the wasm download once, exports `ready`, and defines <rill-chat> when the page has
// custom elements and the name is still free.
// Importing in Node (SSR, tests) never throws: the wasm is read from disk there.
// `compileWasm` and the glue's own two steps (exported by scripts/build.sh) instead of the
// glue's `init`, whose fetching and fallbacks repeat what host.js does for the split modules.
import {
  api as call, widget, replyRoom, replyOut, replyDecode, preload, compileWasm,
  __wbg_get_imports as imports, __wbg_finalize_init as finish,
} from './rill_chat.js';

async function start() {
  const module = await compileWasm('rill_chat_bg.wasm');
  wasm = finish(await WebAssembly.instantiate(module, imports()), module);
}

/** The JS API's own code (`api.js`), once `ready` has loaded it and the second module (a
 *  ChatClient then checks its options at once). */
let api = null;
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
    whole ??= first.then(() => Promise.all([preload(), import('./api.js')])).then(([, code]) => {
      api ??= code.install({ api: call, replyRoom, replyOut, replyDecode, memory: () => wasm.memory });
    }, (err) => { whole = null; throw err; });
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

/** A chat client for an OpenAI-compatible or Anthropic Messages endpoint. Its code is in
 *  `api.js`, which `ready` loads; until then the options wait here. */
export class ChatClient {
  #options;
  #impl = null;

  constructor(options = {}) {
    this.#options = { ...options };
    if (api) this.#impl = new api.ChatClient(this.#options); // invalid options throw now
  }

  async #get() {
    await ready;
    return (this.#impl ??= new api.ChatClient(this.#options));
  }

  /** Streams the reply as events; breaking out of the loop aborts the request. */
  async *stream(request) {
    yield* (await this.#get()).stream(request);
  }

  /** The whole reply; streams under the hood unless `stream: false`. */
  async complete(request) {
    return (await this.#get()).complete(request);
  }
}

const OPTION_PROPERTIES = ['endpoint', 'provider', 'apiKey', 'headers', 'model', 'maxTokens', 'temperature', 'topP',
  'topK', 'stopSequences', 'frequencyPenalty', 'system', 'metadata', 'thinking', 'tools', 'toolChoice', 'toolFormat',
  'includeUsage', 'timeoutMs', 'idleTimeoutMs', 'retries', 'maxToolRounds'];
const ATTRIBUTES = ['endpoint', 'provider', 'model', 'system'];
/** The element's calls into the wasm (src/bindings.rs `widget`). */
const W = { make: 0, send: 1, regenerate: 2, stop: 3, clear: 4, refreshStrings: 5, syncOpen: 6, free: 7 };
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
  /** The wasm side's handle (src/bindings.rs `widget`), 0 until made. */
  #widget = 0;
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
        widget(W.free, this.#widget);
        this.#widget = 0;
      }
    });
  }

  attributeChangedCallback(name) {
    if (name === 'open' && this.#widget) widget(W.syncOpen, this.#widget);
  }

  #ensureWidget() {
    this.#widget ||= widget(W.make, 0, this, () => this.#options());
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
      widget(W.refreshStrings, this.#widget);
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
    return widget(W.send, this.#ensureWidget(), String(text ?? ''), images ? Array.from(images, String) : undefined);
  }

  /** Asks again for the last reply; resolves with the new one. */
  async regenerate() {
    await first;
    return widget(W.regenerate, this.#ensureWidget());
  }

  stop() { if (this.#widget) widget(W.stop, this.#widget); }

  clear() { if (this.#widget) widget(W.clear, this.#widget); }

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

/** A reply stream's bytes → the events `ChatClient.stream()` yields, for pages with their
 *  own transport (after `await ready`, which loads its code: `api.js`). */
/** The JS API's code, or the error of using it before `ready`. */
function need() {
  if (!api) throw new ChatError('rill-chat is not ready: `await ready` before using the JS API');
  return api;
}

export class ReplyDecoder {
  #impl;

  constructor(provider) {
    this.#impl = new (need().ReplyDecoder)(provider);
  }

  /** The events this chunk completed, in order. Throws a ChatError on a broken stream. */
  feed(chunk) { return this.#impl.feed(chunk); }

  /** The body ended: the whole reply, or throws an `incomplete` ChatError with `.partial`. */
  end() { return this.#impl.end(); }

  free() { this.#impl.free(); }
}

export class SseParser {
  #impl = new (need().SseParser)();

  /** The events this chunk completed, in order. Throws a ChatError on an over-long line. */
  feed(chunk) { return this.#impl.feed(chunk); }

  /** End of stream: drops an unfinished event. */
  end() { this.#impl.end(); }

  /** The last valid `retry` value in milliseconds, or null. */
  get retry() { return this.#impl.retry; }

  free() { this.#impl.free(); }
}

/** Markdown → safe HTML string, with the renderer the element uses. */
export function renderMarkdown(text) {
  return need().renderMarkdown(text);
}

