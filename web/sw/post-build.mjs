// Trunk post_build hook (Trunk.toml): runs in the staging directory of every build.
// 1. Fills the Content-Security-Policy in index.html with the SHA-256 of Trunk's inline loader
//    script, so that no 'unsafe-inline' is needed.
// 2. Writes sw.js with the list of every file of the build and a version derived from their
//    content (Trunk's own hashes are computed before wasm-opt, so they are not used).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("post-build.mjs: TRUNK_STAGING_DIR is not set (run it from Trunk)");
  process.exit(2);
}

const indexPath = join(staging, "index.html");
let index = readFileSync(indexPath, "utf8");
const hashes = [];
for (const match of index.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash("sha256").update(match[1], "utf8").digest("base64")}'`);
}
if (!index.includes("__ZICHA_SCRIPT_HASHES__")) {
  console.error("post-build.mjs: index.html has no __ZICHA_SCRIPT_HASHES__ placeholder");
  process.exit(1);
}
index = index.replace("__ZICHA_SCRIPT_HASHES__", hashes.join(" "));
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
const version = createHash("sha256");
for (const file of files) {
  version.update(file);
  version.update(readFileSync(join(staging, file)));
}
const template = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "sw-template.js"), "utf8");
const sw = template
  .replace("__VERSION__", version.digest("hex").slice(0, 16))
  .replace("__PRECACHE__", JSON.stringify(files, null, 2));
writeFileSync(join(staging, "sw.js"), sw);
console.log(`post-build.mjs: sw.js precaches ${files.length} files; CSP allows ${hashes.length} inline script(s)`);
