#!/usr/bin/env bash
# The register (zicha register, issue 14 §1): the DuckDB queries in sql/ on a generated register of
# 24 signed reports (+ 2 resubmissions and a broken file), checked against results computed from
# the bundles (tests/python/test_register.py), and two of them in Spark local mode, which must give
# DuckDB's rows. About 35 s with the debug build (Spark: ~10 s of it).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
log "cargo build -p zicha-cli (the register's writer)"
cargo build -q --locked -p zicha-cli
export ZICHA_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/zicha"
log "DuckDB and Spark queries in sql/ (tests/python/test_register.py)"
python3 tests/python/test_register.py
