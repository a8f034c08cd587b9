#!/usr/bin/env bash
# Builds and serves Zicha on http://127.0.0.1:${PORT:-8080}/. Until the browser app lands this builds
# the `zicha` CLI and shows what it does.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh

if [ -f web/index.html ]; then
  exec scripts/serve-web.sh
fi
log "cargo build --release -p zicha-cli"
cargo build -q --release --locked -p zicha-cli
zicha=target/release/zicha
"$zicha" checklists
"$zicha" sample construction -o target/sample-construction.zicha
"$zicha" score target/sample-construction.zicha
log "the browser app is not built yet; the CLI is at $zicha (try: $zicha --help)"
