# The signature checkers written by others (sourced by scripts/setup.sh): poppler's pdfsig and
# pyHanko's validator, the references our verifier is tested against. Pinned to the versions the
# interop tests were written with; pip_install puts them in the venv of scripts/lib.sh. OpenSSL
# packs the .p12 a CA would hand out, for the browser test that imports one.
apt_install poppler-utils openssl
pip_install "pyhanko==0.38.0" "pyhanko-cli==0.6.0"
command -v pyhanko >/dev/null || { echo "pyhanko is not on PATH after pip install (expected in $ZICHA_VENV/bin)" >&2; exit 2; }
