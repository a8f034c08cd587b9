#!/usr/bin/env bash
# Benchmark of `zicha verify` on a month's folder (issue 15). Run by hand, NOT in CI: it builds the
# release binary, makes N signed reports and takes both cores for several minutes.
#
# Usage: scripts/bench-verify.sh [WORK_DIR]      (default /tmp/zicha-bench-verify)
#   env: N=1000 (distinct reports)  BIG=10000 (0 to skip)  SAMPLE=50 (pyHanko)  JOBS=2
#
# The reports: report i (1..N) is `zicha sample SECTOR --seed i` with SECTOR cycling over every
# built-in checklist (`zicha checklists --json`), rendered by `zicha render` and signed by
# `zicha sign` as 检查人, so no two renders are alike. One self-issued key (`zicha keygen`) signs
# them all, converted once (Python's cryptography) to PKCS#12 with PBKDF2 so that N signings do not each pay
# the key file's scrypt unlock. The BIG set is the N files hard-linked BIG/N times: copies of
# distinct renders (same bytes, same work for every verifier).
#
# Measured in the same run, every tool on the same files:
#   - `zicha verify --jobs JOBS --jsonl --csv` on N files: files/s (release build);
#   - `pdfsig FILE`, one process per file, on the N files, one at a time and 2 at a time;
#   - `pyhanko sign validate --trust cert.pem FILE`, one process per file, on SAMPLE files;
#   - `zicha verify ONE.pdf`, one process per file (the cost of a process per report);
#   - peak RSS (GNU time %M) of `zicha verify --jobs JOBS` on 100, N and BIG files: flat memory.
#
# Figures of 2026-12-05 (2-core VM shared with other builds: load average 6-13 during the run, so
# every tool was slowed alike; N=1000, BIG=10000, SAMPLE=50, JOBS=2):
#   RESULTS-PLACEHOLDER
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/zicha-bench-verify}"
N="${N:-1000}"
BIG="${BIG:-10000}"
SAMPLE="${SAMPLE:-50}"
JOBS="${JOBS:-2}"
ZICHA="$ROOT/target/release/zicha"
export ZICHA_PASSPHRASE="bench passphrase 安全第一"

for tool in pdfsig pyhanko python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-verify: $tool is needed" >&2; exit 2; }
done

# BUILD=0 uses the release binary already built.
[ "${BUILD:-1}" = 0 ] || (cd "$ROOT" && cargo build --release -p zicha-cli)
mkdir -p "$WORK"
cd "$WORK"

# --- The reports -------------------------------------------------------------------------------
if [ ! -f key/cert.pem ]; then
  "$ZICHA" keygen --org 钱塘建设工程有限公司 --credit-code 913301006RBJTUXMGU --signer 周敏 \
    --not-before 2026-01-01T00:00:00+08:00 -o key >/dev/null
  # openssl cannot decrypt the key (scrypt N=2^17 needs 128 MB, over its 32 MB limit); Python's
  # cryptography (a pyHanko dependency) can.
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
mapfile -t SECTORS < <("$ZICHA" checklists --json |
  python3 -c 'import json, sys; print("\n".join(c["id"] for c in json.load(sys.stdin)))')
export ZICHA WORK
export SECTORS_LIST="${SECTORS[*]}"

make_report() {
  local i="$1" sectors out
  read -r -a sectors <<<"$SECTORS_LIST"
  out="$WORK/reports/r-$(printf %05d "$i").pdf"
  [ -f "$out" ] && return 0
  local tmp
  tmp="$(mktemp -d "$WORK/tmp.XXXXXX")"
  "$ZICHA" sample "${sectors[$((i % ${#sectors[@]}))]}" --seed "$i" --date 2026-03-01 \
    -o "$tmp/s.zicha" >/dev/null 2>&1
  "$ZICHA" render "$tmp/s.zicha" --time 2026-03-02T18:00:00+08:00 -o "$tmp/r.pdf" >/dev/null 2>&1
  "$ZICHA" sign "$tmp/r.pdf" --p12 "$WORK/key/key.p12" --role 检查人 \
    --time 2026-03-02T18:10:00+08:00 -o "$tmp/signed.pdf" >/dev/null 2>&1
  mv "$tmp/signed.pdf" "$out"
  rm -rf "$tmp"
}
export -f make_report
mkdir -p reports
started=$(date +%s)
seq 1 "$N" | xargs -P 2 -I{} bash -c 'make_report {}'
made=$(find reports -name '*.pdf' | wc -l)
[ "$made" -ge "$N" ] || { echo "bench-verify: only $made of $N reports were made" >&2; exit 1; }
echo "made $N reports in $(($(date +%s) - started)) s ($(du -sh reports | cut -f1))"

rm -rf set100 && mkdir set100
find reports -name '*.pdf' | sort | head -100 | xargs -I{} ln {} set100/
if [ "$BIG" -gt 0 ]; then
  rm -rf big && mkdir big
  for copy in $(seq 1 $((BIG / N))); do
    mkdir "big/$copy"
    find reports -name '*.pdf' | xargs -I{} ln {} "big/$copy/"
  done
fi
mapfile -t FILES < <(find reports -name '*.pdf' | sort)

# --- Measurements ------------------------------------------------------------------------------
now() { date +%s.%N; }
per_file_ms() { python3 -c "print(f'{($2 - $1) * 1000 / $3:.2f}')"; }
rate() { python3 -c "print(f'{$3 / ($2 - $1):.0f}')"; }
# Runs a command under GNU time; prints "seconds peak_rss_kb".
timed() {
  /usr/bin/time -f "%e %M" -o time.txt "$@" >/dev/null 2>/dev/null || true
  tail -1 time.txt
}

{
  echo "== zicha verify --jobs $JOBS on $N files"
  read -r secs rss < <(timed "$ZICHA" verify --jobs "$JOBS" --jsonl --csv out.csv reports)
  echo "   ${secs} s, $(python3 -c "print(f'{$N / $secs:.0f}')") files/s, peak RSS ${rss} KB"
  echo "   verdicts: $(cut -d, -f2 out.csv | tail -n +2 | sort | uniq -c | tr '\n' ' ')"
  read -r secs1 _ < <(timed "$ZICHA" verify --jobs 1 --jsonl reports)
  echo "   --jobs 1: ${secs1} s, $(python3 -c "print(f'{$N / $secs1:.0f}')") files/s"

  echo "== pdfsig, one process per file, $N files"
  start=$(now)
  for file in "${FILES[@]}"; do pdfsig "$file" >/dev/null 2>&1 || true; done
  end=$(now)
  echo "   one at a time: $(per_file_ms "$start" "$end" "$N") ms/file, $(rate "$start" "$end" "$N") files/s"
  start=$(now)
  printf '%s\0' "${FILES[@]}" | xargs -0 -n 1 -P 2 pdfsig >/dev/null 2>&1 || true
  end=$(now)
  echo "   2 at a time:   $(per_file_ms "$start" "$end" "$N") ms/file, $(rate "$start" "$end" "$N") files/s"

  echo "== pyhanko sign validate, one process per file, $SAMPLE files"
  start=$(now)
  valid=0
  for file in "${FILES[@]:0:$SAMPLE}"; do
    if pyhanko sign validate --no-revocation-check --trust key/cert.pem "$file" >/dev/null 2>&1; then
      valid=$((valid + 1))
    fi
  done
  end=$(now)
  echo "   $(per_file_ms "$start" "$end" "$SAMPLE") ms/file, $(rate "$start" "$end" "$SAMPLE") files/s ($valid of $SAMPLE judged valid)"

  echo "== zicha verify ONE.pdf, one process per file, 200 runs"
  start=$(now)
  for _ in $(seq 1 200); do "$ZICHA" verify "${FILES[0]}" >/dev/null 2>&1; done
  end=$(now)
  echo "   $(per_file_ms "$start" "$end" 200) ms/file"

  echo "== peak RSS of zicha verify --jobs $JOBS (memory flat in the number of files)"
  read -r secs rss < <(timed "$ZICHA" verify --jobs "$JOBS" --jsonl set100)
  echo "   100 files:  ${rss} KB (${secs} s)"
  read -r secs rss < <(timed "$ZICHA" verify --jobs "$JOBS" --jsonl reports)
  echo "   $N files: ${rss} KB (${secs} s)"
  if [ "$BIG" -gt 0 ]; then
    read -r secs rss < <(timed "$ZICHA" verify --jobs "$JOBS" --jsonl big)
    echo "   $BIG files: ${rss} KB (${secs} s, $(python3 -c "print(f'{$BIG / $secs:.0f}')") files/s)"
  fi
  echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee results.txt
