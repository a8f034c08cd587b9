#!/usr/bin/env bash
# Peak memory of rendering and signing a big inspection natively (issue 18, "Big inspections on a
# phone"). Run by hand, NOT in CI: it makes a 20-photo and a 200-photo construction inspection
# (`zicha sample construction --photos N`, about 0.55 MB a photo), renders each with `zicha render`
# and signs it with `zicha sign`, and prints the peak resident set size of each run (GNU time %M)
# next to the size of the finished PDF. The goal: peak <= 2x the PDF.
#
# The key is a PKCS#12 file with PBKDF2 (converted once with Python's cryptography, as in
# scripts/bench-verify.sh): unlocking a `zicha keygen` key file is scrypt with log2 N = 17, which
# alone takes 128 MiB for a moment whatever the PDF's size, and would hide what signing costs.
#
# Usage: scripts/bench-memory.sh [ZICHA_BINARY] [WORK_DIR]
#   default binary: target/release/zicha (`cargo build --release -p zicha-cli`)
#   default work dir: /tmp/zicha-bench-memory
#   env: PHOTOS="20 200"
#
# Figures of 2026-12-06 01:28 UTC (debug builds of the commit before and of this change; memory is
# allocation, which the profile does not change: the issue's 667 MB was a release build), the
# same bundles (`--date 2026-03-01`, seed 1), machine loaded by other builds:
#                          PDF        before: peak   peak/PDF      after: peak   peak/PDF
#   20 photos   render     10.7 MiB   120.8 MiB      11.32         62.7 MiB      5.88
#   20 photos   sign       10.7 MiB    46.1 MiB       4.31         39.7 MiB      3.70
#   200 photos  render    104.3 MiB   671.1 MiB       6.43        158.0 MiB      1.51
#   200 photos  sign      104.4 MiB   233.7 MiB       2.24        133.2 MiB      1.28
# The rendered PDFs are byte-identical before and after. A render with no photo at all peaks at
# 52 MiB (the 5.2 MB font parsed and subset, printpdf's document): the peak is about that plus the
# PDF, within twice the PDF from about 100 photos (a 52 MiB PDF) on, above it for small reports.
set -euo pipefail
cd "$(dirname "$0")/.."
ZICHA="$(realpath "${1:-target/release/zicha}")"
WORK="${2:-/tmp/zicha-bench-memory}"
PHOTOS="${PHOTOS:-20 200}"
mkdir -p "$WORK"
cd "$WORK"
export ZICHA_PASSPHRASE="zicha-bench-memory"
if [ ! -f key/key.pem ]; then
  # The sample's enterprise (crates/core/src/sample.rs); box 1 is the first inspector's.
  "$ZICHA" keygen --org "bench" --credit-code 91350100M000100Y43 --signer "bench" \
    --not-before 2026-01-01T00:00:00+08:00 -o key --force >/dev/null 2>&1
  python3 - <<'PY'
import os
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
passphrase = os.environ["ZICHA_PASSPHRASE"].encode()
key = serialization.load_pem_private_key(open("key/key.pem", "rb").read(), passphrase)
cert = x509.load_pem_x509_certificate(open("key/cert.pem", "rb").read())
encryption = (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(2048)
              .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).build(passphrase))
with open("key/key.p12", "wb") as out:
    out.write(pkcs12.serialize_key_and_certificates(b"bench", key, cert, None, encryption))
PY
fi
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
printf '%-8s %-7s %12s %12s %10s %8s\n' photos step "pdf MiB" "peak MiB" "peak/pdf" "wall s"
for n in $PHOTOS; do
  bundle="c$n.zicha"
  [ -f "$bundle" ] || "$ZICHA" sample construction --photos "$n" --date 2026-03-01 -o "$bundle" >/dev/null 2>&1
  rm -f "c$n.pdf" "c$n-signed.pdf"
  /usr/bin/time -f "%M %e" -o render.time "$ZICHA" render "$bundle" -o "c$n.pdf" >/dev/null 2>&1
  /usr/bin/time -f "%M %e" -o sign.time "$ZICHA" sign "c$n.pdf" --p12 key/key.p12 \
    --party 1 --time 2026-03-02T10:00:00+08:00 -o "c$n-signed.pdf" >/dev/null 2>&1
  for step in render sign; do
    read -r kb secs <"$step.time"
    out="c$n.pdf"
    [ "$step" = sign ] && out="c$n-signed.pdf"
    bytes=$(stat -c %s "$out")
    printf '%-8s %-7s %12s %12s %10s %8s\n' "$n" "$step" "$(mib $((bytes / 1024)))" "$(mib "$kb")" \
      "$(awk -v kb="$kb" -v b="$bytes" 'BEGIN { printf "%.2f", kb * 1024 / b }')" "$secs"
  done
done
