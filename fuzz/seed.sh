#!/usr/bin/env bash
# Seeds the corpora (fuzz/corpus/<target>/) from the shipped checklists and the test fixtures, made
# with the `zicha` CLI (ZICHA, default: the workspace's debug build) and OpenSSL: signed reports
# with 1 to 3 signatures (a real rendered report and a one-page PDF), attack-style edits of them,
# sample bundles, every shipped checklist as TOML and as the app's JSON, keys and certificates in
# each format. The recipe is fixed; keys and salts are random, so the bytes differ from run to run.
# `cargo fuzz cmin` then keeps what adds coverage (fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")"
ZICHA="$(realpath "${ZICHA:-../target/debug/zicha}")"
PASS=zicha-test # the passphrase of crates/sign/tests/fixtures and of the keys target
TIME=2026-03-02T18:00:00+08:00
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for target in checklist_parse sheet_import verify pdf_objects embedded_files keys bundle checklist_json report_check; do
  mkdir -p "corpus/$target"
done

# Checklists: the TOML files, their template workbooks, their JSON (crates/prebuild).
cp ../checklists/*.toml corpus/checklist_parse/
for file in ../checklists/*.toml; do
  id="$(basename "$file" .toml)"
  "$ZICHA" template --from "$id" -o "corpus/sheet_import/$id.xlsx" --force 2>/dev/null
done
"$ZICHA" template -o corpus/sheet_import/empty.xlsx --force 2>/dev/null
printf '分类,序号,检查内容,隐患描述,依据条款,分值,隐患级别\n消防,1,灭火器有效,灭火器过期,消防法 第十六条,5,一般\n' > corpus/sheet_import/small.csv
(cd .. && cargo run -q -p zicha-prebuild -- checklists "$work/json") >/dev/null
for file in "$work"/json/*.json; do
  [ "$(basename "$file")" = _index.json ] || cp "$file" corpus/checklist_json/
done

# Bundles: a sample of two sectors, one with a small photo added (the CLI's sample photos are
# 500 KB JPEGs, too large for a seed), the inspection.json alone.
for sector in construction coal-mine; do
  "$ZICHA" sample "$sector" --seed 3 --date 2026-03-01 -o "$work/$sector.zicha" >/dev/null
  cp "$work/$sector.zicha" corpus/bundle/
done
python3 - "$work/coal-mine.zicha" corpus/bundle <<'PY'
import hashlib, sys, zipfile
source = zipfile.ZipFile(sys.argv[1])
open(sys.argv[2] + "/inspection.json", "wb").write(source.read("inspection.json"))
photo = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
with zipfile.ZipFile(sys.argv[2] + "/photo.zicha", "w", zipfile.ZIP_DEFLATED) as out:
    for name in source.namelist():
        out.writestr(name, source.read(name))
    out.writestr("photos/%s.jpg" % hashlib.sha256(photo).hexdigest(), photo, zipfile.ZIP_STORED)
PY

# Keys: three signers of the sample report's parties (zicha keygen), certificates as PEM and DER.
names="$(python3 - "$work/construction.zicha" <<'PY'
import json, sys, zipfile
data = json.loads(zipfile.ZipFile(sys.argv[1]).read("inspection.json"))
org = data["organisation"]
supervisor = next(p for p in data["project"]["parties"] if p["role"] == "监理")
print("\t".join([org["name"], org["credit_code"], data["inspection"]["inspectors"][0], org["safety_lead"],
                 supervisor["name"], supervisor["credit_code"], supervisor["safety_lead"]]))
PY
)"
IFS=$'\t' read -r org code inspector lead sup_org sup_code sup_lead <<<"$names"
export ZICHA_PASSPHRASE=$PASS
keygen() { # DIR SIGNER ORG CODE
  "$ZICHA" keygen --org "$3" --credit-code "$4" --signer "$2" --not-before 2026-01-01T00:00:00+08:00 -o "$work/$1" --force >/dev/null
}
keygen inspector "$inspector" "$org" "$code"
keygen lead "$lead" "$org" "$code"
keygen supervisor "$sup_lead" "$sup_org" "$sup_code"
cp ../crates/sign/tests/fixtures/*.p12 corpus/keys/
cp "$work/inspector/cert.pem" corpus/keys/cert.pem
openssl x509 -in "$work/inspector/cert.pem" -outform DER -out corpus/keys/cert.der
# The key files zicha keygen writes cost 0.76 s each to open (scrypt log2 N = 17): seeds carry the
# same key re-encrypted at a low cost (scrypt and PBKDF2), in PEM and DER, and in the clear (DER).
# OpenSSL refuses scrypt above 32 MiB, so Python's cryptography (pyHanko's, scripts/setup.d/30-sign.sh)
# reads the key and writes it in the clear.
python3 - "$work/inspector/key.pem" "$PASS" "$work/clear.pem" <<'PY'
import sys
from cryptography.hazmat.primitives import serialization as s
key = s.load_pem_private_key(open(sys.argv[1], "rb").read(), sys.argv[2].encode())
open(sys.argv[3], "wb").write(key.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))
PY
openssl pkcs8 -in "$work/clear.pem" -topk8 -nocrypt -outform DER -out corpus/keys/clear.der
openssl pkcs8 -in "$work/clear.pem" -topk8 -v2 aes-256-cbc -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 1 -passout "pass:$PASS" -out corpus/keys/scrypt.pem
openssl pkcs8 -in "$work/clear.pem" -topk8 -v2 aes-256-cbc -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 1 -passout "pass:$PASS" -outform DER -out corpus/keys/scrypt.der
openssl pkcs8 -in "$work/clear.pem" -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 1000 -passout "pass:$PASS" -out corpus/keys/pbkdf2.pem
openssl pkcs12 -export -inkey "$work/clear.pem" -in "$work/inspector/cert.pem" -iter 1000 -passout "pass:$PASS" -out corpus/keys/keygen.p12

# Signed reports: the sample construction report (no photos) signed by its inspector in the box;
# a one-page PDF written by hand, signed on its last page by 1, 2 and 3 signers.
"$ZICHA" render "$work/construction.zicha" --time "$TIME" -o "$work/report0.pdf" >/dev/null
sign() { # IN OUT PARTY-DIR [ARGS...]
  local in=$1 out=$2 dir=$3; shift 3
  "$ZICHA" sign "$in" --key "$work/$dir/key.pem" --cert "$work/$dir/cert.pem" --time "$TIME" -o "$out" --force "$@" >/dev/null
}
sign "$work/report0.pdf" "$work/report1.pdf" inspector
python3 - "$work/tiny0.pdf" <<'PY'
import sys
objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
           b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
           b"<< /Length 44 >>\nstream\nBT /F1 18 Tf 72 760 Td (Zicha fuzz) Tj ET\n\nendstream",
           b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
out, offsets = bytearray(b"%PDF-1.7\n"), []
for number, body in enumerate(objects, 1):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
open(sys.argv[1], "wb").write(out)
PY
sign "$work/tiny0.pdf" "$work/tiny1.pdf" inspector --role 检查人
sign "$work/tiny1.pdf" "$work/tiny2.pdf" lead --role 企业负责人
sign "$work/tiny2.pdf" "$work/tiny3.pdf" supervisor --role 监理
for target in verify pdf_objects embedded_files report_check; do
  # One real report (380 KB: fonts and the attachments) keeps the inputs small enough to fuzz fast.
  cp "$work"/report1.pdf "$work"/tiny[0-3].pdf "corpus/$target/"
done
# Attack-style edits: an update appended after the last signature that redefines the page content,
# a truncated file, a ByteRange that leaves bytes out, a flipped byte inside the signed data.
python3 - "$work" corpus <<'PY'
import re, sys, pathlib
work, corpus = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
tiny = (work / "tiny1.pdf").read_bytes()
start = int(re.findall(rb"startxref\s+(\d+)", tiny)[-1])
body = b"4 0 obj\n<< /Length 33 >>\nstream\nBT /F1 18 Tf 72 760 Td (X) Tj ET\nendstream\nendobj\n"
offset = len(tiny)
xref = offset + len(body)
update = body + b"xref\n0 1\n0000000000 65535 f \n4 1\n%010d 00000 n \ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (offset, start, xref)
edits = {
    "attack-appended-content.pdf": tiny + update,
    "attack-truncated.pdf": (work / "tiny2.pdf").read_bytes()[:60000],
    "attack-byterange.pdf": re.sub(rb"/ByteRange\s*\[\s*0", b"/ByteRange [ 8", tiny, count=1),
    "attack-flipped.pdf": tiny[:200] + bytes([tiny[200] ^ 1]) + tiny[201:],
}
for target in ["verify", "pdf_objects", "embedded_files", "report_check"]:
    for name, data in edits.items():
        (corpus / target / name).write_bytes(data)
PY
du -sh corpus/*
