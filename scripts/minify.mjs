// Minifies the shipped JS: `node scripts/minify.mjs FILE…` rewrites files in place (the
// bundle of src/js/index.js, the wasm-bindgen glue and its snippets), and `SRC:OUT` writes a
// source elsewhere. Only local names are mangled: exports, the import names the wasm looks up
// (object keys) and class names stay. Measured: glue 9.9 → 7.1 KB gzip -9, index.js 3.4 →
// 2.1 KB (BENCHMARKS.md, "Size").
import fs from 'node:fs';
import { minify } from 'terser';

for (const arg of process.argv.slice(2)) {
  const [from, to = from] = arg.split(':');
  const source = fs.readFileSync(from, 'utf8');
  const out = await minify(source, { module: true, compress: { passes: 2 }, mangle: true, keep_classnames: true, format: { comments: false } });
  if (!out.code) throw new Error(`terser produced nothing for ${from}`);
  fs.writeFileSync(to, out.code);
  console.log(`minify: ${to} ${source.length} B → ${out.code.length} B`);
}
