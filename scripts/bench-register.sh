#!/usr/bin/env bash
# Benchmark of `zicha register` (issue 14). Run by hand, NOT in CI: it builds the native-profile
# binary (Cargo.toml [profile.native]), makes N signed reports and takes both cores for a long time.
#
# Usage: scripts/bench-register.sh [WORK_DIR]      (default /tmp/zicha-bench-register)
#   env: N=10000 (reports)  JOBS=2  BUILD=0 (do not build)  ZICHA=PATH (the binary)  MAKE_ONLY=1
#        VERIFY=0 (skip the `zicha verify` comparison)
#
# The reports: every one is its own render with its own inspection id. Report i (1..N) is
# `zicha sample SECTOR --seed i --date 2026-MM-DD` (signed the same evening), SECTOR cycling over every built-in checklist and
# the month MM over the twelve months of 2026 (so the register has twelve partitions); the sample's
# inspection id is INS-<date>-<seed mod 10,000>, distinct for every i up to 210,000 (the figures
# below were made before the day cycled: their 100,000 reports had 30,000 distinct ids, and the
# register linked 70,000 of them as resubmissions). Each is
# rendered by `zicha render` and signed by `zicha sign` as 检查人 with one key, as
# scripts/bench-verify.sh does. A copy of a report with only another inspection id is not a
# cheaper way to make them: the id is in the signed data and on the pages, so a copy has to be
# rendered and signed again, which is all that making a report costs (`zicha sample` is a few ms).
#
# Measured: `zicha register --jobs JOBS` of the N files into an empty register (wall time,
# files/s, CPU per file, peak RSS of GNU time %M), `zicha verify --jobs JOBS --jsonl` of the same
# files for comparison, the dataset's size, a second run over the same folder (every file skipped
# by its SHA-256), and peak RSS of registering the first N/10 and N files (memory flat in the
# number of files). The load average is printed with each figure: the machine is shared.
#
# Figures of 2026-12-06 05:00-05:20 UTC: 1086 reports (made with N=2000, stopped early for
# time), JOBS=2, load average 13-18 on the 2 cores (seven other helpers building).
#   zicha register --jobs 2 into an empty register   58.8 s, 18.5 files/s, 13.5 ms CPU/file,
#                                                    peak RSS 95.1 MB, load 13.0
#   zicha verify --jobs 2 of other 1000 reports      13.2 ms CPU/file (scripts/bench-verify.sh)
#   again over the same folder (all skipped)         0.96 s, 0.16 ms CPU/file
#   dataset                                          2.2 MB (48 Parquet files: 4 tables x 12 months)
# Figures of 2026-12-06 08:40-11:05 UTC, N=100000, JOBS=2, the native build of 1cb56b0's tree;
# making the reports took 7,650 s (19 GB; the first hour beside a CI run), then on an idle machine:
#   zicha register --jobs 2 into an empty register   874.5 s, 114.3 files/s, 17.1 ms CPU/file,
#                                                    peak RSS 361.6 MB
#   dataset                                          94 MB (48 Parquet files) + index.tsv 11 MB
#   again over the same folder (all skipped)         26.5 s, 3,768 files/s, peak RSS 35.8 MB
#   the first 10,000 files into an empty register    75.1 s, 14.9 ms CPU/file, peak RSS 207.9 MB
# Every one of these reports is verdict invalid: one key (钱塘建设工程有限公司) signs every sample,
# and the sample's enterprise changes with the seed, so the identity check refuses it; the work is
# that of a valid report (the page proof runs either way).
# Register costs what verify costs (+2 %): the proof's re-render is nearly all of it, so
# >= 1,000 reports/s is out of reach on 2 cores (about 150/s at 13 ms of CPU a report). 100,000
# reports were not made: at about 75 ms of CPU a report (sample, render, sign: three processes)
# they take about 2 CPU hours, and registering them about 22 CPU minutes.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/zicha-bench-register}"
N="${N:-10000}"
JOBS="${JOBS:-2}"
ZICHA="${ZICHA:-$ROOT/target/native/zicha}"
export ZICHA_PASSPHRASE="bench passphrase 安全第一"

for tool in python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-register: $tool is needed" >&2; exit 2; }
done
[ "${BUILD:-1}" = 0 ] || (cd "$ROOT" && cargo build --profile native -p zicha-cli)
mkdir -p "$WORK"
cd "$WORK"

# --- The reports -------------------------------------------------------------------------------
if [ ! -f key/key.p12 ]; then
  "$ZICHA" keygen --org 钱塘建设工程有限公司 --credit-code 913301006RBJTUXMGU --signer 周敏 \
    --not-before 2026-01-01T00:00:00+08:00 -o key >/dev/null
  # A PKCS#12 copy with PBKDF2, so that N signings do not each pay the key file's scrypt unlock
  # (Python's cryptography, as in scripts/bench-verify.sh).
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
  local i="$1" sectors out month
  read -r -a sectors <<<"$SECTORS_LIST"
  # 1000 files a folder.
  out="$WORK/reports/$((i / 1000))/r-$(printf %06d "$i").pdf"
  [ -f "$out" ] && return 0
  month=$(printf %02d $((1 + i % 12)))
  # The day cycles too: the id INS-<date>-<seed mod 10,000> then repeats only after
  # lcm(12 x 28, 10,000) = 210,000 reports (with the 10th of every month it repeated every 30,000).
  day=$(printf %02d $((1 + (i / 12) % 28)))
  local tmp
  tmp="$(mktemp -d "$WORK/tmp.XXXXXX")"
  "$ZICHA" sample "${sectors[$((i % ${#sectors[@]}))]}" --seed "$i" --date "2026-$month-$day" \
    -o "$tmp/s.zicha" >/dev/null 2>&1
  "$ZICHA" render "$tmp/s.zicha" --time "2026-$month-${day}T18:00:00+08:00" -o "$tmp/r.pdf" >/dev/null 2>&1
  "$ZICHA" sign "$tmp/r.pdf" --p12 "$WORK/key/key.p12" --page 1 --role 检查人 \
    --time "2026-$month-${day}T18:10:00+08:00" -o "$tmp/signed.pdf" >/dev/null 2>&1
  mkdir -p "$(dirname "$out")"
  mv "$tmp/signed.pdf" "$out"
  rm -rf "$tmp"
}
export -f make_report
mkdir -p reports
started=$(date +%s)
# A folder that already holds N reports (an earlier run) is used as it is: checking 100,000 names
# one bash process each costs minutes.
if [ "$(find reports -name '*.pdf' | wc -l)" -lt "$N" ]; then
  seq 1 "$N" | xargs -P "$JOBS" -I{} bash -c 'make_report {}'
fi
made=$(find reports -name '*.pdf' | wc -l)
[ "$made" -ge "$N" ] || { echo "bench-register: only $made of $N reports were made" >&2; exit 1; }
echo "made $N reports in $(($(date +%s) - started)) s ($(du -sh reports | cut -f1)), load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "${MAKE_ONLY:-0}" = 0 ] || exit 0
# The folder may hold more than N reports from an earlier, larger run: they are all measured.
N="$made"
rm -rf tenth && mkdir tenth
find reports -name '*.pdf' | sort | sed -n "1,$((N / 10))p" | xargs -I{} ln {} tenth/

# --- Measurements ------------------------------------------------------------------------------
timed() {
  /usr/bin/time -f "%e %M %U %S" -o time.txt "$@" >/dev/null 2>/dev/null || true
  tail -1 time.txt | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}
figures() {
  python3 -c "w, c, n = $1, $2, $3; print(f'{w} s, {n / w:.1f} files/s, {c * 1000 / n:.2f} ms CPU/file')"
}
load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }
{
  echo "== zicha register --jobs $JOBS, $N files into an empty register"
  rm -rf register
  read -r wall rss cpu < <(timed "$ZICHA" register --jobs "$JOBS" --time 2026-12-01T09:00:00+08:00 --to register reports)
  echo "   $(figures "$wall" "$cpu" "$N"), peak RSS ${rss} KB, $(load)"
  echo "   dataset: $(du -sh register | cut -f1) ($(find register -name '*.parquet' | wc -l) Parquet files; index.tsv $(du -h register/index.tsv | cut -f1))"
  echo "== again over the same folder (every file skipped by its SHA-256)"
  read -r wall rss cpu < <(timed "$ZICHA" register --jobs "$JOBS" --to register reports)
  echo "   $(figures "$wall" "$cpu" "$N"), peak RSS ${rss} KB, $(load)"
  if [ "${VERIFY:-1}" = 1 ]; then
    echo "== zicha verify --jobs $JOBS --jsonl, the same $N files"
    read -r wall rss cpu < <(timed "$ZICHA" verify --jobs "$JOBS" --jsonl reports)
    echo "   $(figures "$wall" "$cpu" "$N"), peak RSS ${rss} KB, $(load)"
  fi
  echo "== peak RSS of zicha register --jobs $JOBS into an empty register (memory flat in the number of files)"
  rm -rf register-tenth
  read -r wall rss cpu < <(timed "$ZICHA" register --jobs "$JOBS" --to register-tenth tenth)
  echo "   $((N / 10)) files: ${rss} KB ($(figures "$wall" "$cpu" $((N / 10)))), $(load)"
  echo "   $N files: see the first run"
} | tee results.txt
