# Helpers shared by the set-up and test scripts. Every install is skipped when the tool is already
# there at the right version, so a second run costs seconds.

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# apt_install PKG... : installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# pip_install "PKG==VERSION"... : installs PyPI packages missing at that version.
pip_install() {
  local missing=()
  for spec in "$@"; do
    python3 -m pip show "${spec%%==*}" 2>/dev/null | grep -qx "Version: ${spec##*==}" || missing+=("$spec")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "pip install ${missing[*]}"
    python3 -m pip install -q --disable-pip-version-check "${missing[@]}"
  fi
}

# cargo_install NAME VERSION [ARGS...] : installs a cargo binary unless `NAME --version` shows VERSION.
cargo_install() {
  local name=$1 version=$2 bin=${BIN:-$1}; shift 2
  if ! "$bin" --version 2>/dev/null | grep -q " $version"; then
    log "cargo install $name $version"
    cargo install -q "$name" --version "$version" "$@"
  fi
}
