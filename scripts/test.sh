#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this): set-up, format, lint, unit and
# integration tests, checklist lint, then each feature's extra suites in scripts/test.d/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh

# External checkers (pdfsig, pyHanko, Chromium) must be present: a missing tool fails the suite
# instead of skipping tests.
export ZICHA_REQUIRE_TOOLS=1

log "cargo fmt --check"
cargo fmt --all --check
log "cargo clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p zicha-web --all-targets --features extra --locked -- -D warnings
log "cargo clippy (wasm32: zicha-core)"
cargo clippy -p zicha-core --target wasm32-unknown-unknown --locked -- -D warnings
log "cargo test"
cargo test --workspace --locked
log "cargo test (zicha-web with the extra module's screens)"
cargo test -p zicha-web --features extra --locked
log "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked -q
log "zicha lint checklists/"
cargo run -q --locked -p zicha-cli -- lint checklists

for part in scripts/test.d/*.sh; do
  [ -e "$part" ] || continue
  log "$part"
  bash "$part"
done
log "all tests passed"
