#!/usr/bin/env bash
# Builds the release app with Trunk and serves dist/ on http://127.0.0.1:${PORT:-8080}/, each file
# as the brotli or gzip sibling the build wrote next to it (web/sw/post-build.mjs) when the browser
# accepts it, with Content-Encoding and Vary: Accept-Encoding (tests/browser/lib/server.mjs).
# ENCODING=none serves every file uncompressed, as a plain static server would.
# scripts/serve.sh runs the set-up first and then execs this script.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$PATH"
log "trunk build --release --offline"
trunk build --release --offline
log "serving dist/ on http://127.0.0.1:${PORT:-8080}/ (Ctrl-C stops)"
exec node tests/browser/lib/serve.mjs dist "${PORT:-8080}" "${ENCODING:-precompressed}"
