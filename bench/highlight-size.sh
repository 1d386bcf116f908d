#!/usr/bin/env bash
# What the highlighter weighs in all of the shipped files (issue 16: ≤ 10 KB gzip for all its
# languages): the shipped build beside one without it (`RILL_CUT=highlight`: no code block is
# tokenized, so the lexer, the word lists and the languages' module are left out; the
# palettes and the line-by-line drawing of a code block stay, as they serve plain code too).
# usage: bash bench/highlight-size.sh   (after make build; prints one line per file and the sum)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/rill_chat_bg.wasm ] || bash scripts/build.sh
rm -rf target/cut-pkg
RILL_CUT=highlight bash scripts/build.sh > /dev/null
gz() { if [ -f "$1" ]; then gzip -9c "$1" | wc -c; else echo 0; fi; }
total=0
for f in rill_chat_bg.wasm rill_chat_langs.wasm rill_chat_extra.wasm rill_chat_math.wasm index.js; do
  with=$(gz "pkg/$f") without=$(gz "target/cut-pkg/$f")
  echo "highlight-size: $f $with B with, $without B without: $((with - without)) B"
  total=$((total + with - without))
done
echo "highlight-size: the highlighter in all: $total B gzip -9"
