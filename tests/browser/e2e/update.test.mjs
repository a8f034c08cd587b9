// An update never deletes user data and never breaks offline use: a new build waits while the app
// runs and says so, takes over on the next start, and the data and offline use are still there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { requireBuild, DIST, launch, openApp, saved, waitLoaded, newInspection, nextStart, waitUntil } from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

let server;
let browser;
let nextVersion;
before(async () => {
  requireBuild();
  // The "new version": the same build with another service worker version.
  nextVersion = await mkdtemp(join(tmpdir(), "zicha-next-"));
  await cp(DIST, nextVersion, { recursive: true });
  const sw = await readFile(join(nextVersion, "sw.js"), "utf8");
  const nextSw = sw.replace(/const VERSION = "([0-9a-f]+)"/, 'const VERSION = "$1next"');
  await writeFile(join(nextVersion, "sw.js"), nextSw);
  // Its precompressed siblings too: the copied ones are the old sw.js, which the server would send
  // to an update check that accepts br or gzip.
  await writeFile(join(nextVersion, "sw.js.br"), brotliCompressSync(nextSw));
  await writeFile(join(nextVersion, "sw.js.gz"), gzipSync(nextSw));
  server = await startServer(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await rm(nextVersion, { recursive: true, force: true });
});

const cacheNames = (page) => page.evaluate(() => caches.keys());

test("a new version waits, says so, takes over on the next start and keeps the data", async () => {
  const { context } = browser;
  let page = browser.page;
  await openApp(page, server.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const [oldCache] = await cacheNames(page);
  const id = await newInspection(page, "school");
  const item = await page.locator("article.item").first().getAttribute("data-item");
  await saved(page, () => page.click(`#item-${item} [data-choice="nonconform"]`));

  server.setRoot(nextVersion);
  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector('.notice[data-kind="UpdateReady"]', { timeout: 30_000 });
  // The running app is still the old version, with its data.
  assert.equal(await page.getAttribute(`#item-${item} [data-choice="nonconform"]`, "aria-pressed"), "true");
  assert.ok((await cacheNames(page)).includes(oldCache));

  // Next start: every page of the old version closed, then the app opened again.
  page = await nextStart(context, [page], `${server.url}#/inspection/${id}`);
  await waitUntil(page, async (old) => {
    const names = await caches.keys();
    return names.length === 1 && names[0] === `${old}next`;
  }, oldCache, { what: "the new version's cache alone" });
  await page.waitForSelector(`#item-${item}`);
  assert.equal(await page.getAttribute(`#item-${item} [data-choice="nonconform"]`, "aria-pressed"), "true");

  // And the new version works offline.
  await page.reload();
  await waitLoaded(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await server.close();
  await context.setOffline(true);
  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector(`#item-${item}`);
  assert.equal(await page.getAttribute(`#item-${item} [data-choice="nonconform"]`, "aria-pressed"), "true");
});
