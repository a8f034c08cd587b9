#!/usr/bin/env bash
# Supply chain (issue 19 §3): `cargo deny check` against deny.toml. Licences, duplicate versions
# (bans) and sources need only Cargo.lock and the crates.io index, and always run. Advisories need
# the RustSec advisory database, a git repository on GitHub that this machine and CI cannot reach;
# they run against a copy given as ZICHA_ADVISORY_DB (a checkout of github.com/rustsec/advisory-db
# made on a machine that can reach it), and otherwise the log says plainly that they were not
# checked.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

log "cargo deny check licenses bans sources"
cargo deny --locked check --hide-inclusion-graph licenses bans sources

if [ -n "${ZICHA_ADVISORY_DB:-}" ]; then
  [ -d "$ZICHA_ADVISORY_DB/crates" ] || { echo "ZICHA_ADVISORY_DB=$ZICHA_ADVISORY_DB is not a checkout of the RustSec advisory-db (no crates/)" >&2; exit 2; }
  # cargo-deny 0.20 reads the default database from db-path/advisory-db-3157b0e258782691 (a name
  # derived from its URL) and, --offline, fetches nothing: the copy is linked there.
  dbs=$(mktemp -d)
  trap 'rm -rf "$dbs"' EXIT
  ln -s "$(cd "$ZICHA_ADVISORY_DB" && pwd)" "$dbs/advisory-db-3157b0e258782691"
  log "cargo deny check advisories (database: $ZICHA_ADVISORY_DB, $(git -C "$ZICHA_ADVISORY_DB" log -1 --format=%cs 2>/dev/null || echo 'date unknown'))"
  cargo deny --locked --offline --config <(sed "s|^\[advisories\]|[advisories]\ndb-path = \"$dbs\"|" deny.toml) \
    check --hide-inclusion-graph advisories
else
  log "cargo deny check advisories: NOT checked (the RustSec advisory database is on GitHub, which this machine cannot reach; set ZICHA_ADVISORY_DB to a checkout of it)"
fi
