#!/usr/bin/env bash
# Writes the nginx line that sends index.html's Content-Security-Policy as a header:
#   deploy/nginx/csp.sh dist > /etc/nginx/zicha/csp.conf && nginx -s reload
# Run it after every build: the policy holds the hash of the build's inline loader script. The
# header adds `frame-ancestors 'none'`, which a <meta> policy cannot carry (nobody may frame the
# app); everything else is the <meta>'s policy as it is.
set -euo pipefail
dist=${1:?usage: csp.sh DIST}
# The <meta> tag, its attributes in any order and quoted or not (Trunk's minifier reorders them).
tag=$(grep -o '<meta[^>]*Content-Security-Policy[^>]*>' "$dist/index.html" | head -1)
policy=$(printf '%s' "$tag" | sed -n 's/.*content="\([^"]*\)".*/\1/p')
[ -n "$policy" ] || { echo "csp.sh: no Content-Security-Policy <meta> in $dist/index.html" >&2; exit 1; }
case "$policy" in *__ZICHA_SCRIPT_HASHES__*) echo "csp.sh: $dist/index.html was not finished by post-build.mjs" >&2; exit 1 ;; esac
printf 'add_header Content-Security-Policy "%s; frame-ancestors '"'"'none'"'"'" always;\n' "$policy"
