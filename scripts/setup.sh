#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian machine with Rust, from the
# package registries only (crates.io, apt, PyPI, npm). Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

command -v cargo >/dev/null || { echo "cargo is missing: install Rust 1.95 with rustup first" >&2; exit 2; }
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# Each feature adds its own tools in scripts/setup.d/NN-name.sh (sourced, in order).
for part in scripts/setup.d/*.sh; do
  [ -e "$part" ] || continue
  source "$part"
done
