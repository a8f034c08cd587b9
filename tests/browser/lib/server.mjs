// A static file server for dist/: the right MIME types (application/wasm for .wasm), no caching
// surprises (the service worker does the caching), and a log of every request it answered.
// Compression, as `encoding` says:
// - "precompressed" (the default; scripts/serve-web.sh): the .br or .gz sibling the build wrote
//   next to a file (web/sw/post-build.mjs), as nginx's gzip_static / brotli_static and Caddy's
//   precompressed send them: brotli when the request accepts it, else gzip, else the file itself;
//   a compressible file without siblings (or with siblings older than itself, as when a test
//   rewrites a file of a copied build) is gzipped on the fly;
// - "none": every file as it is, as a plain static server that compresses nothing sends it.
// Either way the response varies on Accept-Encoding, and a request for a sibling itself (x.wasm.br)
// gets its bytes with no Content-Encoding.
import http from "node:http";
import { readFile, stat } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { extname, join, normalize, resolve } from "node:path";

const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".wasm", ".css", ".json", ".webmanifest", ".svg", ".toml", ".txt"]);
const gzipped = new Map();

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".toml": "text/plain; charset=utf-8",
};

/** The codings of an Accept-Encoding header that are not refused (q=0), lower case. */
export function acceptedEncodings(header = "") {
  return header
    .split(",")
    .map((part) => part.trim().toLowerCase().split(";"))
    .filter(([name, ...params]) => name && !params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param)))
    .map(([name]) => name);
}

/** Reads `file`, or undefined when it does not exist. */
async function readIfExists(file) {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/** The sibling `file + ext`, unless it is missing or older than `file` (a stale copy). */
async function readSibling(file, ext) {
  try {
    const [original, sibling] = await Promise.all([stat(file), stat(file + ext)]);
    return sibling.mtimeMs >= original.mtimeMs ? await readFile(file + ext) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves `root` on host:port (0 = any free port) with `encoding` "precompressed" or "none".
 * Returns { url, origin, log, setRoot, setRefuse, close }; each log entry has the method, the path,
 * the Content-Encoding sent (or "identity", or "refused") and the body's bytes sent (`bytes`, once
 * answered).
 */
export async function startServer(root, { port = 0, host = "127.0.0.1", encoding = "precompressed" } = {}) {
  if (!["precompressed", "none"].includes(encoding)) throw new Error(`unknown encoding ${encoding}`);
  let base = resolve(root);
  let refuse = () => false;
  const log = [];
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url, "http://localhost");
    const entry = { method: request.method, path: url.pathname, encoding: "identity" };
    log.push(entry);
    if (refuse(url.pathname)) {
      entry.encoding = "refused";
      response.writeHead(503, { "content-type": "text/plain" }).end("refused by the test");
      return;
    }
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      response.writeHead(403).end();
      return;
    }
    let body = await readIfExists(file);
    if (body === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const headers = {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      vary: "accept-encoding",
    };
    if (encoding === "precompressed" && COMPRESSIBLE.has(extname(file))) {
      const accepted = acceptedEncodings(request.headers["accept-encoding"]);
      for (const [coding, ext] of [["br", ".br"], ["gzip", ".gz"]]) {
        if (!accepted.includes(coding)) continue;
        const sibling = await readSibling(file, ext);
        if (sibling !== undefined) {
          body = sibling;
          entry.encoding = coding;
          break;
        }
      }
      if (entry.encoding === "identity" && accepted.includes("gzip")) {
        const key = `${file}:${body.length}`;
        if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
        body = gzipped.get(key);
        entry.encoding = "gzip";
      }
      if (entry.encoding !== "identity") headers["content-encoding"] = entry.encoding;
    }
    headers["content-length"] = body.length;
    entry.bytes = request.method === "HEAD" ? 0 : body.length;
    response.writeHead(200, headers);
    response.end(request.method === "HEAD" ? undefined : body);
  });
  await new Promise((done) => server.listen(port, host, done));
  const { port: actual } = server.address();
  return {
    url: `http://${host}:${actual}/`,
    origin: `http://${host}:${actual}`,
    log,
    /** Serves another directory from now on (a new version of the app). */
    setRoot(dir) {
      base = resolve(dir);
    },
    /** Answers 503 from now on to the paths (e.g. "/fonts/x.ttc.gz") for which `test` is true. */
    setRefuse(test) {
      refuse = test;
    },
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(done);
      }),
  };
}
