// The app shell alone serves the first screen: the extra UI module (keys, sign & export, verify,
// settings) and the report worker are fetched by the page only when one of their screens or jobs
// first needs them; moving between the extra module's screens keeps it mounted, and what they
// change (the language here) is asked of the shell's store, which writes it and shows it at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appUnderTest, openApp, saved } from "../lib/harness.mjs";

const app = appUnderTest();

/** The resources this page has fetched so far (its own requests, not the service worker's). */
const fetched = (page) =>
  page.evaluate(() => performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname));

test("the first screen needs only the shell; the extra module comes with its first screen", async () => {
  const { page } = app.browser;
  await openApp(page, app.server.url);
  await page.waitForSelector("#org-name");
  const first = await fetched(page);
  assert.ok(first.some((path) => /\/zicha-web-[0-9a-f]+_bg\.wasm$/.test(path)), `shell wasm fetched: ${first}`);
  assert.deepEqual(first.filter((path) => /zicha-(extra|worker)/.test(path)), [], "nothing of the extra module or the worker before it is needed");

  await page.click('a.nav-link[href="#/settings"]');
  await page.waitForSelector("#backup");
  const loaded = (await fetched(page)).filter((path) => /zicha-extra/.test(path));
  assert.equal(loaded.length, 2, `the extra module's script and wasm, once: ${loaded}`);
  assert.ok(loaded.some((path) => path.endsWith(".js")) && loaded.some((path) => path.endsWith("_bg.wasm")));

  // To another of its screens and back: mounted once, loaded once, no second copy of the page.
  await page.click('a.nav-link[href="#/verify"]');
  await page.waitForSelector("#verify-files");
  await page.click('a.nav-link[href="#/settings"]');
  await page.waitForSelector("#backup");
  assert.equal(await page.locator("#backup").count(), 1);
  assert.equal(await page.locator(".extra-root").count(), 1);

  // A change made there (the language, sent up the port and written by the shell) reaches the
  // shell's header and is saved through the header's save status.
  await saved(page, () => page.click("#lang-en"));
  await page.waitForSelector("html[lang=en]");
  assert.equal(await page.textContent('a.nav-link[href="#/"]'), "Home");
  await page.click('a.nav-link[href="#/"]');
  await page.waitForSelector("#org-name");
  assert.equal(await page.locator(".extra-root").count(), 0, "unmounted on a shell screen");
  assert.equal((await fetched(page)).filter((path) => /zicha-extra/.test(path)).length, 2, "not fetched again");
  // Back again: mounted afresh from the module already loaded.
  await page.click('a.nav-link[href="#/settings"]');
  await page.waitForSelector("#backup");
  assert.equal(await page.isChecked("#lang-en"), true, "the extra module shows the shell's language");
  assert.equal((await fetched(page)).filter((path) => /zicha-extra/.test(path)).length, 2);
  assert.deepEqual((await fetched(page)).filter((path) => /zicha-worker/.test(path)), [], "no report job yet: no worker");

  // Quick changes of screen, without waiting in between: a late unmount never removes the newer
  // mount, and a shell screen never keeps the extra module's screens.
  await page.evaluate(async () => {
    for (const hash of ["#/", "#/keys", "#/ledger", "#/verify", "#/", "#/settings"]) {
      location.hash = hash;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  await page.waitForSelector("#backup");
  await page.waitForTimeout(300);
  assert.equal(await page.locator("#backup").count(), 1, "one settings screen");
  assert.equal(await page.locator(".extra-root").count(), 1);
  assert.equal(await page.locator("#verify-files").count(), 0, "nothing left of the verify screen");
  await page.evaluate(() => { location.hash = "#/"; });
  await page.waitForSelector("#org-name");
  await page.waitForTimeout(300);
  assert.equal(await page.locator("#backup").count(), 0, "nothing left of the settings screen at home");
});
