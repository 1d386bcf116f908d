// Turns bench/results.json into BENCHMARKS.md. The hand-written "Before and after" section
// of the previous file is carried over unchanged, and so is every measured section this run
// has no results for (`BENCH_ONLY=size` on a machine without an earlier results.json), with
// its date.

const KB = (n) => (n == null ? '—' : `${(n / 1000).toFixed(1)} KB`);
const ms = (n) => (n == null ? '—' : n >= 10000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const x = (a, b) => (a == null || b == null || a === 0 ? '—' : `${(b / a).toFixed(1)}×`);

export function render(r, { machine, chromium, node, median, previous }) {
  const out = [];
  // A kind a run left out (`BENCH_KINDS=rill`) has no rows: its cells are "—".
  const med = (rows, key) => (rows ? median(rows.map((row) => row[key])) : null);
  const section = (title) => {
    const at = previous.indexOf(`\n## ${title}\n`);
    if (at < 0) return null;
    const end = previous.indexOf('\n## ', at + 1);
    return previous.slice(at + 1, end < 0 ? undefined : end).trimEnd();
  };
  const carry = (title) => {
    const kept = section(title);
    if (kept) out.push(kept, '');
  };
  // The previous file's section dates, for the sections carried over.
  const prevDates = Object.fromEntries((previous.match(/\(sections: (.*) UTC\)/)?.[1] ?? '').split(', ')
    .map((e) => e.split(' ')).filter((e) => e.length === 3).map(([k, d, t]) => [k, `${d} ${t}`]));
  out.push('# Benchmarks', '');
  out.push('Reproduce with `make bench` (installs the pinned anchors from `bench/package.json`, builds',
    '`pkg/`, runs `bench/run.mjs`). Everything runs in one headless Chromium on loopback against',
    "the bench's own server (`bench/server.mjs`); the sides alternate A B A B and each cell is the",
    `median of ${r.runs} runs from one run of the command. This machine is shared and noisy: read ratios, not milliseconds.`, '');
  const fresh = Object.fromEntries(Object.entries(r.dates ?? {}).map(([k, d]) => [k, d.slice(0, 16).replace('T', ' ')]));
  const dates = ['size', 'burst', 'pace', 'decode', 'startup'].filter((k) => fresh[k] ?? prevDates[k])
    .map((k) => `${k} ${fresh[k] ?? prevDates[k]}`).join(', ');
  out.push(`- Date: ${r.date}${dates ? ` (sections: ${dates} UTC)` : ''}`, `- Machine: ${machine}`, `- Chromium ${chromium}, Node ${node}`,
    '- Anchors: deep-chat 2.4.2 (recipe A of `../shared/research/deep-chat.md`), eventsource-parser 4.1.3', '');

  if (r.size) {
    const { rill, wasm, deepChat, math } = r.size;
    out.push('## Size', '', 'What a page fetches from `pkg/` to import the package, mount `<rill-chat>` and show its first',
      'markdown reply with code, taken from the page\'s own requests (`tests/e2e/first-reply.mjs`, also the',
      'size-budget test); gzip and brotli per file, as a server sends them. The CSS is inside the wasm.', '');
    out.push('| | raw | gzip -9 | brotli -q 11 |', '|---|---:|---:|---:|');
    out.push(`| rill-chat, first reply: everything fetched | ${KB(rill.raw)} | **${KB(rill.gzip)}** | ${KB(rill.brotli)} |`);
    for (const f of rill.files ?? []) out.push(`| … \`${f.path.replace(/^snippets\/[^/]+\//, 'snippets/…/')}\` | ${KB(f.raw)} | ${KB(f.gzip)} | ${KB(f.brotli)} |`);
    if (math) {
      out.push(`| rill-chat, first reply with math: everything fetched | ${KB(math.raw)} | **${KB(math.gzip)}** | ${KB(math.brotli)} |`);
      for (const f of math.files ?? []) if (f.path.includes('math')) out.push(`| … \`${f.path}\` (the converter, fetched with the first formula) | ${KB(f.raw)} | ${KB(f.gzip)} | ${KB(f.brotli)} |`);
    }
    out.push(`| deep-chat \`dist/deepChat.bundle.js\` | ${KB(deepChat.raw)} | ${KB(deepChat.gzip)} | ${KB(deepChat.brotli)} |`);
    out.push(`| deep-chat / rill-chat | ${x(rill.raw, deepChat.raw)} | ${x(rill.gzip, deepChat.gzip)} | ${x(rill.brotli, deepChat.brotli)} |`, '');
    out.push(`Goal ≤ 64 KB gzip: ${rill.gzip <= 64000 ? '**met**' : `**not met** (${KB(rill.gzip)}; see "Before and after")`}.`);
    if (math) {
      const added = math.gzip - rill.gzip;
      out.push(`With math ≤ the first-reply budget + 20 KB (84 KB): ${math.gzip <= 84000 ? '**met**' : `**not met** (${KB(math.gzip)})`}; the converter adds ${KB(added)} (≤ 20 KB: ${added <= 20000 ? '**met**' : '**not met**'}).`);
    }
    out.push('');
  } else carry('Size');

  if (r.burst) {
    out.push('## Burst render', '', '8,000 words of markdown (headings, lists, code, tables), one word per SSE event, sent at once.',
      'Total = request to the final DOM laid out; after last byte = from the response\'s `responseEnd` to that point;',
      'longest task = the longest main-thread task the Long Tasks API saw (it reports tasks over 50 ms; 0 = none);',
      'script = CDP ScriptDuration during the run (it misses most of deep-chat\'s work, which runs in one',
      'long task: read its longest task instead).', '');
    out.push('| | total | after last byte | longest task | script | vs rill-chat (total) |', '|---|---:|---:|---:|---:|---:|');
    const base = med(r.burst.rill, 'total');
    for (const [kind, rows] of Object.entries(r.burst)) {
      const timedOut = rows.filter((row) => row.timedOut).length;
      const note = timedOut ? ` (${timedOut} of ${rows.length} runs cut at the time limit)` : '';
      out.push(`| ${kind}${note} | ${ms(med(rows, 'total'))} | ${ms(med(rows, 'afterLastByte'))} | ${ms(med(rows, 'longest'))} | ${ms(med(rows, 'script'))} | ${kind === 'rill' ? '1×' : x(base, med(rows, 'total'))} |`);
    }
    const rillAfter = med(r.burst.rill, 'afterLastByte');
    const partial = med(r.burst['deep-chat partialRender'], 'total');
    out.push('', `Goals: ≤ 0.25 s after the last byte — ${rillAfter != null && rillAfter <= 250 ? '**met**' : '**not met**'} (${ms(rillAfter)});`,
      `≥ 10× faster than deep-chat with partialRender — ${base && partial && partial / base >= 10 ? '**met**' : '**not met**'} (${x(base, partial)});`,
      `no task over 50 ms — ${med(r.burst.rill, 'longest') === 0 ? '**met**' : `**not met** (${ms(med(r.burst.rill, 'longest'))})`}.`, '');
  } else carry('Burst render');

  if (r.pace) {
    out.push('## Real pace', '', `2,000 words at 56 tokens/s (about 36 s). Busy share = main-thread task time (CDP TaskDuration) / wall time.`, '');
    out.push('| | wall | main thread busy | busy share | script |', '|---|---:|---:|---:|---:|');
    for (const [kind, rows] of Object.entries(r.pace)) {
      const share = median(rows.map((row) => (row.total ? row.busy / row.total : null)));
      out.push(`| ${kind} | ${ms(med(rows, 'total'))} | ${ms(med(rows, 'busy'))} | ${share == null ? '—' : `${(share * 100).toFixed(2)} %`} | ${ms(med(rows, 'script'))} |`);
    }
    out.push('');
  } else carry('Real pace');

  if (r.decode) {
    const mb = r.decode.bytes / 1e6;
    out.push('## Decode throughput', '', `${mb.toFixed(1)} MB of chat-completions chunks (129,033 events) in the page: rill-chat's`,
      '`ReplyDecoder` (each chunk copied once into wasm memory, SSE parser + OpenAI decoder there, the events read back as JS objects from one text and a table) against eventsource-parser',
      '+ `TextDecoder` + `JSON.parse` of every event. Both yield the same 387,099 characters of text (rill-chat',
      'merges the consecutive deltas of one chunk into one event, as its stream API does).', '');
    out.push('| chunks | rill-chat | eventsource-parser + JSON.parse | rill-chat / eventsource-parser |', '|---|---:|---:|---:|');
    for (const [size, label] of [['big', '64 KiB'], ['small', '64–136 B']]) {
      const a = median(r.decode[size].rill);
      const b = median(r.decode[size].esp);
      out.push(`| ${label} | ${(mb / (a / 1000)).toFixed(0)} MB/s (${ms(a)}) | ${(mb / (b / 1000)).toFixed(0)} MB/s (${ms(b)}) | ${(b / a).toFixed(2)}× |`);
    }
    out.push('', 'Goal: at least 2× in both chunkings.', '');
  } else carry('Decode throughput');

  if (r.startup) {
    out.push('## Start-up and memory', '', 'Start-up: module import started → the element ready to type in (rill-chat: `ready` and the',
      "shadow DOM built; deep-chat: defined and its `render` event). Memory: after a 200-message conversation (100",
      'questions, 60-word answers) and a forced GC: CDP `Runtime.getHeapUsage` for the JS heap, plus for',
      "rill-chat the size of the wasm's linear memory (it only grows; it holds the conversation and the",
      'allocator\'s free space).', '');
    out.push('| | start-up | JS heap | wasm linear memory | JS heap + wasm |', '|---|---:|---:|---:|---:|');
    for (const [key, label] of [['rill', 'rill-chat'], ['deepChat', 'deep-chat']]) {
      const heap = median(r.memory[key].map((m) => m.jsHeap));
      const wasm = median(r.memory[key].map((m) => m.wasm ?? 0));
      out.push(`| ${label} | ${ms(median(r.startup[key]))} | ${KB(heap)} | ${wasm ? KB(wasm) : '—'} | ${KB(heap + wasm)} |`);
    }
    out.push('');
  } else carry('Start-up and memory');

  const marker = '## Before and after';
  const kept = previous.includes(marker) ? previous.slice(previous.indexOf(marker)) : `${marker}\n\n(none yet)\n`;
  out.push(kept.trimEnd(), '');
  return out.join('\n');
}
