# The two commands: `make demo` and `make test`. Both set up a fresh machine themselves.
.PHONY: setup build test test-native test-wasm test-e2e demo fuzz bench

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build.sh

test: build
	cargo build -p devserver
	$(MAKE) --no-print-directory test-native test-wasm test-e2e

test-native:
	cargo test --workspace

test-wasm:
	bash scripts/test-wasm.sh

test-e2e:
	bash scripts/litellm-venv.sh
	cd tests/e2e && node --test --test-concurrency=1

# Serves www/ + pkg/ on http://127.0.0.1:8080 with the offline demo model, or the key-safe
# proxy when AIMLAPI_KEY / ANTHROPIC_API_KEY is set.
demo: build
	cargo run -q -p devserver -- --port $(or $(PORT),8080)

# rill-chat beside deep-chat and eventsource-parser (pinned in bench/package.json) in one
# headless Chromium; writes BENCHMARKS.md. BENCH_RUNS (default 5), BENCH_ONLY=size,burst,….
bench: build
	cd bench && npm ci --no-audit --no-fund && node run.mjs

# Coverage-guided fuzzing (nightly + cargo-fuzz, installed when missing); FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 60
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
	@rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
	cd fuzz && for t in sse decoders shortcuts markdown highlight math; do \
	  cargo +nightly fuzz run $$t corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=8192 || exit 1; \
	done
