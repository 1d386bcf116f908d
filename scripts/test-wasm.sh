#!/usr/bin/env bash
# Browser layer: wasm-bindgen-test in headless Chromium against a devserver on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p devserver
log=$(mktemp)
./target/debug/devserver --port 0 --no-delay >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -n 1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "${url:-}" ]; then echo "devserver did not start:"; cat "$log"; exit 1; fi
echo "wasm tests: devserver at $url"
# The URL is baked in at compile time (option_env!): the test runs inside the browser.
RILL_DEVSERVER="$url" cargo test --target wasm32-unknown-unknown -p rill-chat --test web --test web_client
