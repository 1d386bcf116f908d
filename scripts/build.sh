#!/usr/bin/env bash
# Builds the npm package in pkg/: release wasm → wasm-bindgen --target web → minified JS.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --target wasm32-unknown-unknown -p rill-chat --no-default-features --features ship
# The DOM interpreter (src/dom/interpreter.js) is copied to pkg/snippets/<hash>/ by
# wasm-bindgen; an old hash's copy must not linger in the package.
rm -rf pkg/snippets
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir pkg target/wasm32-unknown-unknown/release/rill_chat.wasm
node scripts/minify.mjs pkg/rill_chat.js pkg/snippets/*/src/dom/interpreter.js
raw=$(wc -c < pkg/rill_chat_bg.wasm)
gz=$(gzip -9c pkg/rill_chat_bg.wasm | wc -c)
echo "build: pkg/rill_chat_bg.wasm ${raw} B raw, ${gz} B gzip -9"
