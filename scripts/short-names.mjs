//! Gives the wasm's imports and exports short names, in the wasm and in the glue alike.
//
// wasm-bindgen names each import `__wbg_<method>_<16 hex digits>` and each closure shim after
// its whole Rust type; every name is written twice (wasm import section, glue's import object)
// and the hashes barely compress. Renaming them `a`, `b`, … measured −3.2 KB gzip over the
// two files (BENCHMARKS.md, "Before and after"). `memory` keeps its name: index.js reads it.
//
// usage: node scripts/short-names.mjs WASM GLUE.js [TYPES.d.ts [SPLIT.wasm …]]
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, gluePath, typesPath, ...splitPaths] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
const GLUE_MODULE = './' + gluePath.split('/').pop().replace(/\.js$/, '_bg.js');
// `rill_settled` and `rill_event` are called by name from host.js and interpreter.js.
const KEEP = new Set(['memory', 'rill_settled', 'rill_event']);

function leb(buf, at) {
  let n = 0, shift = 0, b;
  do { b = buf[at++]; n += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [n, at];
}
function uleb(n) {
  const out = [];
  do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n);
  return Buffer.from(out);
}
const str = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([uleb(b.length), b]); };
function shortName(i) {
  const abc = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (;;) { s = abc[i % 26] + s; i = Math.floor(i / 26) - 1; if (i < 0) return s; }
}
// Skips one import/export descriptor, returning where it ends.
function skipLimits(buf, at) {
  const flags = buf[at++];
  [, at] = leb(buf, at);
  if (flags & 1) [, at] = leb(buf, at);
  return at;
}
function skipImportDesc(buf, at) {
  const kind = buf[at++];
  if (kind === 0) return leb(buf, at)[1];           // function: type index
  if (kind === 1) return skipLimits(buf, at + 1);   // table: reftype, limits
  if (kind === 2) return skipLimits(buf, at);       // memory: limits
  if (kind === 3) return at + 2;                    // global: valtype, mutability
  if (kind === 4) return leb(buf, at + 1)[1];       // tag: attribute, type index
  throw new Error(`short-names: unknown import kind ${kind}`);
}

const imports = new Map(), exports = new Map(), modules = new Map();
/** Import module names (the glue's `./rill_chat_bg.js` and each snippet's
 *  `./snippets/rill-chat-<hash>/src/….js`, written once per import) become one letter too;
 *  the split modules' imports name the first module, which keeps its name. */
let moduleName = (m) => m;

/** The module with its import and export names passed through `name(kind, module, name)`
 *  (`kind` 2 an import, 7 an export); custom sections are dropped when `dropCustom`. */
function rewrite(buf, name, dropCustom) {
  const parts = [buf.subarray(0, 8)];
  let at = 8;
  while (at < buf.length) {
    const id = buf[at];
    let [size, start] = leb(buf, at + 1);
    let body = buf.subarray(start, start + size);
    at = start + size;
    if (id === 0 && dropCustom) continue;
    if (id === 2 || id === 7) {
      let [count, p] = leb(body, 0);
      const out = [uleb(count)];
      for (let k = 0; k < count; k++) {
        let module = null, len;
        if (id === 2) {
          [len, p] = leb(body, p);
          module = body.subarray(p, p + len).toString('utf8');
          p += len;
        }
        [len, p] = leb(body, p);
        const long = body.subarray(p, p + len).toString('utf8');
        p += len;
        const descStart = p;
        p = id === 2 ? skipImportDesc(body, p) : leb(body, p + 1)[1];
        if (id === 2) out.push(str(moduleName(module)));
        out.push(str(name(id, module, long)), body.subarray(descStart, p));
      }
      body = Buffer.concat(out);
    }
    parts.push(Buffer.from([id]), uleb(body.length), body);
  }
  return Buffer.concat(parts);
}

moduleName = (m) => {
  if (m !== GLUE_MODULE && !m.startsWith('./snippets/')) return m;
  if (!modules.has(m)) modules.set(m, shortName(modules.size));
  return modules.get(m);
};
const renamed = rewrite(wasm, (kind, module, name) => {
  if ((kind === 2 && module !== GLUE_MODULE) || KEEP.has(name)) return name;
  const table = kind === 2 ? imports : exports;
  if (!table.has(name)) table.set(name, shortName(table.size));
  return table.get(name);
}, false);

moduleName = (m) => m;
// The split modules (wasm-split-cli's, see src/split.rs) import the first one's stack
// pointer and function table by their export names: renamed the same way. Their name
// sections go too (wasm-bindgen drops the first module's).
for (const splitPath of splitPaths) {
  const split = rewrite(readFileSync(splitPath), (kind, module, name) => {
    if (kind !== 2 || KEEP.has(name)) return name;
    if (!exports.has(name)) throw new Error(`short-names: ${splitPath} imports ${name}, which ${wasmPath} does not export`);
    return exports.get(name);
  }, true);
  writeFileSync(splitPath, split);
}

// A name in the glue is a whole identifier (an object key for imports, `wasm.x` for
// exports); each must be found, or the glue and the wasm no longer agree.
const escape = (s) => s.replace(/[$]/g, '\\$&');
function rename(text, table, file, required, before = '(?<![\\w$])') {
  for (const [long, short] of table) {
    const re = new RegExp(`${before}${escape(long)}(?![\\w$])`, 'g');
    const hits = text.match(re)?.length ?? 0;
    if (required && hits === 0) throw new Error(`short-names: ${long} not found in ${file}`);
    text = text.replace(re, short);
  }
  return text;
}
let glue = readFileSync(gluePath, 'utf8');
glue = rename(glue, imports, gluePath, true);
// The import object's keys: `"./snippets/…/host.js": importN` (one per import; the same
// namespace each time) and `"./rill_chat_bg.js": import0`.
for (const [long, short] of modules) {
  const key = new RegExp(`"${long.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"(?=\\s*:)`, 'g');
  if (!key.test(glue)) throw new Error(`short-names: import module ${long} not found in ${gluePath}`);
  glue = glue.replace(key, JSON.stringify(short));
}
// Exports only as properties of the wasm's exports: `renderMarkdown` is also a JS function.
glue = rename(glue, exports, gluePath, false, '(?<=\\.)');
writeFileSync(gluePath, glue);
if (typesPath) writeFileSync(typesPath, rename(readFileSync(typesPath, 'utf8'), exports, typesPath, false));
writeFileSync(wasmPath, renamed);
console.log(`short-names: ${imports.size} imports, ${exports.size} exports renamed`);
