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

# The Python tools (pyHanko, openpyxl, DuckDB, PySpark) live in a virtual environment the scripts
# make, never in the system Python: Debian 12's python3 refuses `pip install` (PEP 668,
# "externally-managed-environment"). Outside the clone, so CI's fresh clones reuse it; its bin/
# comes first on PATH for every script that sources this file (and the tests they run), so
# `python3` and `pyhanko` are the venv's.
ZICHA_VENV="${ZICHA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/zicha/venv}"
export ZICHA_VENV
case ":$PATH:" in *":$ZICHA_VENV/bin:"*) ;; *) export PATH="$ZICHA_VENV/bin:$PATH" ;; esac

# ensure_venv : creates the virtual environment (Debian's python3-venv gives `python3 -m venv`
# its ensurepip). With --system-site-packages a tool the machine already has at the pinned version
# is used as it is (pip_install checks the version the venv sees); anything else is installed into
# the venv, which PEP 668 allows.
ensure_venv() {
  [ -x "$ZICHA_VENV/bin/python3" ] && return 0
  local system_python
  system_python=$(PATH=${PATH//"$ZICHA_VENV/bin:"/} command -v python3) || { apt_install python3; system_python=/usr/bin/python3; }
  "$system_python" -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
  log "python3 -m venv $ZICHA_VENV"
  mkdir -p "$(dirname "$ZICHA_VENV")"
  "$system_python" -m venv --system-site-packages "$ZICHA_VENV"
}

# pip_install "PKG==VERSION"... : installs PyPI packages missing at that version, into the venv.
pip_install() {
  ensure_venv
  local python="$ZICHA_VENV/bin/python3" missing=()
  for spec in "$@"; do
    "$python" -m pip show "${spec%%==*}" 2>/dev/null | grep -qx "Version: ${spec##*==}" || missing+=("$spec")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "pip install ${missing[*]} (in $ZICHA_VENV)"
    "$python" -m pip install -q --disable-pip-version-check "${missing[@]}"
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
