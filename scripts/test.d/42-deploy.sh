#!/usr/bin/env bash
# The static site as deployed (issue 19 §4): dist/ (built by 40-browser.sh) served by Debian's nginx
# with deploy/nginx/ on 127.0.0.1, then checked with curl (the CSP header equal to index.html's
# <meta> policy, application/wasm, the precompressed .br and .gz siblings sent with their
# Content-Encoding and the same bytes once decoded, Cache-Control of index.html, sw.js and hashed
# files) and one browser test run through it (e2e/lazy.test.mjs: the shell, the lazily loaded
# extra module, under the CSP header). HTTPS is not tested: localhost is a secure context.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$PATH"
dist="${ZICHA_DIST:-$PWD/dist}"
[ -f "$dist/index.html" ] || { echo "42-deploy.sh: $dist/index.html is missing: run \`trunk build --release\` first" >&2; exit 2; }

work=$(mktemp -d)
mkdir -p "$work/conf/zicha" "$work/logs" "$work/tmp"
cp deploy/nginx/zicha.conf deploy/nginx/headers.conf "$work/conf/zicha/"
deploy/nginx/csp.sh "$dist" > "$work/conf/zicha/csp.conf"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
brotli_module=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
cat > "$work/conf/nginx.conf" <<CONF
load_module $brotli_module;
# The workers read dist/ in the checkout as the user running the tests.
user $(id -un) $(id -gn);
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $work/logs/access.log;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        server_name localhost;
        root $dist;
        include zicha/zicha.conf;
    }
}
CONF
nginx -t -q -p "$work" -c conf/nginx.conf
nginx -p "$work" -c conf/nginx.conf
stop() { [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; sleep 0.2; rm -rf "$work"; }
trap stop EXIT
base="http://127.0.0.1:$port"

fail() { echo "42-deploy.sh: $*" >&2; exit 1; }
# header URL NAME [CURL ARGS...]: the value of response header NAME (last one), lower-case name.
header() {
  local url=$1 name=$2; shift 2
  curl -s -o /dev/null -D - "$@" "$url" | tr -d '\r' | awk -v name="$(echo "$name" | tr 'A-Z' 'a-z')" \
    'BEGIN { FS = ": " } tolower($1) == name { value = substr($0, length($1) + 3) } END { print value }'
}
expect() { # expect WHAT ACTUAL EXPECTED
  [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
  echo "ok: $1: $2"
}

log "curl checks against nginx on $base"
policy=$(grep -o 'content="default-src[^"]*"' "$dist/index.html" | sed 's/^content="//; s/"$//')
expect "CSP header of /" "$(header "$base/" Content-Security-Policy)" "$policy; frame-ancestors 'none'"
expect "Cache-Control of /" "$(header "$base/" Cache-Control)" "no-cache"
expect "Cache-Control of /index.html" "$(header "$base/index.html" Cache-Control)" "no-cache"
expect "Cache-Control of /sw.js" "$(header "$base/sw.js" Cache-Control)" "no-cache"
expect "Content-Type of the manifest" "$(header "$base/manifest.webmanifest" Content-Type)" "application/manifest+json"
expect "nosniff" "$(header "$base/" X-Content-Type-Options)" "nosniff"
expect "Cache-Control of a licence text" "$(header "$base/fonts/wqy-microhei.COPYRIGHT.txt" Cache-Control)" "no-cache"

wasm=$(cd "$dist" && ls zicha-web-*_bg.wasm | head -1)
[ -n "$wasm" ] || fail "no zicha-web-*_bg.wasm in $dist"
[ -f "$dist/$wasm.br" ] && [ -f "$dist/$wasm.gz" ] || fail "$wasm has no .br/.gz siblings"
expect "Content-Type of $wasm" "$(header "$base/$wasm" Content-Type)" "application/wasm"
expect "Cache-Control of $wasm" "$(header "$base/$wasm" Cache-Control)" "public, max-age=31536000, immutable"
expect "CSP header of $wasm" "$(header "$base/$wasm" Content-Security-Policy)" "$policy; frame-ancestors 'none'"
expect "Content-Encoding of $wasm (br accepted)" "$(header "$base/$wasm" Content-Encoding -H 'Accept-Encoding: gzip, deflate, br')" "br"
expect "Content-Type of $wasm (br)" "$(header "$base/$wasm" Content-Type -H 'Accept-Encoding: gzip, deflate, br')" "application/wasm"
expect "Vary of $wasm" "$(header "$base/$wasm" Vary -H 'Accept-Encoding: br')" "Accept-Encoding"
expect "Content-Encoding of $wasm (gzip only)" "$(header "$base/$wasm" Content-Encoding -H 'Accept-Encoding: gzip')" "gzip"
expect "Content-Encoding of $wasm (none accepted)" "$(header "$base/$wasm" Content-Encoding)" ""
curl -s -H 'Accept-Encoding: br' "$base/$wasm" | brotli -d -c | cmp -s - "$dist/$wasm" || fail "$wasm as br does not decode to the file"
curl -s -H 'Accept-Encoding: gzip' "$base/$wasm" | gunzip -c | cmp -s - "$dist/$wasm" || fail "$wasm as gzip does not decode to the file"
curl -s "$base/$wasm" | cmp -s - "$dist/$wasm" || fail "$wasm as it is differs from the file"
echo "ok: $wasm sent as br, gzip and identity, each the file's bytes"
expect "Content-Encoding of index.html (br)" "$(header "$base/" Content-Encoding -H 'Accept-Encoding: br')" "br"
expect "status of a missing file" "$(curl -s -o /dev/null -w '%{http_code}' "$base/nothing-here.js")" "404"

log "browser test through nginx (e2e/lazy.test.mjs, ZICHA_BASE_URL=$base/)"
cd tests/browser
ZICHA_DIST="$dist" ZICHA_BASE_URL="$base/" node --test --test-concurrency=1 e2e/lazy.test.mjs
