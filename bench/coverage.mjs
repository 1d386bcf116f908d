// Which of the first module's functions a first reply runs, and what the rest weighs: the
// floor that moving code into split modules can reach, and what would have to shrink instead.
//
// usage (after `make build`): node bench/coverage.mjs [--no-delay] [--message TEXT] [--detail N]
//
// The first module is taken with its function names (`target/ship/named-main.wasm`, saved by
// scripts/build.sh before wasm-opt), optimized with the build's own wasm-opt flags but names
// kept, and checked to have the shipped code section's size. Every function then sets a
// global of its own on entry (binaryen.js); the demo page, served from a copy of pkg/ with
// that wasm, sends one message the way the size test does, and the globals say which ran.
// Sizes are of function bodies: "ran" gzip is the bodies that ran compressed alone; "did not
// run" is what leaving them out saves from the code section's gzip (its marginal cost).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const { default: binaryen } = await import(path.join(root, 'scripts/node_modules/binaryen/index.js'));
const { startDevserver, launchChromium } = await import(path.join(root, 'tests/e2e/helpers.mjs'));

const args = process.argv.slice(2);
const flag = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
const noDelay = args.includes('--no-delay');
const message = flag('--message', 'hello');
const detail = Number(flag('--detail', 0));

const named = path.join(root, 'target/ship/named-main.wasm');
const shipped = path.join(root, 'pkg/rill_chat_bg.wasm');
if (!fs.existsSync(named)) throw new Error(`${named} is missing: run make build first`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rill-coverage-'));
const wasmOpt = path.join(root, 'scripts/node_modules/.bin/wasm-opt');
const features = execFileSync(wasmOpt, [shipped, '--print-features'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter(Boolean);
execFileSync(wasmOpt, ['-g', '-Os', '--flexible-inline-max-function-size=0', '--one-caller-inline-max-function-size=25',
  '--converge', '--low-memory-unused', ...features, named, '-o', path.join(tmp, 'named.wasm')]);

/** Sections of a wasm: function bodies (defined functions, in order) and function names. */
function read(buf) {
  let p = 8;
  const leb = () => { let r = 0, s = 0, x; do { x = buf[p++]; r += (x & 127) * 2 ** s; s += 7; } while (x & 128); return r; };
  let imported = 0, code = 0;
  const bodies = [], names = new Map();
  while (p < buf.length) {
    const id = buf[p++], len = leb(), end = p + len;
    if (id === 2) {
      for (let n = leb(), i = 0; i < n; i++) {
        const ml = leb(); p += ml;
        const fl = leb(); p += fl;
        const kind = buf[p++];
        if (kind === 0) { leb(); imported++; } else if (kind === 1) { p++; if (buf[p++] & 1) { leb(); } leb(); }
        else if (kind === 2) { if (buf[p++] & 1) { leb(); } leb(); } else if (kind === 3) p += 2;
      }
    } else if (id === 10) {
      code = len;
      for (let n = leb(), i = 0; i < n; i++) { const l = leb(); bodies.push(buf.subarray(p, p + l)); p += l; }
    } else if (id === 0) {
      const nl = leb(); const name = buf.subarray(p, p + nl).toString(); p += nl;
      while (name === 'name' && p < end) {
        const sub = buf[p++], sl = leb(), se = p + sl;
        if (sub === 1) for (let n = leb(), i = 0; i < n; i++) { const idx = leb(), l = leb(); names.set(idx, buf.subarray(p, p + l).toString()); p += l; }
        p = se;
      }
    }
    p = end;
  }
  return { bodies, code, name: (i) => names.get(i + imported) ?? `#${i}` };
}
const mod = read(fs.readFileSync(path.join(tmp, 'named.wasm')));
const ship = read(fs.readFileSync(shipped));
if (mod.code !== ship.code || mod.bodies.length !== ship.bodies.length) {
  console.warn(`coverage: the named build's code section (${mod.code} B, ${mod.bodies.length} functions) differs from pkg/'s (${ship.code} B, ${ship.bodies.length}): rebuild`);
}

// Instrument: global `cN` set to 1 on entry of the Nth defined function.
const m = binaryen.readBinary(fs.readFileSync(path.join(tmp, 'named.wasm')));
const F = binaryen.Features;
m.setFeatures(F.MutableGlobals | F.SignExt | F.BulkMemory | F.BulkMemoryOpt | F.ReferenceTypes | F.Multivalue
  | F.NontrappingFPToInt | F.CallIndirectOverlong);
let defined = 0;
for (let i = 0; i < m.getNumFunctions(); i++) {
  const f = m.getFunctionByIndex(i);
  const info = binaryen.getFunctionInfo(f);
  if (info.module) continue;
  const g = `c${defined++}`;
  m.addGlobal(g, binaryen.i32, true, m.i32.const(0));
  m.addGlobalExport(g, g);
  binaryen.Function.setBody(f, m.block(null, [m.global.set(g, m.i32.const(1)), info.body], info.results));
}
const pkg = path.join(tmp, 'pkg');
fs.cpSync(path.join(root, 'pkg'), pkg, { recursive: true });
fs.writeFileSync(path.join(pkg, 'rill_chat_bg.wasm'), m.emitBinary());

const server = await startDevserver(['--pkg', pkg, ...(noDelay ? ['--no-delay'] : [])]);
const browser = await launchChromium();
let ran;
try {
  const page = await (await browser.newContext()).newPage();
  await page.addInitScript(() => {
    const seen = (window.__rillInstances = []);
    const wrap = (orig) => async function (...a) { const r = await orig.apply(this, a); seen.push(r.instance ?? r); return r; };
    WebAssembly.instantiateStreaming = wrap(WebAssembly.instantiateStreaming);
    WebAssembly.instantiate = wrap(WebAssembly.instantiate);
  });
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('rill-chat')?.shadowRoot?.querySelector('.frame'));
  await page.evaluate(async (text) => {
    const el = document.getElementById('chat') ?? document.querySelector('rill-chat');
    await el.send(text);
    await new Promise((r) => setTimeout(r, 300));
  }, message);
  ran = await page.evaluate((n) => {
    const e = window.__rillInstances.find((i) => i.exports?.c0).exports;
    return Array.from({ length: n }, (_, k) => e[`c${k}`].value === 1);
  }, defined);
} finally {
  await browser.close();
  server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}

// Grouped by module path: the identifiers after `rill_chat` in a v0-mangled name
// (`…9rill_chat8markdown7inlines5parse…`), or the crate for other code.
function group(raw) {
  const ids = [...raw.matchAll(/(\d+)([A-Za-z_][A-Za-z0-9_]*)/g)].map(([, n, s]) => s.slice(0, Number(n)));
  const at = ids.indexOf('rill_chat');
  if (at < 0) return ids[0] ?? raw.slice(0, 20);
  return ids.slice(at + 1, at + 3).filter((s) => /^[a-z_]+$/.test(s)).join('::') || 'rill_chat';
}
// wasm-bindgen writes the names demangled (`rill_chat[hash]::markdown::…`); v0-mangled ones
// are read as above.
const groupOf = (name) => {
  const d = name.replace(/\[[0-9a-f]{16}\]/g, '');
  const at = d.match(/(?:^|[<\s])(rill_chat|[a-z_]+)::((?:[a-z_]+::)*)/);
  if (!at) return group(name);
  return at[1] === 'rill_chat' ? at[2].split('::').filter(Boolean).slice(0, 2).join('::') || 'rill_chat' : at[1];
};
const gz = (parts) => zlib.gzipSync(Buffer.concat(parts), { level: 9 }).length;
const yes = mod.bodies.filter((_, i) => ran[i]);
const no = mod.bodies.filter((_, i) => !ran[i]);
const raw = (parts) => parts.reduce((n, b) => n + b.length, 0);
const all = gz(mod.bodies);
console.log(`first reply ("${message}", ${noDelay ? 'no delay' : 'streamed at the demo pace'}): ${yes.length} of ${mod.bodies.length} functions ran`);
console.log(`code section: ${raw(mod.bodies)} B raw, ${all} B gzip`);
console.log(`ran:          ${raw(yes)} B raw, ${gz(yes)} B gzip alone`);
console.log(`did not run:  ${raw(no)} B raw, ${all - gz(yes)} B gzip marginal`);
for (const [label, which] of [['ran', true], ['did not run', false]]) {
  const groups = new Map();
  mod.bodies.forEach((b, i) => {
    if (ran[i] !== which) return;
    const k = groupOf(mod.name(i));
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push([b.length, mod.name(i)]);
  });
  console.log(`\n${label}, raw bytes by module:`);
  const total = (v) => v.reduce((n, r) => n + r[0], 0);
  for (const [k, v] of [...groups].sort((a, b) => total(b[1]) - total(a[1])).slice(0, 30)) {
    console.log(`${String(total(v)).padStart(8)}  ${k}`);
    for (const [n, name] of v.sort((a, b) => b[0] - a[0]).slice(0, detail)) console.log(`${String(n).padStart(14)}  ${name.replace(/\[[0-9a-f]{16}\]/g, '').slice(0, 140)}`);
  }
}
