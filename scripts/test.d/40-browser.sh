#!/usr/bin/env bash
# The browser app: clippy for wasm32, the release build with Trunk (wasm-opt from npm binaryen),
# then the end-to-end tests in headless Debian Chromium (tests/browser, node --test). The scores
# the app shows are compared with `zicha score --json`, and the reports it signs are checked with
# `zicha verify`, pdfsig and pyHanko, so the CLI is built first.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$PATH"

log "cargo clippy (wasm32: zicha-web, the app shell, the extra UI module, the report worker and the light verifier)"
cargo clippy -p zicha-web --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p zicha-web --target wasm32-unknown-unknown --locked --features extra --bins -- -D warnings
cargo clippy -p zicha-web --target wasm32-unknown-unknown --locked --features worker --bins -- -D warnings
cargo clippy -p zicha-web --target wasm32-unknown-unknown --locked --features verify --bins -- -D warnings
log "trunk build --release --offline"
trunk build --release --offline
log "cargo build -p zicha-cli (reference scores)"
cargo build -q --locked -p zicha-cli
export ZICHA_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/zicha"
export ZICHA_DIST="$PWD/dist"
log "browser tests (node --test)"
cd tests/browser
# Every test( call of e2e/ must run and pass: a file that fails to load, or a test that is never
# reached, makes the run fail here even when node reports no failure. The TAP summary (# pass N)
# is also written to a file to count them.
expected=$(cat e2e/*.test.mjs | grep -c -E '^[[:space:]]*test\(')
# Benchmarks that print figures run only when asked (e.g. ZICHA_BENCH=1): `test(..., { skip:
# !process.env.NAME }` is the one skip allowed, and only while NAME is not set.
benchmarks=$(cat e2e/*.test.mjs | grep -E '^[[:space:]]*test\(.*skip: !process\.env\.[A-Z_]+ ' | grep -o 'process\.env\.[A-Z_]*' | sed 's/process\.env\.//' | while read -r name; do [ -z "${!name:-}" ] && echo "$name"; done | wc -l)
# page.waitForFunction does not await a promise: with an async predicate it passes at once (a
# Promise is truthy) and waits for nothing. Such waits go through waitUntil (lib/harness.mjs).
if perl -0ne 'print "$ARGV\n" if /waitForFunction\(\s*async/' e2e/*.mjs lib/*.mjs | grep .; then
  echo "browser tests: the file(s) above call page.waitForFunction with an async predicate, which never waits: use waitUntil from lib/harness.mjs" >&2
  exit 1
fi
summary=$(mktemp)
node --test --test-concurrency=1 --test-reporter=tap --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$summary" e2e/
passed=$(sed -n 's/^# pass //p' "$summary" | tail -1)
skipped=$(sed -n 's/^# skipped //p' "$summary" | tail -1)
rm -f "$summary"
if [ "${passed:-0}" -ne "$((expected - benchmarks))" ] || [ "${skipped:-0}" -ne "$benchmarks" ]; then
  echo "browser tests: ${passed:-0} passed and ${skipped:-0} skipped of the $expected test( calls in e2e/*.test.mjs ($benchmarks benchmark(s) not asked for)" >&2
  exit 1
fi
log "browser tests: $passed of $expected passed ($benchmarks benchmark(s) not asked for, skipped)"
