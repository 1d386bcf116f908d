// The bench's own loopback server: the pages, rill-chat's pkg/, the pinned anchors from
// node_modules, and an OpenAI-style chat-completions endpoint whose reply is a synthetic
// markdown document streamed one word per SSE event, at once or at a given pace.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const roots = {
  // BENCH_PKG: another build of pkg/ (to try a change while a run uses pkg/).
  '/pkg/': process.env.BENCH_PKG ?? path.join(here, '../pkg'),
  '/node_modules/': path.join(here, 'node_modules'),
  '/pages/': path.join(here, 'pages'),
};
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

/** A markdown reply of `words` words that uses what chat answers use: headings, paragraphs
 *  with emphasis and code, lists, fenced code, tables. Deterministic. */
export function markdownWords(words) {
  const vocab = ['stream', 'render', 'token', 'parser', 'widget', 'browser', 'frame', 'reply', 'buffer', 'event',
    'markdown', 'latency', 'layout', 'memory', 'quick', 'careful', 'model', 'answer', 'simple', 'table'];
  const out = [];
  let n = 0;
  let section = 0;
  const word = () => vocab[(n * 7 + section * 3) % vocab.length];
  const push = (w, sep = ' ') => { out.push(w + sep); n++; };
  while (n < words) {
    section++;
    push('##'); push('Section'); push(String(section), '\n\n');
    for (let p = 0; p < 2 && n < words; p++) {
      for (let i = 0; i < 40 && n < words; i++) {
        const w = word();
        push(i % 11 === 3 ? `**${w}**` : i % 13 === 5 ? `\`${w}\`` : w, i === 39 ? '.\n\n' : ' ');
      }
    }
    for (let i = 0; i < 4 && n < words; i++) {
      push('-'); push(word()); push(word()); push(word(), '\n');
    }
    out.push('\n');
    push('```js\nconst', ' '); push(`${word()}`); push('=', ' '); push(`${section};`, '\n```\n\n');
    push('|'); push('name'); push('|'); push('value'); push('|', '\n');
    push('|---|---|', '\n');
    for (let i = 0; i < 3 && n < words; i++) { push('|'); push(word()); push('|'); push(String(i)); push('|', '\n'); }
    out.push('\n');
  }
  return out;
}

function sseBody(pieces) {
  const chunks = [];
  chunks.push(`data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`);
  for (const p of pieces) {
    chunks.push(`data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench', choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`);
  }
  chunks.push(`data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
  chunks.push('data: [DONE]\n\n');
  return chunks;
}

function completions(req, res, url) {
  const words = Number(url.searchParams.get('words') ?? 50);
  const tps = Number(url.searchParams.get('tps') ?? 0);
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
    // `math=1`: a paragraph with inline and display math first (the size section's second row).
    const math = url.searchParams.get('math') ? ['The roots are $x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}$ and\n\n', '$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$\n\n'] : [];
    const chunks = sseBody([...math, ...markdownWords(words)]);
    if (!tps) {
      res.end(chunks.join(''));
      return;
    }
    // Paced: the first and last chunks go with their neighbours; one word per 1/tps s.
    let i = 0;
    const started = Date.now();
    const tick = () => {
      const due = Math.min(chunks.length, Math.floor(((Date.now() - started) / 1000) * tps) + 2);
      if (due > i) { res.write(chunks.slice(i, due).join('')); i = due; }
      if (i >= chunks.length) res.end(); else setTimeout(tick, 5);
    };
    tick();
  });
}

export function startServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST' });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') return completions(req, res, url);
    const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p));
    const file = prefix && path.join(roots[prefix], path.normalize(url.pathname.slice(prefix.length)));
    if (!file || !file.startsWith(roots[prefix]) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}
