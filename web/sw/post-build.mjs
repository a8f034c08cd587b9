// Trunk post_build hook (Trunk.toml): runs in the staging directory of every build.
// 1. Fills the Content-Security-Policy in index.html with the SHA-256 of Trunk's inline loader
//    script, so that no 'unsafe-inline' is needed.
// 2. Gives checklists/*.toml and the JSON made of them by crates/prebuild (Trunk.toml's pre_build
//    hook writes checklists-json/<stem>.json and their index, checklists-json/_index.json)
//    content-hashed names (a new version never reads an old file from a cache), side by side in
//    checklists/, and writes the index into index.html as
//    <script type="application/json" id="zicha-checklists">: each entry of zicha_core's
//    catalog::IndexEntry plus "json" (the URL of the checklist's JSON, which the app fetches when a
//    screen first needs that checklist) and "source" (the TOML it was made from, which exports
//    embed) (web/src/services/checklists.rs); construction first, like zicha_core::catalog::SOURCES.
//    No checklist is loaded with the page: the first screen needs only the index.
// 3. Gives the extra UI module, the light verifier and the report worker (Trunk names worker-type files after the
//    binary, without a hash) content-hashed names and appends what starts their wasm, and writes the
//    report font gzip-compressed (fonts/wqy-microhei-<hash>.ttc.gz, 2.3 MB instead of 5.2 MB; the
//    worker inflates it) with its licence; the URLs go into index.html as <meta name="zicha-extra">,
//    <meta name="zicha-worker">, <meta name="zicha-verify"> and <meta name="zicha-font">.
// 4. Writes sw.js with the list of every file of the build and a version derived from their
//    content (Trunk's own hashes are computed before wasm-opt, so they are not used). The
//    checklists (JSON and TOML), the extra module, the workers and the font are not needed for the
//    first screen: they are listed apart (LAZY), cached after the shell at install, on first use,
//    or when the page, once interactive, asks the service worker to warm them for offline use.
// 0. Starts the app shell after the first paint: Trunk's preload links for the shell's glue and
//    wasm are removed and its inline loader is replaced by one that fetches both once the page
//    (the splash in index.html) has been painted. A phone on a slow network then paints the splash
//    from the HTML and the CSS alone, before 340 KB of wasm compete with them (Lighthouse counts
//    what starts before the largest paint as delaying it), and the wasm and its glue still load in
//    parallel. Also in release builds, minifies wasm-bindgen's JS glue with terser (tests/browser's npm
//    packages, like wasm-opt): Trunk's minify leaves the shell's glue as written (61 KB, 10 KB
//    gzip; 27 KB, 7.7 KB gzip minified), and the app shell is held to 350 KB gzip.
// 5. Writes a brotli (.br) and a gzip (.gz) sibling of every compressible file (wasm, JS, CSS,
//    JSON, HTML, web manifest, SVG, TOML, text) where it is smaller, for servers that send
//    precompressed files (nginx gzip_static / brotli_static, Caddy's precompressed, and
//    tests/browser/lib/server.mjs, which scripts/serve-web.sh runs). The siblings are not in sw.js:
//    a browser asks for the plain name and the server picks the encoding.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { gzipSync, brotliCompressSync, constants as zlibConstants } from "node:zlib";
import { existsSync, mkdirSync, copyFileSync } from "node:fs";
import { readFileSync, writeFileSync, readdirSync, statSync, renameSync, rmSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("post-build.mjs: TRUNK_STAGING_DIR is not set (run it from Trunk)");
  process.exit(2);
}

const indexPath = join(staging, "index.html");
let index = readFileSync(indexPath, "utf8");
// 0. The shell starts after the first paint.
{
  const loader = /<script type="?module"?>\s*import init, \* as bindings from '\.\/(zicha-web-[0-9a-f]+\.js)';\s*const wasm = await init\(\{ module_or_path: '\.\/(zicha-web-[0-9a-f]+_bg\.wasm)' \}\);[\s\S]*?<\/script>/;
  const found = index.match(loader);
  if (!found) {
    console.error("post-build.mjs: index.html has no Trunk loader of the shell in the expected form (a new Trunk version?)");
    process.exit(1);
  }
  const [, glue, wasm] = found;
  const preloads = new RegExp(`<link[^>]*\\b(?:${glue}|${wasm})\\b[^>]*>`, "g");
  if ((index.match(preloads) ?? []).length !== 2) {
    console.error(`post-build.mjs: expected Trunk's two preload links for ${glue} and ${wasm}`);
    process.exit(1);
  }
  index = index.replace(preloads, "");
  index = index.replace(
    found[0],
    `<script type="module">
await new Promise((painted) => { requestAnimationFrame(() => setTimeout(painted)); setTimeout(painted, 200); });
const module_or_path = fetch("./${wasm}");
const bindings = await import("./${glue}");
await bindings.default({ module_or_path });
</script>`,
  );
}

const hashes = [];
for (const match of index.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash("sha256").update(match[1], "utf8").digest("base64")}'`);
}
if (!index.includes("__ZICHA_SCRIPT_HASHES__")) {
  console.error("post-build.mjs: index.html has no __ZICHA_SCRIPT_HASHES__ placeholder");
  process.exit(1);
}
index = index.replace("__ZICHA_SCRIPT_HASHES__", hashes.join(" "));

// 0. Minified glue (release builds only; a debug build keeps it readable).
if (process.env.TRUNK_PROFILE === "release") {
  const here = dirname(fileURLToPath(import.meta.url));
  let minify;
  try {
    ({ minify } = createRequire(join(here, "..", "..", "tests", "browser", "package.json"))("terser"));
  } catch {
    console.error("post-build.mjs: terser is missing: run `npm ci` in tests/browser (scripts/setup.sh does)");
    process.exit(1);
  }
  const glue = readdirSync(staging).filter((name) => /^zicha-(web-[0-9a-f]+|extra|worker|verify)\.js$/.test(name));
  if (!glue.some((name) => name.startsWith("zicha-web-"))) {
    console.error(`post-build.mjs: no zicha-web-*.js in the build (found ${glue.join(", ") || "no glue"})`);
    process.exit(1);
  }
  for (const name of glue) {
    const path = join(staging, name);
    const before = readFileSync(path, "utf8");
    // The shell's glue is an ES module; the extra module's and the worker's are classic scripts
    // whose top-level `wasm_bindgen` the appended loaders use (terser keeps top-level names there).
    const { code } = await minify(before, { module: name.startsWith("zicha-web-"), compress: true, mangle: true });
    writeFileSync(path, code);
  }
}

const checklistDir = join(staging, "checklists");
const checklistJsonDir = join(staging, "checklists-json");
const indexFile = join(checklistJsonDir, "_index.json");
if (!existsSync(indexFile)) {
  console.error("post-build.mjs: no checklists-json/_index.json in the build (Trunk.toml's pre_build hook runs zicha-prebuild)");
  process.exit(1);
}
const constructionFirst = (a, b) => (a === "construction" ? -1 : b === "construction" ? 1 : a < b ? -1 : a > b ? 1 : 0);
const stems = readdirSync(checklistDir)
  .filter((name) => name.endsWith(".toml"))
  .map((name) => name.slice(0, -".toml".length))
  .sort(constructionFirst);
if (stems.length === 0) {
  console.error("post-build.mjs: no checklists/*.toml in the build");
  process.exit(1);
}
const jsonStems = readdirSync(checklistJsonDir)
  .filter((name) => name.endsWith(".json") && name !== "_index.json")
  .map((name) => name.slice(0, -".json".length));
const indexEntries = JSON.parse(readFileSync(indexFile, "utf8"));
const indexStems = indexEntries.map((entry) => entry.id);
const unpaired = [
  ...stems.filter((stem) => !jsonStems.includes(stem)).map((stem) => `checklists-json/${stem}.json`),
  ...jsonStems.filter((stem) => !stems.includes(stem)).map((stem) => `checklists/${stem}.toml`),
  ...stems.filter((stem) => !indexStems.includes(stem)).map((stem) => `${stem} in checklists-json/_index.json`),
];
if (unpaired.length > 0) {
  console.error(`post-build.mjs: missing ${unpaired.join(", ")} (checklists/ and the JSON made of it differ)`);
  process.exit(1);
}
for (const name of readdirSync(checklistDir)) {
  if (!name.endsWith(".toml")) rmSync(join(checklistDir, name), { recursive: true });
}
const checklistFiles = [];
const listed = stems.map((stem) => {
  const hashed = (from, ext) => {
    const hash = createHash("sha256").update(readFileSync(from)).digest("hex").slice(0, 16);
    const name = `checklists/${stem}-${hash}.${ext}`;
    renameSync(from, join(staging, name));
    return name;
  };
  const json = hashed(join(checklistJsonDir, `${stem}.json`), "json");
  const toml = hashed(join(checklistDir, `${stem}.toml`), "toml");
  checklistFiles.push(json, toml);
  return { ...indexEntries.find((entry) => entry.id === stem), json: `./${json}`, source: `./${toml}` };
});
rmSync(checklistJsonDir, { recursive: true });
if (!index.includes("</head>")) {
  console.error("post-build.mjs: index.html has no </head>");
  process.exit(1);
}
// A data block, never run (so the CSP does not apply to it); "<" escaped so that no text in a
// title can close the element.
const listing = JSON.stringify(listed).replaceAll("<", "\\u003c");
index = index.replace("</head>", `<script type="application/json" id="zicha-checklists">${listing}</script>\n</head>`);

// The two modules Trunk builds with data-type="worker" (wasm-bindgen's no-modules glue), named
// after their binary without a hash: content-hashed names, and a few lines after the glue.
// The checklists first: an inspection of any of them must open offline.
const lazy = [...checklistFiles];
function hashModule(bin, appendix) {
  const js = join(staging, `${bin}.js`);
  const wasm = join(staging, `${bin}_bg.wasm`);
  if (!existsSync(js) || !existsSync(wasm)) {
    console.error(`post-build.mjs: the build has no ${bin}.js / ${bin}_bg.wasm`);
    process.exit(1);
  }
  const text = (wasmName) => `${readFileSync(js, "utf8")}\n${appendix(wasmName)}`;
  const hash = createHash("sha256").update(text("")).update(readFileSync(wasm)).digest("hex").slice(0, 16);
  const wasmName = `${bin}-${hash}_bg.wasm`;
  const jsName = `${bin}-${hash}.js`;
  renameSync(wasm, join(staging, wasmName));
  writeFileSync(join(staging, jsName), text(wasmName));
  rmSync(js);
  for (const name of readdirSync(staging)) {
    if (name.startsWith(`${bin}_loader`)) rmSync(join(staging, name));
  }
  return { jsName, wasmName };
}

// The extra UI module (keys, sign & export, verify, settings; web/src/extra/): a classic script
// the page adds when one of those screens is first opened (web/src/services/extra.rs), which then
// starts the wasm through `zichaExtra`.
// Its screens' styles (web/styles/extra.css, not in the shell's stylesheet) come with it: the
// loader adds them to the page and the module starts once they are in and its wasm is running.
const extraCssPath = join(staging, "extra.css");
if (!existsSync(extraCssPath)) {
  console.error("post-build.mjs: the build has no extra.css (index.html copies web/styles/extra.css)");
  process.exit(1);
}
const extraCss = `extra-${createHash("sha256").update(readFileSync(extraCssPath)).digest("hex").slice(0, 16)}.css`;
renameSync(extraCssPath, join(staging, extraCss));
const extra = hashModule("zicha-extra", () => `// The page starts the wasm (services/extra.rs) with the URL in <meta name="zicha-extra">; the
// module's styles are added to the page at the same time, and it starts once both are in.
self.zichaExtra = (options) => Promise.all([
  new Promise((loaded, failed) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = "./${extraCss}";
    link.onload = loaded;
    link.onerror = () => failed(new Error("./${extraCss} cannot be loaded (offline before it was cached?)"));
    document.head.appendChild(link);
  }),
  wasm_bindgen(options),
]).then(([, started]) => started);
`);
lazy.push(extra.jsName, extra.wasmName, extraCss);

// The report worker and the light verifier. The loader: wasm-bindgen's glue, then the start call.
const workerLoader = (wasmName) => `// A trap in the worker's wasm is a bug: tell the page, which fails the job instead of waiting.
self.addEventListener("unhandledrejection", (event) => self.postMessage({ crash: String(event.reason) }));
self.addEventListener("error", (event) => self.postMessage({ crash: String(event.message) }));
// The page fetches the wasm (${wasmName}, from the service worker's cache when offline) and
// posts it as the first message; it is compiled here, off the page's main thread.
self.addEventListener("message", function boot(event) {
  if (!event.data || !event.data.wasm) return;
  self.removeEventListener("message", boot);
  wasm_bindgen({ module_or_path: event.data.wasm }).catch((error) => self.postMessage({ crash: String(error) }));
});
`;
// The light verifier (web/src/worker/verifier.rs) before the report worker: the verify screen
// starts it first, and the service worker caches LAZY in this order.
const verifier = hashModule("zicha-verify", workerLoader);
lazy.push(verifier.jsName, verifier.wasmName);
const worker = hashModule("zicha-worker", workerLoader);
const workerJsName = worker.jsName;
lazy.push(worker.jsName, worker.wasmName);

// The report font, compressed, with its licence.
const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const font = readFileSync(join(repo, "assets", "fonts", "wqy-microhei.ttc"));
const fontHash = createHash("sha256").update(font).digest("hex").slice(0, 16);
const fontName = `fonts/wqy-microhei-${fontHash}.ttc.gz`;
mkdirSync(join(staging, "fonts"), { recursive: true });
writeFileSync(join(staging, fontName), gzipSync(font, { level: 9 }));
copyFileSync(join(repo, "assets", "fonts", "wqy-microhei.COPYRIGHT"), join(staging, "fonts", "wqy-microhei.COPYRIGHT.txt"));
lazy.push(fontName);

index = index.replace(
  "</head>",
  `<meta name="zicha-extra" content="./${extra.jsName}" data-wasm="./${extra.wasmName}">\n<meta name="zicha-worker" content="./${workerJsName}">\n<meta name="zicha-verify" content="./${verifier.jsName}">\n<meta name="zicha-font" content="./${fontName}">\n</head>`,
);
writeFileSync(indexPath, index);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
const files = walk(staging)
  .map((path) => relative(staging, path).split("\\").join("/"))
  .filter((path) => path !== "sw.js" && !path.endsWith(".map"))
  .sort();
const precache = files.filter((path) => !lazy.includes(path));
const version = createHash("sha256");
for (const file of files) {
  version.update(file);
  version.update(readFileSync(join(staging, file)));
}
const template = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "sw-template.js"), "utf8");
const sw = template
  .replace("__VERSION__", version.digest("hex").slice(0, 16))
  .replace("__PRECACHE__", JSON.stringify(precache, null, 2))
  .replace("__LAZY__", JSON.stringify(lazy, null, 2));
writeFileSync(join(staging, "sw.js"), sw);
console.log(`post-build.mjs: sw.js precaches ${precache.length} files, ${lazy.length} on first use; CSP allows ${hashes.length} inline script(s)`);

// 5. Precompressed siblings, of every file of the build (sw.js included).
const COMPRESSIBLE = /\.(wasm|js|mjs|css|json|html|webmanifest|svg|toml|txt)$/;
let siblings = 0;
for (const file of walk(staging).filter((path) => COMPRESSIBLE.test(path))) {
  const bytes = readFileSync(file);
  const brotli = brotliCompressSync(bytes, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [zlibConstants.BROTLI_PARAM_MODE]: file.endsWith(".wasm") ? zlibConstants.BROTLI_MODE_GENERIC : zlibConstants.BROTLI_MODE_TEXT,
    },
  });
  const gzip = gzipSync(bytes, { level: 9 });
  for (const [ext, compressed] of [[".br", brotli], [".gz", gzip]]) {
    if (compressed.length < bytes.length) {
      writeFileSync(file + ext, compressed);
      siblings += 1;
    } else {
      rmSync(file + ext, { force: true });
    }
  }
}
console.log(`post-build.mjs: ${siblings} precompressed siblings (.br, .gz) written`);
