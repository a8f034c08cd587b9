#!/usr/bin/env bash
# The fuzz targets (issue 19 §1, fuzz/README.md), each run for FUZZ_SECONDS (default 20) on the
# committed corpus: a panic, a hang over 1 s or more than 1 GB of memory fails the suite, with the
# input written to fuzz/artifacts/<target>/. New inputs go to a temporary folder, never into the
# committed corpus. Without a nightly toolchain or cargo-fuzz (scripts/setup.d/50-fuzz.sh could
# not install them) it says so and skips. Cost: 9 × 20 s of runs (3 min) plus the build. The
# build of all targets from scratch (ASan, release, one codegen unit; printpdf's layout crates and
# lopdf are most of it) took 75 min of wall time on the 2-core build machine at a load average of
# 15-20 (4.5 min of CPU for the last 21 min of it); on an idle machine it was not measured. A warm
# build (kept in ~/.cache/zicha/fuzz-target) is seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  log "SKIPPED the fuzz smoke run: no nightly toolchain (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  log "SKIPPED the fuzz smoke run: cargo-fuzz is not installed (cargo install cargo-fuzz --locked)"
  exit 0
fi
seconds="${FUZZ_SECONDS:-20}"
# The instrumented build lives outside the clone (CI starts from a fresh clone every time; a cold
# build of all targets is long, a warm one seconds), unless the caller names a target dir.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zicha/fuzz-target}"
cd fuzz
log "cargo fuzz build (nightly, all targets)"
cargo +nightly fuzz build
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in $(cargo +nightly fuzz list); do
  log "cargo fuzz run $target (${seconds} s on fuzz/corpus/$target)"
  mkdir -p "$scratch/$target" "corpus/$target"
  cargo +nightly fuzz run "$target" "$scratch/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=1024 -timeout=1 \
    -print_final_stats=1 2>"$scratch/$target.log" || {
    tail -50 "$scratch/$target.log" >&2
    exit 1
  }
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$scratch/$target.log" | tr '\n' ' ' >&2
  echo >&2
done
