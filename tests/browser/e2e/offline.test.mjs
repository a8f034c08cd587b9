// Issue scenario 3: after the first load, stop the server and go offline, reload: the app starts
// from the service worker's cache and the inspection continues.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appUnderTest, openApp, saved, waitLoaded, newInspection, foreignRequests } from "../lib/harness.mjs";

const app = appUnderTest();

test("the app works with the server stopped and the network gone", async () => {
  const { page, context, requests } = app.browser;
  await openApp(page, app.server.url);
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

  await app.server.close();
  await context.setOffline(true);
  const servedBefore = app.server.log.length;

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
  assert.equal(app.server.log.length, servedBefore, "nothing reached the stopped server");
  assert.ok(page.url().includes(id));
  assert.deepEqual(foreignRequests(requests, app.server.origin), []);
});
