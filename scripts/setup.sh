#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian machine with Rust, from the
# package registries only (crates.io, apt, PyPI, npm). Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

command -v cargo >/dev/null || { echo "cargo is missing: install Rust 1.95 with rustup first" >&2; exit 2; }
# rust-toolchain.toml pins 1.95.0. The project's machines have it as rustup's `stable` and cannot
# download it under its own name, so it is registered under that name when stable is that version
# (rustup refuses `toolchain link` for an official name, hence the symlink).
pinned=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
host=$(rustc +stable -vV | sed -n 's/^host: //p')
toolchains="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
if [ ! -e "$toolchains/$pinned-$host" ]; then
  rustc +stable --version | grep -q "^rustc $pinned " || { echo "rust-toolchain.toml pins $pinned but rustup's stable is $(rustc +stable --version)" >&2; exit 2; }
  log "rustup: $pinned is the installed stable ($toolchains/$pinned-$host -> stable-$host)"
  ln -s "$toolchains/stable-$host" "$toolchains/$pinned-$host"
fi
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# Each feature adds its own tools in scripts/setup.d/NN-name.sh (sourced, in order).
for part in scripts/setup.d/*.sh; do
  [ -e "$part" ] || continue
  source "$part"
done
