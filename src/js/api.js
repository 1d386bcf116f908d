// rill-chat's JS API behind `ChatClient` and `ReplyDecoder` (src/js/index.js holds their
// public shells): fetched by `ready`, with the second wasm module, so a page that only uses
// <rill-chat> never loads it. Minified into pkg/api.js by scripts/build.sh.

/** What the entry gives: the wasm's JS API exports (src/bindings.rs) and its memory. */
let call, replyRoom, replyOut, replyDecode, wasmMemory;

/** The classes, once given what they need. */
export function install(deps) {
  ({ api: call, replyRoom, replyOut, replyDecode, memory: wasmMemory } = deps);
  return { ChatClient, ReplyDecoder, SseParser, renderMarkdown: (text) => call(OP.render, 0, String(text)) };
}

/** `api`'s calls, as src/bindings.rs numbers them (`Op`). */
const OP = { sseNew: 0, sseFeed: 1, sseEnd: 2, sseRetry: 3, replyNew: 4, replyError: 5, replyEnd: 6, chatNew: 7, chatRun: 8, free: 9, render: 10 };
/** A handle the wasm made is given back when its object is collected, unless freed before. */
const owned = new FinalizationRegistry((handle) => call(OP.free, handle));
function own(object, handle) {
  owned.register(object, handle, object);
  return handle;
}
function release(object, handle) {
  if (handle) {
    owned.unregister(object);
    call(OP.free, handle);
  }
  return 0;
}
function live(handle) {
  if (!handle) throw new Error('rill-chat: this object was freed');
  return handle;
}

/** A chat client for an OpenAI-compatible or Anthropic Messages endpoint. */
class ChatClient {
  #core;

  constructor(options) {
    this.#core = own(this, call(OP.chatNew, 0, options)); // invalid options throw now
  }

  /** Streams the reply as events; breaking out of the loop aborts the request. */
  async *stream({ messages, signal } = {}) {
    const run = (request, onEvents) => call(OP.chatRun, this.#core, request, onEvents);
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
    run({ messages, signal: controller.signal, stream: true }, (n, out) => { readEvents(n, out >>> 2, queue); notify(); })
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
    return call(OP.chatRun, this.#core, { messages, signal, stream }, null);
  }
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
    mem8 = new Uint8Array(wasmMemory().buffer);
    mem32 = new Uint32Array(wasmMemory().buffer);
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
class ReplyDecoder {
  #core;
  #room = 0;
  #at = 0;
  #out;

  constructor(provider) {
    this.#core = own(this, call(OP.replyNew, 0, String(provider)));
    this.#out = replyOut(this.#core) >>> 2;
  }

  /** The events this chunk completed, in order. Throws a ChatError on a broken stream. */
  feed(chunk) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('ReplyDecoder.feed takes a Uint8Array');
    const events = [];
    const core = live(this.#core);
    const total = chunk.length;
    let at = 0;
    do {
      const len = Math.min(total - at, SLICE);
      if (len > this.#room) {
        this.#room = Math.max(len, Math.min(SLICE, Math.max(4096, 2 * this.#room)));
        this.#at = replyRoom(core, this.#room);
      }
      memory();
      mem8.set(at === 0 && len === total ? chunk : chunk.subarray(at, at + len), this.#at);
      const n = replyDecode(core, len);
      if (n === 0xFFFFFFFF) throw call(OP.replyError, core);
      if (n > 0) readEvents(n, this.#out, events);
      at += len;
    } while (at < total);
    return events;
  }

  /** The body ended: the whole reply, or throws an `incomplete` ChatError with `.partial`. */
  end() {
    return call(OP.replyEnd, live(this.#core));
  }

  free() {
    this.#core = release(this, this.#core);
  }
}

/** The spec-exact SSE parser, for pages that bring their own transport. */
class SseParser {
  #p = own(this, call(OP.sseNew));

  /** The events this chunk completed, as `[{event, data, id}]`. */
  feed(chunk) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('SseParser.feed takes a Uint8Array');
    return call(OP.sseFeed, live(this.#p), chunk);
  }

  /** End of stream: drops an unfinished event. */
  end() { call(OP.sseEnd, live(this.#p)); }

  /** The last valid `retry` value in milliseconds, or null. */
  get retry() { return call(OP.sseRetry, live(this.#p)); }

  free() { this.#p = release(this, this.#p); }
}
