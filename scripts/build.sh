#!/usr/bin/env bash
# Builds the npm package in pkg/: release wasm → wasm-bindgen --target web.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --target wasm32-unknown-unknown -p rill-chat --no-default-features --features ship
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir pkg target/wasm32-unknown-unknown/release/rill_chat.wasm
node scripts/minify.mjs pkg/rill_chat.js
raw=$(wc -c < pkg/rill_chat_bg.wasm)
gz=$(gzip -9c pkg/rill_chat_bg.wasm | wc -c)
echo "build: pkg/rill_chat_bg.wasm ${raw} B raw, ${gz} B gzip -9"
