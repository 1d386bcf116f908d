#!/usr/bin/env bash
# Installs what `make build`/`make test` need and is missing; a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The shipped wasm is built with a pinned nightly that rebuilds core and alloc for it
# (scripts/build.sh): panics become a trap, with no message or location code at all.
ship=$(cat scripts/ship-toolchain)
if ! rustup run "$ship" rustc --print sysroot >/dev/null 2>&1 \
  || ! rustup component list --toolchain "$ship" --installed | grep -q '^rust-src' \
  || ! rustup target list --toolchain "$ship" --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: installing the $ship toolchain (rust-src, wasm32-unknown-unknown) for the shipped build"
  rustup toolchain install "$ship" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi

# The CLI must match the `=` pin in Cargo.toml exactly, or the glue and the wasm disagree.
want=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (found: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want"
fi

# wasm-split-cli cuts the shipped wasm in two (src/split.rs); a build tool, never shipped.
split_version=0.2.4
if ! cargo install --list | grep -qx "wasm_split_cli_support v$split_version:"; then
  echo "setup: installing wasm-split-cli $split_version"
  cargo install --locked wasm_split_cli_support --version "$split_version" --features build-binary
fi

# The three engines of the browser tests, from Debian (never Debian's binaryen): chromium +
# chromedriver; firefox-esr (driven over WebDriver BiDi); webkit2gtk-driver, whose
# WebKitWebDriver drives WebKitGTK's MiniBrowser, under Xvfb.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || missing+=(xvfb)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The build's own tools (terser for the glue), reinstalled only when their lockfile changes.
stamp=scripts/node_modules/.lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s scripts/package-lock.json "$stamp"; then
  echo "setup: npm ci in scripts"
  (cd scripts && npm ci --no-audit --no-fund --loglevel=error)
  cp scripts/package-lock.json "$stamp"
fi

# The framework toolchains the packaging test checks and builds with (React, Preact, Solid,
# Vue + vue-tsc, Svelte + svelte-check, Vite), pinned in their own lockfile.
stamp=tests/frameworks/node_modules/.lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s tests/frameworks/package-lock.json "$stamp"; then
  echo "setup: npm ci in tests/frameworks"
  (cd tests/frameworks && npm ci --no-audit --no-fund --loglevel=error)
  cp tests/frameworks/package-lock.json "$stamp"
fi

# npm dependencies of the end-to-end tests, reinstalled only when the lockfile changes.
stamp=tests/e2e/node_modules/.lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s tests/e2e/package-lock.json "$stamp"; then
  echo "setup: npm ci in tests/e2e"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  cp tests/e2e/package-lock.json "$stamp"
fi
