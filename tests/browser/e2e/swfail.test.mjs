// Issue 19 §2, the service worker against a server that fails the lazily cached files (LAZY in
// web/sw/sw-template.js: the report worker, the report font): the app still installs and works
// offline for inspections, says what is missing, and fetches it at a later start; and an update
// whose install fails some of them never serves a mix of old and new files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, readFile, writeFile, appendFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import {
  requireBuild, DIST, launch, openApp, saved, waitLoaded, newInspection, gotoSection, tempDir, nextStart, waitUntil,
} from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

const sw = await readFile(join(DIST, "sw.js"), "utf8");
const LAZY = JSON.parse(sw.match(/const LAZY = (\[[\s\S]*?\]);/)[1]);
const worker = LAZY.filter((path) => path.startsWith("zicha-worker-"));
const font = LAZY.filter((path) => path.startsWith("fonts/") && path.endsWith(".ttc.gz"));
assert.equal(worker.length, 2, `the report worker's glue and wasm in LAZY: ${LAZY}`);
assert.equal(font.length, 1, `the report font in LAZY: ${LAZY}`);
const failing = [...worker, ...font];

let browser;
let server;
before(() => requireBuild());
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The paths in the Zicha cache `name` (by default the first), and the cache names. */
const cached = (page, name) =>
  page.evaluate(async (name) => {
    const names = await caches.keys();
    const cache = await caches.open(name ?? names.find((name) => name.startsWith("zicha-")));
    return { names, paths: (await cache.keys()).map((request) => new URL(request.url).pathname.slice(1)) };
  }, name);

test("the worker and the font failing at install: the app installs, works offline, and caches them at a later start", async () => {
  server = await startServer(DIST);
  const port = Number(new URL(server.url).port);
  server.setRefuse((path) => failing.includes(path.slice(1)));
  browser = await launch();
  const { page, context } = browser;
  await openApp(page, server.url);
  // Installed and in control (an install that failed would leave no controller).
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  const missing = page.locator('.notice[data-kind="OfflineMissing"]');
  await missing.waitFor({ timeout: 30_000 });
  const said = await missing.textContent();
  for (const path of failing) assert.ok(said.includes(path), `the notice names ${path}: ${said}`);
  const { paths } = await cached(page);
  for (const path of failing) assert.ok(!paths.includes(path), `${path} not cached`);
  assert.ok(paths.includes("index.html") && paths.some((path) => path.startsWith("checklists/")));
  assert.ok(server.log.some((entry) => entry.encoding === "refused"), "the server refused");

  // An inspection, offline: the server gone and the network off.
  const id = await newInspection(page, "fire-safety");
  await gotoSection(page, 1);
  const items = await page.locator("article.item").evaluateAll((a) => a.map((x) => x.dataset.item));
  await saved(page, () => page.click(`#item-${items[0]} [data-choice="nonconform"]`));
  await server.close();
  await context.setOffline(true);
  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector(`#item-${items[1]}`);
  await saved(page, () => page.click(`#item-${items[1]} [data-choice="conform"]`));
  await page.goto(`${server.url}#/inspection/${id}/1`);
  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector(`#item-${items[1]}`);
  assert.equal(await page.getAttribute(`#item-${items[0]} [data-choice="nonconform"]`, "aria-pressed"), "true");
  assert.equal(await page.getAttribute(`#item-${items[1]} [data-choice="conform"]`, "aria-pressed"), "true");

  // Later, the server answers again: the next start caches what was missing and says the app is
  // ready offline.
  server = await startServer(DIST, { port });
  await context.setOffline(false);
  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector("#offline-status", { timeout: 60_000 });
  const after = await cached(page);
  for (const path of failing) assert.ok(after.paths.includes(path), `${path} cached later`);
  await browser.close();
  browser = undefined;
  await server.close();
  server = undefined;
});

test("an update whose install fails the worker serves only the new version's files", async () => {
  // The new version: the same build with another service worker version, a marked index.html and
  // font (same names, other bytes: what a mix would show).
  const next = tempDir("zicha-swfail-next-");
  await cp(DIST, next, { recursive: true });
  await writeFile(join(next, "sw.js"), sw.replace(/const VERSION = "([0-9a-f]+)"/, 'const VERSION = "$1next"'));
  const index = await readFile(join(next, "index.html"), "utf8");
  await writeFile(join(next, "index.html"), index.replace("</body>", "<!-- version next --></body>"));
  // Their precompressed siblings as a build writes them: the copied ones are the old version's,
  // which the server would send to any request accepting br or gzip (an old sw.js for one update
  // check, the new for the next: a third install).
  for (const file of ["sw.js", "index.html"]) {
    const bytes = await readFile(join(next, file));
    await writeFile(join(next, `${file}.br`), brotliCompressSync(bytes));
    await writeFile(join(next, `${file}.gz`), gzipSync(bytes));
  }
  await appendFile(join(next, font[0]), "version next");
  const nextFont = await readFile(join(next, font[0]));

  server = await startServer(DIST);
  browser = await launch();
  let page = browser.page;
  await openApp(page, server.url);
  await page.waitForSelector("#offline-status", { timeout: 60_000 });
  const [oldCache] = (await cached(page)).names;

  server.setRoot(next);
  server.setRefuse((path) => worker.includes(path.slice(1)));
  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector('.notice[data-kind="UpdateReady"]', { timeout: 30_000 });

  // Next start: the new version alone.
  page = await nextStart(browser.context, [page], server.url);
  const newCache = `${oldCache}next`;
  await waitUntil(page, async (name) => JSON.stringify(await caches.keys()) === JSON.stringify([name]), newCache, {
    what: "the new version's cache alone",
  });
  const { paths } = await cached(page, newCache);
  for (const path of worker) assert.ok(!paths.includes(path), `${path} refused, so not cached`);
  const fromCache = await page.evaluate(async ([name, path]) => {
    const cache = await caches.open(name);
    const index = await (await cache.match("index.html", { ignoreVary: true })).text();
    const font = new Uint8Array(await (await cache.match(path, { ignoreVary: true })).arrayBuffer());
    return { marked: index.includes("<!-- version next -->"), font: Array.from(font.slice(-12)) };
  }, [newCache, font[0]]);
  assert.ok(fromCache.marked, "index.html is the new version's");
  assert.deepEqual(fromCache.font, Array.from(nextFont.subarray(-12)), "the font is the new version's");

  // The worker is fetched at a later start, from the new version.
  server.setRefuse(() => false);
  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector("#offline-status", { timeout: 60_000 });
  const later = await cached(page, newCache);
  for (const path of worker) assert.ok(later.paths.includes(path), `${path} cached later`);
  assert.deepEqual(later.names, [newCache], "the new version's cache alone: the old one never comes back");
  assert.deepEqual(browser.errors.filter((error) => !/503|Failed to load resource/.test(error)), []);
});
