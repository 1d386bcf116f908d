#!/usr/bin/env bash
# Builds the npm package in pkg/: release wasm → wasm-bindgen --target web → minified JS.
set -euo pipefail
cd "$(dirname "$0")/.."
# RILL_CUT=highlight: the measurement build of bench/highlight-size.sh (no highlighter), in a
# target dir and an output dir of its own; pkg/ is left as it is.
cargo_features=ship ship_dir=target/ship out=pkg
if [ "${RILL_CUT:-}" = highlight ]; then
  cargo_features=ship,cut-highlight ship_dir=target/ship-cut out=target/cut-pkg
  mkdir -p "$out"
fi
# core and alloc are rebuilt for the wasm with the pinned nightly (scripts/ship-toolchain):
# `immediate-abort` makes every panic a bare trap (no message, no location, no formatting
# code), and `{:?}` formats to nothing. Measured: 129,011 → 117,919 B gzip (BENCHMARKS.md;
# core's `optimize_for_size` saved 0.3 KB more but the real-pace busy share went up: not used).
# Its own target dir, so the stable builds of the tests keep theirs.
# `--emit-relocs` keeps the linker's relocations, which wasm-split-cli reads to cut the wasm.
# Each lazy function's id (src/split.rs) names it to wasm-split-cli: two alike would link the
# wrong function, or fail later with an unrelated error.
# Without `reference-types`, wasm-bindgen keeps JS values in a JS array instead of a wasm
# externref table with a shim per import and export: measured −1,005 B on the first module
# and +347 B on index.js (−636 B for the first reply; `-multivalue` as well: +15 B more).
# The MIR inliner, which opt-level "z" leaves off, on with small thresholds: small callees
# (wrappers, accessors, one-line generics) are inlined before LLVM sees them. Measured against
# gzip (BENCHMARKS.md): −1,188 B on the first module, −408 B on the math one, +33 B on the
# second; the defaults (50/100) were −426 B on the first but +1.8 KB on the second, and
# 25/25 made a chunk two split modules share (the check below refuses it). Functions that
# only call another ("forwarders": shims, trait impls handing on) inlined up to cost 100:
# −814 B more on the first module, −135 B on the second.
dup_ids=$(grep -rhoE '"a[0-9a-f]{31}"' src --include=*.rs | sort | uniq -d)
if [ -n "$dup_ids" ]; then echo "build: lazy function ids used twice: $dup_ids" >&2; exit 1; fi
RUSTFLAGS="-Ctarget-feature=-reference-types -Zinline-mir=yes -Zinline-mir-threshold=20 -Zinline-mir-hint-threshold=15 -Zinline-mir-forwarder-threshold=100 -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Clink-args=--emit-relocs" \
  cargo "+$(cat scripts/ship-toolchain)" build --release --target wasm32-unknown-unknown \
  --target-dir "$ship_dir" -Zbuild-std=core,alloc -p rill-chat --no-default-features --features "$cargo_features"
# The wasm in two (src/split.rs): what only the lazy functions reach goes to a second module,
# fetched on first use. The first one keeps the exports the second links to.
rm -rf "$ship_dir"/split
wasm-split-cli "$ship_dir"/wasm32-unknown-unknown/release/rill_chat.wasm "$ship_dir"/split
rm -rf "$out"/snippets
wasm-bindgen --target web --remove-producers-section --keep-lld-exports \
  --out-name rill_chat --out-dir "$out" "$ship_dir"/split/main.wasm
# src/js/index.js instantiates the first module itself (with host.js's `compileWasm`, which
# the split modules use too): the glue's own init, its fetch and fallbacks, go unused.
host_js=$(cd "$out" && ls snippets/*/src/host.js)
printf "export { __wbg_get_imports, __wbg_finalize_init };\nexport { compileWasm } from './%s';\n" \
  "$host_js" >> "$out"/rill_chat.js
# One file per split module (src/split.rs's `Module`); a chunk shared by two of them would
# need loading first, which host.js does not do: the build says so rather than ship it.
for f in "$ship_dir"/split/*.wasm; do
  case "$(basename "$f")" in
    main.wasm | split_extra.wasm | split_math.wasm | split_langs.wasm) ;;
    *) echo "build: unexpected split output $f (a chunk shared by two split modules?)" >&2; exit 1 ;;
  esac
done
# (The measurement build without the highlighter has no languages' module.)
modules="extra math langs"
[ "${RILL_CUT:-}" = highlight ] && modules="extra math"
wasms=rill_chat_bg
for m in $modules; do
  cp "$ship_dir/split/split_$m.wasm" "$out/rill_chat_$m.wasm"
  wasms="$wasms rill_chat_$m"
done
# shellcheck disable=SC2046
node scripts/short-names.mjs "$out"/rill_chat_bg.wasm "$out"/rill_chat.js "$out"/rill_chat_bg.wasm.d.ts \
  $(for m in $modules; do echo "$out/rill_chat_$m.wasm"; done)
# wasm-opt (npm binaryen, pinned in scripts/package.json) with inlining off: measured against
# gzip, −1.6 KB on the first module and −0.7 KB on the second; its default inlining levels
# made the gzip size larger (BENCHMARKS.md); `--converge` (passes again until nothing
# shrinks) −78 B on the first module; `--merge-similar-functions` was +123 B. With the MIR
# inliner on (above), a function called once inlined into its caller up to 25 bytes: −266 B
# on the first module, −513 B on the second (0: off, 12, 20, 30, 40, 80, 200, 1000 measured). The second
# module has no features section (wasm-split-cli drops it): it is given the first one's.
# The first module with its function names, before wasm-opt (which drops them): what
# `node bench/coverage.mjs` instruments to tell which functions a first reply runs.
cp "$out"/rill_chat_bg.wasm "$ship_dir"/named-main.wasm
wasm_opt=scripts/node_modules/.bin/wasm-opt
features=$("$wasm_opt" "$out"/rill_chat_bg.wasm --print-features 2>/dev/null | tr '\n' ' ')
for w in $wasms; do
  # shellcheck disable=SC2086
  "$wasm_opt" -Os --flexible-inline-max-function-size=0 --one-caller-inline-max-function-size=25 \
    --converge --low-memory-unused $features "$out/$w.wasm" -o "$out/$w.wasm"
done
# One JS file: the entry (src/js/index.js), the glue and the two snippets bundled into
# pkg/index.js (esbuild, pinned in scripts/package.json), then minified: one request, and the
# names the files exported to each other become local ones (−1.2 KB gzip over four files).
# The JS API's own code (src/js/api.js) stays a file of its own, fetched by `ready`: a page
# that only uses <rill-chat> does not load it (−0.5 KB gzip on its first reply).
cp src/js/index.js "$out"/index.js
scripts/node_modules/.bin/esbuild "$out"/index.js --bundle --format=esm --outfile="$out"/index.js \
  --external:./api.js --allow-overwrite --log-level=warning --log-override:duplicate-object-key=silent
rm -rf "$out"/rill_chat.js "$out"/rill_chat.d.ts "$out"/rill_chat_bg.wasm.d.ts "$out"/snippets
node scripts/minify.mjs "$out"/index.js src/js/api.js:"$out"/api.js
for w in $wasms; do
  echo "build: $out/$w.wasm $(wc -c < "$out/$w.wasm") B raw, $(gzip -9c "$out/$w.wasm" | wc -c) B gzip -9"
done
