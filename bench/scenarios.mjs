// One measurement each, run inside a fresh page; every function returns plain numbers.
// The runner calls them A B A B … so both sides see the same machine noise.

/** CDP counters of the renderer (seconds of script / of all main-thread tasks). */
export async function cdpMetrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { script: get('ScriptDuration'), task: get('TaskDuration') };
}

/** Starts recording main-thread tasks over 50 ms (the long-task API's threshold). */
export const watchLongTasks = () => {
  window.benchLong = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.benchLong.push(e.duration); })
    .observe({ type: 'longtask' });
};

/** rill-chat: send, wait for the reply and the layout of the final DOM. */
export const rillReply = async (endpoint) => {
  const el = document.getElementById('chat');
  el.endpoint = endpoint;
  el.clear();
  performance.clearResourceTimings();
  const t0 = performance.now();
  await el.send('go');
  void document.body.offsetHeight; // the final DOM laid out
  const t1 = performance.now();
  await new Promise((r) => setTimeout(r, 50)); // resource timing entries arrive a task later
  const fetchEntry = performance.getEntriesByType('resource').find((e) => e.name.includes('/v1/chat/completions'));
  const words = el.shadowRoot.querySelector('.msg.assistant .body').textContent.split(/\s+/).filter(Boolean).length;
  return { total: t1 - t0, afterLastByte: fetchEntry ? t1 - fetchEntry.responseEnd : null, longest: Math.max(0, ...window.benchLong), words };
};

/** deep-chat (recipe A): submit, wait for the AI `message` event and the layout. */
export const deepChatReply = async () => {
  const chat = document.getElementById('chat');
  performance.clearResourceTimings();
  const done = new Promise((resolve) => {
    const on = (e) => { if (e.detail?.message?.role === 'ai') { chat.removeEventListener('message', on); resolve(); } };
    chat.addEventListener('message', on);
  });
  const t0 = performance.now();
  chat.submitUserMessage({ text: 'go' });
  await done;
  void document.body.offsetHeight; // the final DOM laid out
  const t1 = performance.now();
  await new Promise((r) => setTimeout(r, 50)); // resource timing entries arrive a task later
  const fetchEntry = performance.getEntriesByType('resource').find((e) => e.name.includes('/v1/chat/completions'));
  const bubbles = chat.shadowRoot.querySelectorAll('.ai-message-text');
  const words = (bubbles[bubbles.length - 1]?.textContent ?? '').split(/\s+/).filter(Boolean).length;
  return { total: t1 - t0, afterLastByte: fetchEntry ? t1 - fetchEntry.responseEnd : null, longest: Math.max(0, ...window.benchLong), words };
};

/** A conversation of `turns` user messages with short replies (2 × turns messages). */
export const rillConversation = async ({ endpoint, turns }) => {
  const el = document.getElementById('chat');
  el.endpoint = endpoint;
  for (let i = 0; i < turns; i++) await el.send(`question ${i}`);
  return el.shadowRoot.querySelectorAll('.msg').length;
};

export const deepChatConversation = async ({ turns }) => {
  const chat = document.getElementById('chat');
  for (let i = 0; i < turns; i++) {
    const done = new Promise((resolve) => {
      const on = (e) => { if (e.detail?.message?.role === 'ai') { chat.removeEventListener('message', on); resolve(); } };
      chat.addEventListener('message', on);
    });
    chat.submitUserMessage({ text: `question ${i}` });
    await done;
  }
  return chat.getMessages().length;
};

/** 20 MB of chat-completions chunks (the stream of ../shared/research/sse.md §5), split into
 *  64 KiB chunks or 64–136 byte chunks (fixed-seed PRNG), built once per page. */
export const makeDecodeInput = () => {
  const line = 'data: {"id":"chatcmpl-x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"tok"},"finish_reason":null}]}\n\n';
  const n = 129033;
  const enc = new TextEncoder();
  const one = enc.encode(line);
  const done = enc.encode('data: [DONE]\n\n');
  const all = new Uint8Array(one.length * n + done.length);
  for (let i = 0; i < n; i++) all.set(one, i * one.length);
  all.set(done, one.length * n);
  const big = [];
  for (let i = 0; i < all.length; i += 65536) big.push(all.subarray(i, i + 65536));
  let seed = 42;
  const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
  const small = [];
  for (let i = 0; i < all.length;) { const len = 64 + Math.floor(rand() * 73); small.push(all.subarray(i, i + len)); i += len; }
  window.benchInput = { bytes: all.length, big, small, events: n };
  return all.length;
};

/** Both return the text length they decoded (rill-chat merges the deltas of one chunk). */
export const decodeRill = (size) => {
  const chunks = window.benchInput[size];
  const t0 = performance.now();
  const d = new window.rill.ReplyDecoder('openai');
  let deltas = 0;
  for (const c of chunks) for (const ev of d.feed(c)) if (ev.type === 'text') deltas += ev.delta.length;
  d.end();
  d.free();
  return { ms: performance.now() - t0, deltas };
};

export const decodeEsp = (size) => {
  const chunks = window.benchInput[size];
  const t0 = performance.now();
  const text = new TextDecoder();
  let deltas = 0;
  const parser = window.createParser({
    onEvent(e) {
      if (e.data === '[DONE]') return;
      const content = JSON.parse(e.data).choices[0]?.delta?.content;
      if (content) deltas += content.length;
    },
  });
  for (const c of chunks) parser.feed(text.decode(c, { stream: true }));
  return { ms: performance.now() - t0, deltas };
};
