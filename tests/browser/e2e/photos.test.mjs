// Issue 19 §2: the object URLs made for photo thumbnails are revoked (hooks/mod.rs, gloo's
// ObjectUrl), so showing photos again and again leaves neither URLs nor memory behind: 500 views
// of an answer's three photos (the section left and opened again, so that the thumbnails are made
// anew), with the live object URLs counted (URL.createObjectURL minus revokeObjectURL, instrumented
// before the app starts) and the JS heap measured after a forced garbage collection.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appUnderTest, openApp, saved, newInspection, gotoSection, png, addPhoto } from "../lib/harness.mjs";

const app = appUnderTest();
const VIEWS = 500;
const PHOTOS = 3;

test(`${VIEWS} photo views leave the object URLs and the JS heap flat`, async () => {
  const { page, context } = app.browser;
  await page.addInitScript(() => {
    const live = new Set();
    const create = URL.createObjectURL.bind(URL);
    const revoke = URL.revokeObjectURL.bind(URL);
    window.__objectUrls = { made: 0, live };
    URL.createObjectURL = (object) => {
      const url = create(object);
      window.__objectUrls.made += 1;
      live.add(url);
      return url;
    };
    URL.revokeObjectURL = (url) => {
      live.delete(url);
      revoke(url);
    };
  });
  await openApp(page, app.server.url);
  const id = await newInspection(page, "fire-safety");
  await gotoSection(page, 1);
  const item = await page.locator("article.item").first().getAttribute("data-item");
  await saved(page, () => page.click(`#item-${item} [data-choice="nonconform"]`));
  for (let n = 0; n < PHOTOS; n++) {
    await addPhoto(page, `#item-${item}-photos-file`, `#item-${item} .answer-details .photos`, png(700 + n, 500, n), `p${n}.png`);
  }
  await page.waitForFunction((count) => document.querySelectorAll("li.thumb img").length === count, PHOTOS);

  const cdp = await context.newCDPSession(page);
  await cdp.send("HeapProfiler.enable");
  /** Shows section 0, then section 1 with its thumbnails, `times` times, in the page. */
  const views = (times) =>
    page.evaluate(
      async ({ id, times, photos }) => {
        const until = (done) =>
          new Promise((resolve) => {
            const check = () => (done() ? resolve() : requestAnimationFrame(check));
            check();
          });
        for (let n = 0; n < times; n++) {
          location.hash = `#/inspection/${id}/0`;
          await until(() => document.querySelectorAll("li.thumb").length === 0);
          location.hash = `#/inspection/${id}/1`;
          await until(() => document.querySelectorAll("li.thumb img").length === photos);
        }
      },
      { id, times, photos: PHOTOS },
    );
  /** Live object URLs and the JS heap after a full garbage collection. */
  const measure = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    const urls = await page.evaluate(() => ({ made: window.__objectUrls.made, live: window.__objectUrls.live.size }));
    return { ...urls, heap: usedSize };
  };

  await views(50);
  const start = await measure();
  await views(VIEWS - 50);
  const end = await measure();
  const kib = (bytes) => (bytes / 1024).toFixed(0);
  console.log(
    `# ${VIEWS} photo views (${PHOTOS} photos each): ${end.made} object URLs made, ${start.live} live after 50 views and ${end.live} after ${VIEWS}; ` +
      `JS heap ${kib(start.heap)} KiB after 50 views, ${kib(end.heap)} KiB after ${VIEWS}`,
  );
  assert.ok(end.made >= VIEWS * PHOTOS, `a URL per thumbnail shown: ${end.made}`);
  // Only the thumbnails on the screen hold a URL: none is left behind.
  assert.equal(start.live, PHOTOS);
  assert.equal(end.live, PHOTOS);
  // Flat: 450 more views add less than 512 KiB to the heap (a leak of the 1,350 thumbnails'
  // closures and strings would add more; measured growth is printed above).
  assert.ok(end.heap - start.heap < 512 * 1024, `JS heap grew by ${kib(end.heap - start.heap)} KiB`);
});
