# The fuzz targets' tools (sourced by scripts/setup.sh; fuzz/README.md): a nightly toolchain
# (libFuzzer needs -Z sanitizer flags) and cargo-fuzz from crates.io. Nightly comes from rustup,
# which downloads from static.rust-lang.org; where that is not reachable the set-up goes on without
# it and scripts/test.d/50-fuzz.sh says it skipped the fuzz run. On the build machine nightly
# (2026-05-19, rustc 1.97.0-nightly e50aa6fba) was installed by rustup with the machine's stable
# toolchain, and cargo-fuzz 0.13.2 by `cargo install` from crates.io.
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  log "rustup toolchain install nightly (for the fuzz targets)"
  if ! timeout 600 rustup toolchain install nightly --profile minimal; then
    log "nightly could not be installed (static.rust-lang.org unreachable?): the fuzz smoke run will be skipped"
  fi
fi
if rustup run nightly rustc --version >/dev/null 2>&1; then
  BIN=cargo-fuzz cargo_install cargo-fuzz 0.13.2 --locked
fi
