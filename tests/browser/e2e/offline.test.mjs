// Issue scenario 3: after the first load, stop the server and go offline, reload: the app starts
// from the service worker's cache and the inspection continues.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { requireBuild, DIST, launch, openApp, saved, waitLoaded, newInspection, foreignRequests } from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

let server;
let browser;
before(async () => {
  requireBuild();
  server = await startServer(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the app works with the server stopped and the network gone", async () => {
  const { page, context, requests } = browser;
  await openApp(page, server.url);
  // Wait until the service worker has precached the build and controls the page.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith("zicha-")));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  assert.ok(cached.some((path) => path.endsWith(".wasm")), `wasm precached: ${cached}`);
  assert.ok(cached.some((path) => path.endsWith("index.html")));

  const id = await newInspection(page, "school");
  const items = await page.locator("article.item").evaluateAll((a) => a.map((x) => x.dataset.item));
  await saved(page, () => page.click(`#item-${items[0]} [data-choice="conform"]`));

  await server.close();
  await context.setOffline(true);
  const servedBefore = server.log.length;

  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector(`#item-${items[0]}`);
  assert.equal(await page.getAttribute(`#item-${items[0]} [data-choice="conform"]`, "aria-pressed"), "true");

  // The inspection continues offline, and survives another offline reload.
  await saved(page, () => page.click(`#item-${items[1]} [data-choice="nonconform"]`));
  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector(`#item-${items[1]}`);
  assert.equal(await page.getAttribute(`#item-${items[1]} [data-choice="nonconform"]`, "aria-pressed"), "true");
  assert.equal((await page.textContent("#score-progress")).split("/")[0], "2");
  assert.equal(server.log.length, servedBefore, "nothing reached the stopped server");
  assert.ok(page.url().includes(id));
  assert.deepEqual(foreignRequests(requests, server.origin), []);
});
