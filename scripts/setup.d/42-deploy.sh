# The deployment test (scripts/test.d/42-deploy.sh): Debian's nginx with the brotli_static module
# serves dist/ with deploy/nginx/; curl and brotli check what it sends. Installing nginx starts no
# server here: the test runs its own on 127.0.0.1 with its own prefix.
apt_install nginx libnginx-mod-http-brotli-static curl brotli
