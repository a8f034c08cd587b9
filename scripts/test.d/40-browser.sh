#!/usr/bin/env bash
# The browser app: clippy for wasm32, the release build with Trunk (wasm-opt from npm binaryen),
# then the end-to-end tests in headless Debian Chromium (tests/browser, node --test). The scores
# the app shows are compared with `zicha score --json`, and the reports it signs are checked with
# `zicha verify`, pdfsig and pyHanko, so the CLI is built first.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$PATH"

log "cargo clippy (wasm32: zicha-web, the app shell, the extra UI module and the report worker)"
cargo clippy -p zicha-web --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p zicha-web --target wasm32-unknown-unknown --locked --features extra --bins -- -D warnings
cargo clippy -p zicha-web --target wasm32-unknown-unknown --locked --features worker --bins -- -D warnings
log "trunk build --release --offline"
trunk build --release --offline
log "cargo build -p zicha-cli (reference scores)"
cargo build -q --locked -p zicha-cli
export ZICHA_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/zicha"
export ZICHA_DIST="$PWD/dist"
log "browser tests (node --test)"
cd tests/browser
node --test --test-concurrency=1 e2e/
