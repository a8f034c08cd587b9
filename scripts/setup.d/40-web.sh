# The browser app (sourced by scripts/setup.sh): Chromium for the browser tests, Trunk and the
# wasm-bindgen CLI for the build (versions from shared/notes/BUILD.md, each installed only when
# missing), and from npm: binaryen (wasm-opt; Debian's is too old) and playwright-core (which
# never downloads a browser).
apt_install chromium chromium-driver
# A Chinese font for Chromium: without one the screenshots in tests/artifacts/ show every Chinese
# character as a box, and nobody can review the screens' wording or line breaks from them.
apt_install fonts-wqy-microhei
cargo_install trunk 0.21.14 --locked
# Without --locked: its lock file pins a webpki-roots version the registry lacks.
BIN=wasm-bindgen cargo_install wasm-bindgen-cli 0.2.130
command -v node >/dev/null || apt_install nodejs npm
if [ ! -x tests/browser/node_modules/.bin/wasm-opt ] || [ ! -d tests/browser/node_modules/playwright-core ]; then
  log "npm ci (tests/browser: binaryen, playwright-core)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
